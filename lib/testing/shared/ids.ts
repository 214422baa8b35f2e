/** Random and stable identifiers used by the simulators. */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Opaque random id, base64url (32 bytes by default). */
export function randomId(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A fresh six-digit one-time code. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A uuid derived from a string, so a user keeps the same id across runs. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
