# Episode 02 challenge: the function that prepares CIFAR-10 for training.
from tensorflow import keras
from sklearn.model_selection import train_test_split

# Fetch CIFAR-10 (Keras downloads it once, then reads its local copy): 50,000 training and
# 10,000 test images of 32 x 32 pixels in colour, with a label from 0 to 9 for each.
(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()

# The label number of an image is its position in this list.
class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer',
               'dog', 'frog', 'horse', 'ship', 'truck']


def prepare_dataset(train_images, train_labels):
    # 1. Normalise: divide every pixel value by the largest value a pixel can have,
    #    so that all of them end up between 0 and 1.
    train_images = train_images / 255

    # 2. One-hot encode the labels: one column per class of CIFAR-10.
    train_labels = keras.utils.to_categorical(train_labels, 10)

    # 3. Split: 80% of the images for training, 20% held back for validation,
    #    shuffled with random_state 42 so that every run makes the same split.
    train_images, val_images, train_labels, val_labels = train_test_split(
        train_images, train_labels, test_size=0.2, random_state=42)

    # 4. Hand back the four arrays in the order the caller below unpacks them.
    return train_images, val_images, train_labels, val_labels


# Step 3: prepare the data.
train_images, val_images, train_labels, val_labels = prepare_dataset(train_images, train_labels)

# How many images, of what size, and how many label columns in each set?
print('Train:', train_images.shape, train_labels.shape)
print('Validate:', val_images.shape, val_labels.shape)
print('Test:', test_images.shape, test_labels.shape)
