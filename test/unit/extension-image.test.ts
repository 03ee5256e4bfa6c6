import assert from "node:assert/strict";
import { test } from "node:test";
import { encode as encodeJpeg } from "jpeg-js";
import { PNG } from "pngjs";
import { decodeImage, ImageFormatError, letterboxToInput, resizeToInput } from "../../src/extension/results/imageInput";

/** A width × height image, left half red and right half blue, fully opaque. */
function halves(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      data.set(x < width / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], at);
    }
  }
  return data;
}

test("PNG and JPEG files decode by content; anything else is refused in plain words", () => {
  const png = new PNG({ width: 8, height: 4 });
  png.data = Buffer.from(halves(8, 4));
  const decodedPng = decodeImage(PNG.sync.write(png));
  assert.deepEqual([decodedPng.width, decodedPng.height], [8, 4]);
  assert.deepEqual([...decodedPng.data.slice(0, 4)], [255, 0, 0, 255]);

  const jpeg = encodeJpeg({ width: 16, height: 16, data: Buffer.from(halves(16, 16)) }, 95);
  const decodedJpeg = decodeImage(jpeg.data);
  assert.deepEqual([decodedJpeg.width, decodedJpeg.height], [16, 16]);
  assert.ok((decodedJpeg.data[0] ?? 0) > 200 && (decodedJpeg.data[2] ?? 255) < 60, "the left edge stays red");

  assert.throws(() => decodeImage(new TextEncoder().encode("GIF89a....")), ImageFormatError);
});

test("resizing keeps where things are, drops alpha onto white and can make greyscale", () => {
  const image = { width: 64, height: 32, data: halves(64, 32) };
  const rgb = resizeToInput(image, 32, 32, 3);
  assert.equal(rgb.length, 32 * 32 * 3);
  assert.deepEqual([...rgb.slice(0, 3)], [255, 0, 0], "top-left stays red");
  assert.deepEqual([...rgb.slice((32 * 32 - 1) * 3)], [0, 0, 255], "bottom-right stays blue");

  const grey = resizeToInput(image, 28, 28, 1);
  assert.equal(grey.length, 28 * 28);
  assert.equal(grey[0], Math.round(0.299 * 255));

  const transparent = { width: 1, height: 1, data: new Uint8Array([0, 0, 0, 0]) };
  assert.deepEqual([...resizeToInput(transparent, 2, 2, 3)], new Array(12).fill(255));
});

test("letterboxing keeps a wide photo's proportions and fills the rest with its own background", () => {
  // 300×200 of dark grey with a white square in the middle.
  const width = 300;
  const height = 200;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= 125 && x < 175 && y >= 75 && y < 125;
      data.set(inside ? [255, 255, 255, 255] : [20, 20, 20, 255], (y * width + x) * 4);
    }
  }
  const boxed = letterboxToInput({ width, height, data }, 28, 28, 1);
  assert.deepEqual([boxed.innerWidth, boxed.innerHeight], [28, 19], "3:2 stays 3:2");
  assert.equal(boxed.pixels.length, 28 * 28);
  assert.equal(boxed.pixels[0], 20, "the bar above is the photo's background");
  assert.equal(boxed.pixels[27 * 28 + 27], 20, "and so is the bar below");
  assert.ok((boxed.pixels[14 * 28 + 14] ?? 0) > 200, "the white square is still in the middle");
  assert.equal(boxed.borderBrightness, 20);
  const square = Array.from({ length: 28 }, (_, x) => boxed.pixels[14 * 28 + x] ?? 0).filter((v) => v > 128).length;
  const squareTall = Array.from({ length: 28 }, (_, y) => boxed.pixels[y * 28 + 14] ?? 0).filter((v) => v > 128).length;
  assert.ok(Math.abs(square - squareTall) <= 1, `a square stays square (${square}×${squareTall})`);
});
