/** Pixel conversions with no DOM, so they are unit-tested under Node. */
import type { PanelImage } from "../../src/protocol/panels";

export function decodePixels(image: PanelImage): Uint8Array {
  const binary = atob(image.pixelsBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** HWC grey or RGB to RGBA, the layout `ImageData` wants. */
export function toRgba(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const source = p * channels;
    const r = pixels[source] ?? 0;
    rgba[p * 4] = r;
    rgba[p * 4 + 1] = channels === 3 ? (pixels[source + 1] ?? 0) : r;
    rgba[p * 4 + 2] = channels === 3 ? (pixels[source + 2] ?? 0) : r;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
