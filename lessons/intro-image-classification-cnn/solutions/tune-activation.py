import matplotlib.pyplot as plt
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import GridSearchCV
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


# Part 1: the activation function of the hidden layers, tuned with a for loop.

def create_model_act(activation_function):
    # The intro model with the hidden layers' activation taken from the argument.
    inputs_act = keras.Input(shape=train_images.shape[1:])

    x_act = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation=activation_function)(inputs_act)
    x_act = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_act)
    x_act = keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation=activation_function)(x_act)
    x_act = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_act)
    x_act = keras.layers.Flatten()(x_act)
    x_act = keras.layers.Dense(units=64, activation=activation_function)(x_act)

    # The output layer keeps softmax whatever the hidden layers use: it must give probabilities.
    outputs_act = keras.layers.Dense(units=10, activation='softmax')(x_act)

    model_act = keras.Model(inputs=inputs_act, outputs=outputs_act, name='cifar_model_activation')

    # This time the function also compiles the model it builds.
    model_act.compile(optimizer=keras.optimizers.Adam(),
                      loss=keras.losses.CategoricalCrossentropy(),
                      metrics=[keras.metrics.CategoricalAccuracy()])
    return model_act


activations = ['relu', 'sigmoid', 'tanh', 'selu']

plt.figure(figsize=(12, 6))
for activation in activations:
    model_act = create_model_act(activation)
    history_act = model_act.fit(x=train_images, y=train_labels,
                                batch_size=32,
                                epochs=10,
                                validation_data=(val_images, val_labels))
    # One line per activation function on the same axes.
    plt.plot(history_act.history['val_categorical_accuracy'], label=activation)

plt.title('Validation accuracy per activation function')
plt.xlabel('Epoch')
plt.ylabel('Validation accuracy')
plt.legend()
plt.show()


# Part 2: the optimizer, tuned with a grid search and 3-fold cross-validation.

def create_model_intro():
    # The intro model, returned without compiling: the wrapper below compiles it once for each
    # optimizer in the grid.
    inputs_intro = keras.Input(shape=train_images.shape[1:])
    x_intro = keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation='relu')(inputs_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_intro)
    x_intro = keras.layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu')(x_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2, 2))(x_intro)
    x_intro = keras.layers.Flatten()(x_intro)
    x_intro = keras.layers.Dense(units=64, activation='relu')(x_intro)
    outputs_intro = keras.layers.Dense(units=10, activation='softmax')(x_intro)
    model_intro = keras.Model(inputs=inputs_intro, outputs=outputs_intro, name='cifar_model_intro')
    return model_intro


# Make the Keras model look like a scikit-learn estimator. Two epochs per fit keeps the search
# short enough for a demonstration; raise it for a real comparison.
model_grid = KerasClassifier(model=create_model_intro,
                             loss='categorical_crossentropy',
                             metrics=['categorical_accuracy'],
                             epochs=2, batch_size=32, verbose=0)

# Every value in the grid is tried; with 3 folds that is three fits per optimizer.
param_grid = {'optimizer': ['SGD', 'RMSprop', 'Adam']}
grid = GridSearchCV(estimator=model_grid, param_grid=param_grid, n_jobs=1, cv=3)

grid_result = grid.fit(train_images, train_labels)
print('best score', grid_result.best_score_, 'with', grid_result.best_params_)
