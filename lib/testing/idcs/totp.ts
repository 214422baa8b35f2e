/**
 * RFC 4648 base32 and RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits):
 * what every authenticator app computes from the shared secret.
 */
import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** TOTP time step in seconds. */
export const TOTP_PERIOD_SECONDS = 30;
/** Accepted clock drift, in steps on either side (the previous and next code are accepted too). */
export const TOTP_WINDOW = 1;

/** Base32 without padding. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive; spaces and `=` padding ignored). @throws TypeError on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) throw new TypeError('invalid base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** True for a base32 string that decodes to at least 10 bytes (80 bits, as RFC 4226 asks). */
export function isValidTotpSecret(secret: string): boolean {
  try {
    return base32Decode(secret).length >= 10;
  } catch {
    return false;
  }
}

/** A fresh 160-bit secret, base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The six-digit code for `secret` at `timeMs`, shifted by `stepOffset` time steps. */
export function totpAt(secret: string, timeMs: number, stepOffset = 0): string {
  const counter = Math.floor(timeMs / 1000 / TOTP_PERIOD_SECONDS) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.max(0, counter)));
  const hmac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = (hmac[hmac.length - 1] ?? 0) & 0x0f;
  const binary = hmac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** Checks a typed code against the current step and {@link TOTP_WINDOW} steps either side. */
export function verifyTotp(secret: string, code: unknown, timeMs = Date.now()): boolean {
  if (typeof code !== 'string') return false;
  const typed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(typed)) return false;
  for (let offset = -TOTP_WINDOW; offset <= TOTP_WINDOW; offset++) {
    if (totpAt(secret, timeMs, offset) === typed) return true;
  }
  return false;
}
