/**
 * Yubico OTP (the YubiKey's "touch to type" one-time password): a 16-byte token
 * `private id (6) | use counter (2, LE) | timestamp (3, LE) | session counter (1) |
 * random (2) | CRC-16 (2, LE)`, AES-128-ECB encrypted with the key's secret and
 * written in modhex after the 12-character public id: 44 characters in all.
 *
 * The simulator plays both sides: {@link YubiKey.generate} is the key, and
 * {@link YubiKey.verify} the validation server (CRC, private id, and a strictly
 * increasing counter, so a replayed OTP is refused).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Modhex: the hex digits 0–f typed as keys that sit in the same place on every keyboard layout. */
export const MODHEX = 'cbdefghijklnrtuv';

/** The key material of one YubiKey slot. */
export interface YubiKeyConfig {
  /** 12 modhex characters (6 bytes). */
  publicId: string;
  /** 6 bytes, hex. */
  privateId: string;
  /** 16 bytes, hex. */
  aesKey: string;
}

/** Hex → modhex. */
export function toModhex(hex: string): string {
  return [...hex.toLowerCase()].map((c) => MODHEX[parseInt(c, 16)] ?? '').join('');
}

/** Modhex → bytes; undefined for other characters or an odd length. */
export function fromModhex(text: string): Buffer | undefined {
  const lower = text.toLowerCase();
  if (lower.length % 2 !== 0 || ![...lower].every((c) => MODHEX.includes(c))) return undefined;
  return Buffer.from([...lower].map((c) => MODHEX.indexOf(c).toString(16)).join(''), 'hex');
}

/** CRC-16/ISO-13239 as Yubico computes it (init 0xffff, reflected poly 0x8408, no final xor). */
export function yubicoCrc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) {
      const carry = crc & 1;
      crc >>= 1;
      if (carry) crc ^= 0x8408;
    }
  }
  return crc;
}

/** CRC-16 over a whole valid token (including its stored complement) leaves this residue. */
const CRC_RESIDUE = 0xf0b8;

/** Key material derived from a user name, so a demo key stays the same across runs. */
export function derivedYubiKey(username: string): YubiKeyConfig {
  const h = createHash('sha256').update(`oaa-sim/yubikey/${username.toLowerCase()}`).digest();
  // Real public ids start with the `cc` prefix (0x00), which also keeps them readable.
  return { publicId: toModhex(`00${h.subarray(0, 5).toString('hex')}`), privateId: h.subarray(5, 11).toString('hex'), aesKey: h.subarray(11, 27).toString('hex') };
}

/** True for a well-formed key configuration. */
export function isValidYubiKeyConfig(config: YubiKeyConfig): boolean {
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof config.publicId === 'string' &&
    fromModhex(config.publicId)?.length === 6 &&
    typeof config.privateId === 'string' &&
    /^[0-9a-f]{12}$/i.test(config.privateId) &&
    typeof config.aesKey === 'string' &&
    /^[0-9a-f]{32}$/i.test(config.aesKey)
  );
}

/** One YubiKey and the validation server's memory of it. */
export class YubiKey {
  /** Non-volatile counter of the key (bumped when the session counter wraps). */
  private useCounter = 1;
  private sessionCounter = 0;
  /** Highest (useCounter << 8 | sessionCounter) the validator accepted. */
  private lastAccepted = -1;
  /** The last OTP {@link YubiKey.generate} produced. */
  lastOtp: string | undefined;

  constructor(readonly config: YubiKeyConfig) {}

  /** A touch of the key: a fresh 44-character OTP. */
  generate(): string {
    if (this.sessionCounter > 0xff) {
      this.sessionCounter = 0;
      this.useCounter = (this.useCounter + 1) & 0xffff;
    }
    const token = Buffer.alloc(16);
    Buffer.from(this.config.privateId, 'hex').copy(token, 0);
    token.writeUInt16LE(this.useCounter, 6);
    token.writeUIntLE(Math.floor(Date.now() / 125) & 0xffffff, 8, 3); // the key's 8 Hz clock
    token.writeUInt8(this.sessionCounter, 11);
    randomBytes(2).copy(token, 12);
    token.writeUInt16LE(~yubicoCrc16(token.subarray(0, 14)) & 0xffff, 14);
    this.sessionCounter += 1;
    const cipher = createCipheriv('aes-128-ecb', Buffer.from(this.config.aesKey, 'hex'), null).setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(token), cipher.final()]);
    this.lastOtp = this.config.publicId + toModhex(encrypted.toString('hex'));
    return this.lastOtp;
  }

  /** Validates a typed OTP; a valid one is consumed (the same or an older one is refused afterwards). */
  verify(typed: unknown): boolean {
    if (typeof typed !== 'string') return false;
    const otp = typed.trim().toLowerCase();
    if (otp.length !== this.config.publicId.length + 32 || !otp.startsWith(this.config.publicId.toLowerCase())) return false;
    const encrypted = fromModhex(otp.slice(-32));
    if (!encrypted) return false;
    const decipher = createDecipheriv('aes-128-ecb', Buffer.from(this.config.aesKey, 'hex'), null).setAutoPadding(false);
    const token = Buffer.concat([decipher.update(encrypted), decipher.final()]);
    if (yubicoCrc16(token) !== CRC_RESIDUE) return false;
    if (token.subarray(0, 6).toString('hex') !== this.config.privateId.toLowerCase()) return false;
    const counter = (token.readUInt16LE(6) << 8) | token.readUInt8(11);
    if (counter <= this.lastAccepted) return false;
    this.lastAccepted = counter;
    return true;
  }
}
