/**
 * Classify Image…: a PNG or JPEG file decoded with pure-JS decoders and resized to the model's
 * input (height × width × 1 or 3 channels, uint8) the way a learner would with
 * `keras.utils.load_img(target_size=…)`. No 'vscode' import: unit-tested.
 */
import { decode as decodeJpeg } from "jpeg-js";
import { PNG } from "pngjs";

export interface RgbaImage {
  width: number;
  height: number;
  /** Row-major RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

export class ImageFormatError extends Error {}

/** Decodes a PNG or JPEG by its content (the first bytes), not by its file name. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
    }
    if (isJpeg) {
      // The limit keeps a huge photo from exhausting the editor's memory (a 40-megapixel photo fits).
      const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
      return { width: jpeg.width, height: jpeg.height, data: jpeg.data };
    }
  } catch (error) {
    throw new ImageFormatError(`The image could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new ImageFormatError("This file is neither a PNG nor a JPEG image.");
}

/**
 * Bilinear resize to `height` × `width`, RGBA to HWC with 3 channels, or 1 channel (luminance) for
 * greyscale models. Transparent pixels are laid on white, as an image viewer shows them.
 */
export function resizeToInput(image: RgbaImage, height: number, width: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(height * width * channels);
  const scaleY = image.height / height;
  const scaleX = image.width / width;
  const pixel = (x: number, y: number, c: number): number => {
    const offset = (y * image.width + x) * 4;
    const alpha = (image.data[offset + 3] ?? 255) / 255;
    return (image.data[offset + c] ?? 0) * alpha + 255 * (1 - alpha);
  };
  for (let y = 0; y < height; y++) {
    // Pixel centres map onto pixel centres, as in tf.image.resize(half_pixel_centers=True).
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), image.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), image.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const fx = sx - x0;
      const rgb = [0, 1, 2].map((c) => {
        const top = pixel(x0, y0, c) * (1 - fx) + pixel(x1, y0, c) * fx;
        const bottom = pixel(x0, y1, c) * (1 - fx) + pixel(x1, y1, c) * fx;
        return top * (1 - fy) + bottom * fy;
      }) as [number, number, number];
      const at = (y * width + x) * channels;
      if (channels === 3) {
        out[at] = Math.round(rgb[0]);
        out[at + 1] = Math.round(rgb[1]);
        out[at + 2] = Math.round(rgb[2]);
      } else {
        out[at] = Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
      }
    }
  }
  return out;
}

/** An image fitted into the model's input without distorting it, and what was done to fit it. */
export interface LetterboxedImage {
  /** HWC uint8, `height` × `width` × `channels`. */
  pixels: Uint8Array;
  /** The picture's own size inside the input, the rest being bars of its border's colour. */
  innerWidth: number;
  innerHeight: number;
  /** Mean brightness (0–255) of the picture's outer pixels: its background, as far as one can tell. */
  borderBrightness: number;
}

/**
 * Keeps the aspect ratio (a 300×200 photo is not squashed into a square): the picture is scaled
 * to fit, centred, and the rest filled with the mean colour of its own border, so the bars blend
 * into its background instead of adding edges the model never saw in training.
 */
export function letterboxToInput(image: RgbaImage, height: number, width: number, channels: 1 | 3): LetterboxedImage {
  const scale = Math.min(width / image.width, height / image.height);
  const innerWidth = Math.max(1, Math.min(width, Math.round(image.width * scale)));
  const innerHeight = Math.max(1, Math.min(height, Math.round(image.height * scale)));
  const inner = resizeToInput(image, innerHeight, innerWidth, channels);
  const border = borderColour(inner, innerHeight, innerWidth, channels);
  const pixels = new Uint8Array(height * width * channels);
  for (let i = 0; i < height * width; i++) pixels.set(border, i * channels);
  const top = Math.floor((height - innerHeight) / 2);
  const left = Math.floor((width - innerWidth) / 2);
  for (let y = 0; y < innerHeight; y++) {
    pixels.set(inner.subarray(y * innerWidth * channels, (y + 1) * innerWidth * channels), ((top + y) * width + left) * channels);
  }
  const brightness = channels === 1 ? (border[0] ?? 0) : 0.299 * (border[0] ?? 0) + 0.587 * (border[1] ?? 0) + 0.114 * (border[2] ?? 0);
  return { pixels, innerWidth, innerHeight, borderBrightness: brightness };
}

/** The mean of each channel over the outermost ring of pixels. */
function borderColour(pixels: Uint8Array, height: number, width: number, channels: number): number[] {
  const sums = new Array<number>(channels).fill(0);
  let count = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y !== 0 && y !== height - 1 && x !== 0 && x !== width - 1) continue;
      for (let c = 0; c < channels; c++) sums[c]! += pixels[(y * width + x) * channels + c] ?? 0;
      count += 1;
    }
  }
  return sums.map((sum) => Math.round(sum / Math.max(1, count)));
}
