/** Images for the panels: raw uint8 HWC pixels, base64 for compact JSON. No 'vscode' import. */
import type { PanelImage } from "../../protocol/panels";

export function encodePanelImage(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): PanelImage {
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`An image of ${width}×${height}×${channels} needs ${width * height * channels} bytes, got ${pixels.length}.`);
  }
  return { width, height, channels, pixelsBase64: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString("base64") };
}
