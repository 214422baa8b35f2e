/**
 * A small, valid PNG for the TOTP enrollment `qrCode.imageData`: a QR-like
 * pattern (three finder squares, modules derived from a hash of the content).
 * It is NOT a scannable QR code: a person reads the secret from the `otpauth://`
 * content (offline TOTP) or the control page, and a test calls `scanEnrollment()`.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

const MODULES = 25;
const SCALE = 4;
const QUIET = 2;

let crcTable: Uint32Array | undefined;

function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An 8-bit grayscale PNG from rows of 0 (black) / 255 (white) pixels. */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: grayscale
  // compression, filter and interlace methods: 0
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function inFinder(x: number, y: number): boolean | undefined {
  for (const [fx, fy] of [[0, 0], [MODULES - 7, 0], [0, MODULES - 7]] as const) {
    const dx = x - fx;
    const dy = y - fy;
    if (dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7) {
      if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return false; // separator
      const ring = Math.min(dx, dy, 6 - dx, 6 - dy);
      return ring !== 1;
    }
  }
  return undefined;
}

/** A QR-looking PNG derived from `content`, base64 (no `data:` prefix). */
export function pseudoQrPngBase64(content: string): string {
  const size = (MODULES + 2 * QUIET) * SCALE;
  const pixels = new Uint8Array(size * size).fill(255);
  let seed = createHash('sha256').update(content).digest();
  let bit = 0;
  const nextBit = (): boolean => {
    if (bit >= seed.length * 8) {
      seed = createHash('sha256').update(seed).digest();
      bit = 0;
    }
    const value = ((seed[bit >> 3] ?? 0) >> (bit & 7)) & 1;
    bit += 1;
    return value === 1;
  };
  for (let y = 0; y < MODULES; y++) {
    for (let x = 0; x < MODULES; x++) {
      const dark = inFinder(x, y) ?? (y === 6 || x === 6 ? (x + y) % 2 === 0 : nextBit());
      if (!dark) continue;
      for (let py = 0; py < SCALE; py++) {
        const row = (y + QUIET) * SCALE + py;
        pixels.fill(0, row * size + (x + QUIET) * SCALE, row * size + (x + QUIET + 1) * SCALE);
      }
    }
  }
  return encodeGrayPng(pixels, size, size).toString('base64');
}
