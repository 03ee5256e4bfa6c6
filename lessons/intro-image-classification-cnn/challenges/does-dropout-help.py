import pandas as pd
from tensorflow import keras
from sklearn.model_selection import train_test_split

# CIFAR-10: 50,000 training and 10,000 test images, 32 x 32 pixels, three colour channels.
# Keras downloads it the first time and reuses the copy afterwards.
(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()

# The label numbers 0-9 stand for these names, in this order.
class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer',
               'dog', 'frog', 'horse', 'ship', 'truck']


def prepare_dataset(train_images, train_labels):
    # Pixel values arrive as whole numbers from 0 to 255; the network learns better on 0-1.
    train_images = train_images / 255

    # Turn each label into a one-hot vector with ten entries, a 1 at its class.
    train_labels = keras.utils.to_categorical(train_labels, 10)

    # Hold back a fifth of the training images for validation; a fixed seed keeps the split stable.
    train_images, val_images, train_labels, val_labels = train_test_split(
        train_images, train_labels, test_size=0.2, random_state=42)

    return train_images, val_images, train_labels, val_labels


# 40,000 images to train on and 10,000 to validate with.
train_images, val_images, train_labels, val_labels = prepare_dataset(train_images, train_labels)


def create_model_dropout():
    # Part 1: the same input as the intro model.
    inputs_dropout = keras.Input(shape=train_images.shape[1:])

    # Part 2: the intro model's two convolution + pooling rounds ...
    x_dropout = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation='relu')(inputs_dropout)
    x_dropout = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_dropout)
    x_dropout = keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu')(x_dropout)
    x_dropout = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_dropout)
    # ... a third convolution with 64 filters (new) ...
    x_dropout = keras.layers.Conv2D(filters=64, kernel_size=(3, 3), activation='relu')(x_dropout)
    # ... and a dropout layer that silences half of its inputs at each training step (new).
    x_dropout = keras.layers.Dropout(rate=0.5)(x_dropout)
    x_dropout = keras.layers.Flatten()(x_dropout)

    # Part 3: ten outputs with softmax, as before. The dense layer of 64 neurons is gone.
    outputs_dropout = keras.layers.Dense(units=10, activation='softmax')(x_dropout)

    model_dropout = keras.Model(inputs=inputs_dropout, outputs=outputs_dropout, name='cifar_model_dropout')
    return model_dropout


model_dropout = create_model_dropout()

# Compile and fit exactly as for the intro model, so that only the architecture differs.
model_dropout.compile(optimizer=_____,
                      loss=_____,
                      metrics=[_____])

history_dropout = model_dropout.fit(x=train_images, y=train_labels,
                                    batch_size=_____,
                                    epochs=_____,
                                    validation_data=_____)

model_dropout.save('model_dropout.keras')

# Outside the extension: draw the curves yourself (the Training Curves panel does this for you).
history_dropout_df = pd.DataFrame.from_dict(history_dropout.history)
history_dropout_df.plot(y=['loss', 'val_loss'], title='cifar_model_dropout: loss')
history_dropout_df.plot(y=['categorical_accuracy', 'val_categorical_accuracy'], title='cifar_model_dropout: accuracy')

# One number each for the validation set after the last epoch.
val_loss_dropout, val_acc_dropout = model_dropout.evaluate(val_images, val_labels, verbose=2)
print('validation loss', val_loss_dropout, 'validation accuracy', val_acc_dropout)
