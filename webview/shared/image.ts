/** Draws the host's raw uint8 HWC images onto canvases, pixel for pixel; CSS scales them up sharply. */
import type { PanelImage } from "../../src/protocol/panels";
import { h } from "./dom";

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

/** A canvas showing the image; `label` is read by screen readers. */
export function imageCanvas(image: PanelImage, label: string, className = "pixel-image"): HTMLCanvasElement {
  const canvas = h("canvas", { class: className, width: image.width, height: image.height, role: "img", "aria-label": label });
  const context = canvas.getContext("2d");
  if (context) {
    const rgba = toRgba(decodePixels(image), image.width, image.height, image.channels);
    context.putImageData(new ImageData(rgba, image.width, image.height), 0, 0);
  }
  return canvas;
}
