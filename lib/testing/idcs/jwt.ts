/**
 * RS256 JWTs signed with a key pair each simulator generates when it starts. The header is
 * the one of Oracle's saved authnTokens and QR-code `OTP` tokens: `{"kid":"SIGNING_KEY",
 * "typ":"JWT","alg":"RS256"}` (Oracle_Identity_Cloud_Service_Authentication_API collection,
 * e.g. "…Security Questions Enrollment" Step 5 `authnToken`; decoded, signature 342 characters).
 */
import { type KeyObject, generateKeyPairSync, sign, verify } from 'node:crypto';

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export const JWT_HEADER = { kid: 'SIGNING_KEY', typ: 'JWT', alg: 'RS256' } as const;

export class RsaJwtSigner {
  private readonly privateKey: KeyObject;
  /** The public half, to verify tokens outside the simulator. */
  readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** A compact RS256 JWS of `payload`. */
  sign(payload: Record<string, unknown>): string {
    const input = `${part(JWT_HEADER)}.${part(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }

  /** The payload of a token this signer issued, or undefined (bad shape or signature; `exp` is not checked). */
  verify(token: unknown): Record<string, unknown> | undefined {
    if (typeof token !== 'string') return undefined;
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return undefined;
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), this.publicKey, Buffer.from(signature, 'base64url'))) return undefined;
    try {
      const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Seconds since the epoch. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
