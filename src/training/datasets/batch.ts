/**
 * Turns a few uint8 images into the tensors one training step needs. Normalising here, batch by
 * batch, is what lets whole datasets stay as bytes in memory.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ImageSet } from "./types";

/**
 * `x`: float32 images in [0, 1] (each byte divided by 255, as the lesson's `images / 255.0`);
 * `y`: one-hot float32 labels (the lesson's `to_categorical`). Safe inside `tf.tidy`.
 */
export function batchTensors(
  set: ImageSet,
  imageShape: [number, number, number],
  indices: ArrayLike<number>,
  numClasses: number,
): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const [height, width, channels] = imageShape;
  const size = height * width * channels;
  if (set.count > 0 && set.images.length !== set.count * size) {
    throw new RangeError(`The images are not ${height}x${width}x${channels}: ${set.images.length} bytes for ${set.count} images.`);
  }
  const pixels = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k]!;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) throw new RangeError(`Image index ${index} is outside 0..${set.count - 1}.`);
    const label = set.labels[index]!;
    if (label >= numClasses) throw new RangeError(`Image ${index} has label ${label}, but there are only ${numClasses} classes.`);
    labels[k] = label;
    const source = index * size;
    const target = k * size;
    for (let p = 0; p < size; p++) pixels[target + p] = set.images[source + p]! / 255;
  }
  return tf.tidy(() => ({
    x: tf.tensor4d(pixels, [indices.length, height, width, channels], "float32"),
    y: tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), numClasses), "float32") as tf.Tensor2D,
  }));
}
