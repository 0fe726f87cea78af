import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

// Real images for the clients that load them: a generated default avatar per user (PNG, as
// Mattermost's app.GetDefaultProfileImage) and JPEG thumbnails and previews of uploaded PNG/JPEG
// files (Mattermost's ThumbnailImageType / PreviewImageType). pngjs and jpeg-js are pure
// JavaScript (MIT, BSD-3-Clause), so the double needs no native image library; see
// docs/dependencies.md for the choice.

/** Mattermost's thumbnail box and preview width (model/file_info.go, app/file.go). */
export const THUMBNAIL_WIDTH = 120;
export const THUMBNAIL_HEIGHT = 100;
export const PREVIEW_WIDTH = 1920;
// Decoding is done in the request path: larger images are stored without thumbnail/preview.
const MAX_DECODED_PIXELS = 24_000_000;
const JPEG_QUALITY = 90;
const AVATAR_SIZE = 128;

export interface Bitmap {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  data: Uint8Array;
}

/** Decodes a PNG or JPEG by its extension; null when it is not one or does not decode. */
export function decodeImage(extension: string, bytes: Buffer): Bitmap | null {
  try {
    if (extension === 'png') {
      const png = PNG.sync.read(bytes);
      if (png.width * png.height > MAX_DECODED_PIXELS) return null;
      return { width: png.width, height: png.height, data: png.data };
    }
    if (extension === 'jpg' || extension === 'jpeg') {
      const img = jpeg.decode(bytes, { useTArray: true, maxResolutionInMP: MAX_DECODED_PIXELS / 1e6 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch {
    return null;
  }
  return null;
}

/** Box-averaged downscale to width x height (never upscales a dimension beyond the source). */
export function resize(src: Bitmap, width: number, height: number): Bitmap {
  const w = Math.max(1, Math.min(width, src.width));
  const h = Math.max(1, Math.min(height, src.height));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * src.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * src.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / w));
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * src.width + sx) * 4;
          for (let c = 0; c < 4; c++) sum[c]! += src.data[i + c]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * w + x) * 4;
      for (let c = 0; c < 4; c++) out[o + c] = Math.round(sum[c]! / n);
    }
  }
  return { width: w, height: h, data: out };
}

/** Fits the image into the thumbnail box, keeping its aspect ratio. */
export function thumbnailOf(src: Bitmap): Buffer {
  const scale = Math.min(THUMBNAIL_WIDTH / src.width, THUMBNAIL_HEIGHT / src.height, 1);
  return encodeJpeg(resize(src, Math.round(src.width * scale), Math.round(src.height * scale)));
}

/** Scales the image down to the preview width (never up), keeping its aspect ratio. */
export function previewOf(src: Bitmap): Buffer {
  if (src.width <= PREVIEW_WIDTH) return encodeJpeg(src);
  const height = Math.round((src.height * PREVIEW_WIDTH) / src.width);
  return encodeJpeg(resize(src, PREVIEW_WIDTH, height));
}

export function encodeJpeg(img: Bitmap): Buffer {
  return jpeg.encode({ width: img.width, height: img.height, data: img.data }, JPEG_QUALITY).data;
}

/**
 * The default profile image: a colour derived from the user id behind the first letter of the
 * username drawn as a block glyph, 128x128 PNG — generated each time, like Mattermost's.
 */
export function defaultAvatarPng(userId: string, username: string): Buffer {
  const digest = createHash('sha256').update(userId).digest();
  const png = new PNG({ width: AVATAR_SIZE, height: AVATAR_SIZE });
  const [r, g, b] = [64 + (digest[0]! % 160), 64 + (digest[1]! % 160), 64 + (digest[2]! % 160)];
  const glyph = glyphBits((username[0] ?? '?').toUpperCase());
  const cell = 12;
  const origin = (AVATAR_SIZE - cell * 5) / 2;
  for (let y = 0; y < AVATAR_SIZE; y++) {
    for (let x = 0; x < AVATAR_SIZE; x++) {
      const gx = Math.floor((x - origin) / cell);
      const gy = Math.floor((y - origin) / cell);
      const on = gx >= 0 && gx < 5 && gy >= 0 && gy < 5 && (glyph[gy]! >> (4 - gx)) & 1;
      const i = (y * AVATAR_SIZE + x) * 4;
      png.data[i] = on ? 255 : r;
      png.data[i + 1] = on ? 255 : g;
      png.data[i + 2] = on ? 255 : b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

// A 5x5 pattern per character, derived from its code: recognisably different per letter, not a font.
function glyphBits(ch: string): number[] {
  const code = ch.codePointAt(0) ?? 63;
  return [0, 1, 2, 3, 4].map((row) => {
    const half = ((code * (row + 3)) >> row) & 0b111;
    return (half << 2) | ((half & 0b10) >> 1) | ((half & 0b100) >> 1);
  });
}
