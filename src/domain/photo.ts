/**
 * C1 form photos: real JPEG files (a 16×16 baseline image that decodes anywhere) padded with
 * comment (COM) segments to the wanted size, so they pass a magic check, keep SOI…EOI framing
 * and are as incompressible as a camera photo. A PhotoPool pre-builds a few buffers of sizes
 * drawn from a distribution and hands them out by index: no allocation per upload.
 */
import { sample, type Distribution } from './distribution.js';
import { rngFor } from './rng.js';

/** A valid 300-byte JPEG (16×16 checkerboard, made with cjpeg -quality 50 -optimize). */
const BASE_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAYEAACAwAAAAAAAAAAAAAAAAAAEjNigf/EABUBAQEAAAAAAAAAAAAAAAAAAAAC/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AuYLNggs2CCzYILNhI//Z',
  'base64',
);
/** SOI (2) + APP0 JFIF segment (18): comments go right after. */
const HEADER_END = 20;
const MAX_SEGMENT_PAYLOAD = 65533;

/** The base image plus one empty comment segment: every photo has at least one to size it. */
export const MIN_PHOTO_BYTES = BASE_JPEG.length + 4;

/** A JPEG's first three bytes as one big-endian number: SOI (FF D8) and the next marker's FF. */
export const JPEG_START = 0xffd8ff;
/** A JPEG's last two bytes as one big-endian number: EOI (FF D9). */
export const JPEG_END = 0xffd9;

/** True if the bytes start with a JPEG SOI marker followed by another marker (FF D8 FF). */
export function isJpeg(buf: Uint8Array): boolean {
  return buf.length >= 4 && ((buf[0] << 16) | (buf[1] << 8) | buf[2]) === JPEG_START;
}

/** True if the bytes end with EOI (FF D9). */
export function endsWithEoi(buf: Uint8Array): boolean {
  return buf.length >= 2 && ((buf[buf.length - 2] << 8) | buf[buf.length - 1]) === JPEG_END;
}

/** A JPEG of exactly `bytes` bytes (at least MIN_PHOTO_BYTES); content seeded by `seed`. */
export function makeJpeg(bytes: number, seed = 0): Buffer {
  const size = Math.max(MIN_PHOTO_BYTES, Math.round(bytes));
  const out = Buffer.allocUnsafe(size);
  BASE_JPEG.copy(out, 0, 0, HEADER_END);
  let pos = HEADER_END;
  let pad = size - BASE_JPEG.length;
  const rng = rngFor(seed, `photo/${size}`);
  while (pad > 0) {
    // A segment costs 4 bytes of marker and length; a remainder under 4 is folded into the last one.
    // pad >= 4 here; never leave a remainder of 1..3 bytes, which no segment could hold.
    let payload = Math.min(MAX_SEGMENT_PAYLOAD, pad - 4);
    const left = pad - (payload + 4);
    if (left > 0 && left < 4) payload -= 4;
    out[pos] = 0xff;
    out[pos + 1] = 0xfe;
    out.writeUInt16BE(payload + 2, pos + 2);
    pos += 4;
    for (let i = 0; i < payload; i += 4) {
      const word = (rng() * 0x100000000) >>> 0;
      for (let b = 0; b < 4 && i + b < payload; b++) out[pos + i + b] = (word >>> (b * 8)) & 0xff;
    }
    pos += payload;
    pad -= payload + 4;
  }
  BASE_JPEG.copy(out, pos, HEADER_END);
  return out;
}

/** Pre-built photos of sizes drawn from a distribution, reused round-robin. */
export class PhotoPool {
  private readonly photos: Buffer[];

  constructor(dist: Distribution, seed: number, count = 16, maxBytes = 20_000_000) {
    const rng = rngFor(seed, 'photo-pool');
    this.photos = Array.from({ length: count }, (_, i) =>
      makeJpeg(Math.min(maxBytes, Math.max(MIN_PHOTO_BYTES, sample(dist, rng))), seed + i));
  }

  /** The photo for the n-th page sent (n any integer). */
  get(n: number): Buffer {
    return this.photos[((n % this.photos.length) + this.photos.length) % this.photos.length];
  }

  get size(): number {
    return this.photos.length;
  }

  meanBytes(): number {
    return this.photos.reduce((s, p) => s + p.length, 0) / this.photos.length;
  }
}
