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


def create_model_dropout_vary(dropout_rate):
    # The dropout model, with the rate of its Dropout layer taken from the argument.
    inputs_vary = keras.Input(shape=train_images.shape[1:])

    x_vary = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation='relu')(inputs_vary)
    x_vary = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_vary)
    x_vary = keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu')(x_vary)
    x_vary = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_vary)
    x_vary = keras.layers.Conv2D(filters=64, kernel_size=(3, 3), activation='relu')(x_vary)
    # The one line that changes from run to run.
    x_vary = keras.layers.Dropout(rate=_____)(x_vary)
    x_vary = keras.layers.Flatten()(x_vary)

    outputs_vary = keras.layers.Dense(units=10, activation='softmax')(x_vary)

    model_vary = keras.Model(inputs=inputs_vary, outputs=outputs_vary, name='cifar_model_dropout_vary')
    return model_vary


# Five rates to compare, from light to heavy dropout.
dropout_rates = [0.15, 0.3, 0.45, 0.6, 0.75]

# One entry per rate, filled in by the loop.
val_losses_vary = []
val_accs_vary = []

for dropout_rate in _____:
    # A fresh model for every rate, so that no run starts from another run's weights.
    model_vary = _____(dropout_rate)

    model_vary.compile(optimizer=keras.optimizers.Adam(),
                       loss=keras.losses.CategoricalCrossentropy(),
                       metrics=[keras.metrics.CategoricalAccuracy()])

    model_vary.fit(x=train_images, y=train_labels,
                   batch_size=32,
                   epochs=10,
                   validation_data=_____)

    # Score the finished model on the validation images and keep both numbers.
    val_loss_vary, val_acc_vary = model_vary.evaluate(_____, _____)
    val_losses_vary.append(val_loss_vary)
    val_accs_vary.append(val_acc_vary)

# A small table and a plot: validation loss against dropout rate.
loss_df = pd.DataFrame({'dropout_rate': dropout_rates, 'val_loss': val_losses_vary, 'val_accuracy': val_accs_vary})
print(loss_df)
loss_df.plot(x='dropout_rate', y='val_loss', marker='o')
