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


def create_model_intro():
    # Part 1: the input, one 32 x 32 image with three colour channels.
    inputs_intro = keras.Input(shape=train_images.shape[1:])

    # Part 2: two rounds of convolution (feature detection) and pooling (shrinking) ...
    x_intro = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation='relu')(inputs_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_intro)
    x_intro = keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu')(x_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_intro)
    # ... then the feature maps are laid out as one long vector for a dense layer of 64 neurons.
    x_intro = keras.layers.Flatten()(x_intro)
    x_intro = keras.layers.Dense(units=64, activation='relu')(x_intro)

    # Part 3: one output per class; softmax turns the ten outputs into probabilities.
    outputs_intro = keras.layers.Dense(units=10, activation='softmax')(x_intro)

    model_intro = keras.Model(inputs=inputs_intro, outputs=outputs_intro, name='cifar_model_intro')
    return model_intro


model_intro = create_model_intro()

# Prepare the model for training: how to change the weights (optimizer), what to minimise
# (loss) and what to report along the way (metrics).
model_intro.compile(optimizer=keras.optimizers.Adam(),
                    loss=keras.losses.CategoricalCrossentropy(),
                    metrics=[keras.metrics.CategoricalAccuracy()])
