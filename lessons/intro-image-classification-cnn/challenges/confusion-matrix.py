from tensorflow import keras
import numpy as np
import pandas as pd
import seaborn as sns
from sklearn.metrics import accuracy_score, confusion_matrix

# Only the test half of CIFAR-10 is needed here: 10,000 images the model has never seen.
(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()

class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer',
               'dog', 'frog', 'horse', 'ship', 'truck']

# Scale the test pixels exactly as the training pixels were scaled.
test_images = test_images / 255.0
print('test images', test_images.shape, 'test labels', test_labels.shape)

model_best = keras.models.load_model('model_dropout.keras')
predictions = model_best.predict(x=test_images)
predicted_labels = np.argmax(predictions, axis=1)

# The share of test images whose predicted class is the true class.
test_acc = accuracy_score(y_true=test_labels, y_pred=predicted_labels)
print('test accuracy', test_acc)

# Rows: the true class. Columns: the predicted class. Each cell counts test images.
conf_matrix = confusion_matrix(y_true=_____, y_pred=_____)
print(conf_matrix)

# Name the rows and columns after the classes and draw a heat map with the counts written in.
confusion_df = pd.DataFrame(data=conf_matrix, index=class_names, columns=class_names)
confusion_df = confusion_df.rename_axis(index='True label', columns='Predicted label')
sns.heatmap(data=confusion_df, annot=True, fmt='3g')
