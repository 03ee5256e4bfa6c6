/** Draws the host's raw uint8 HWC images onto canvases, pixel for pixel; CSS scales them up sharply. */
import type { PanelImage } from "../../src/protocol/panels";
import { h } from "./dom";
import { decodePixels, toRgba } from "./pixels";

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
