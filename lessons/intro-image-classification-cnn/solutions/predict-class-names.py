from tensorflow import keras
import numpy as np

# Only the test half of CIFAR-10 is needed here: 10,000 images the model has never seen.
(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()

class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer',
               'dog', 'frog', 'horse', 'ship', 'truck']

# Scale the test pixels exactly as the training pixels were scaled.
test_images = test_images / 255.0
print('test images', test_images.shape, 'test labels', test_labels.shape)

# Load the model you judged best from its file (saved in the previous episode).
model_best = keras.models.load_model('model_dropout.keras')
print('Predicting with', model_best.name)

# One row per test image, ten probabilities per row (one per class).
predictions = model_best.predict(x=test_images)

# The column with the highest probability is the predicted class number.
predicted_labels = np.argmax(predictions, axis=1)
print(predicted_labels[:10])
print('first test image predicted as', class_names[predicted_labels[0]])
