# Episode 03 challenge: the hidden layers of the intro model.
from tensorflow import keras
from sklearn.model_selection import train_test_split

# Fetch CIFAR-10 (Keras downloads it once, then reads its local copy): 50,000 training and
# 10,000 test images of 32 x 32 pixels in colour, with a label from 0 to 9 for each.
(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()

# The label number of an image is its position in this list.
class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer',
               'dog', 'frog', 'horse', 'ship', 'truck']


def prepare_dataset(train_images, train_labels):
    # Scale the pixel values from 0..255 down to 0..1.
    train_images = train_images / 255

    # One-hot encoding: label 3 becomes [0, 0, 0, 1, 0, 0, 0, 0, 0, 0].
    train_labels = keras.utils.to_categorical(train_labels, 10)

    # Keep 80% of the images to learn from and set 20% aside for validation; the fixed
    # random_state makes the shuffle, and so the split, the same on every run.
    train_images, val_images, train_labels, val_labels = train_test_split(
        train_images, train_labels, test_size=0.2, random_state=42)

    return train_images, val_images, train_labels, val_labels


# Step 3: prepare the data. From here on train_images holds 40,000 images, val_images 10,000.
train_images, val_images, train_labels, val_labels = prepare_dataset(train_images, train_labels)


def create_model_intro():
    # CNN part 1: the input layer, shaped like one image (32, 32, 3).
    inputs_intro = keras.Input(shape=train_images.shape[1:])

    # CNN part 2, first round: 16 filters of 3 x 3 with ReLU, then 2 x 2 max pooling.
    x_intro = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation='relu')(inputs_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_intro)

    # Second round: another convolution, then max pooling again.
    x_intro = keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu')(x_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_intro)

    # Flatten the feature maps, then a hidden dense layer.
    x_intro = keras.layers.Flatten()(x_intro)
    x_intro = keras.layers.Dense(units=64, activation='relu')(x_intro)

    model_intro = keras.Model(inputs=inputs_intro, outputs=x_intro, name='cifar_model_intro')
    return model_intro


model_intro = create_model_intro()
model_intro.summary()
