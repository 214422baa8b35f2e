/**
 * Tokens of the simulated identity domain: client-credentials access tokens,
 * the authnToken (an HS256 JWT signed with a per-simulator key) and trust tokens.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { randomId } from '../shared/ids.js';

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Lifetime of the authnToken (`exp = iat + 300`). */
export const AUTHN_TOKEN_LIFETIME_SECONDS = 300;
/** `trustDurationInDays` of trusted devices. */
export const TRUST_DURATION_DAYS = 15;

export class JwtSigner {
  private readonly key = randomBytes(32);

  /** A compact HS256 JWS. */
  sign(payload: Record<string, unknown>): string {
    const input = `${part({ alg: 'HS256', typ: 'JWT', kid: 'SIGNING_KEY' })}.${part(payload)}`;
    return `${input}.${createHmac('sha256', this.key).update(input).digest('base64url')}`;
  }

  /** The payload of a token this signer issued, or undefined (bad signature or shape; `exp` is not checked). */
  verify(token: string): Record<string, unknown> | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (!header || !payload || !signature || rest.length > 0) return undefined;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Client-credentials access tokens (`POST /oauth2/v1/token`). */
export class AccessTokenStore {
  /** token → expiry (ms). */
  private readonly live = new Map<string, number>();
  private issuedCount = 0;

  constructor(private readonly signer: JwtSigner) {}

  issue(clientId: string, issuer: string, scope: string, ttlSeconds: number): string {
    const now = Math.floor(Date.now() / 1000);
    const token = this.signer.sign({
      sub: clientId,
      sub_type: 'client',
      client_id: clientId,
      iss: issuer,
      aud: ['urn:opc:lbaas:logicalguid=sim', issuer],
      scope,
      iat: now,
      exp: now + ttlSeconds,
      jti: randomUUID(),
    });
    this.live.set(token, Date.now() + ttlSeconds * 1000);
    this.issuedCount += 1;
    return token;
  }

  /** True for `Authorization: Bearer <live token>`. */
  isValid(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const expiresAt = match?.[1] ? this.live.get(match[1]) : undefined;
    if (expiresAt === undefined) return false;
    if (Date.now() < expiresAt) return true;
    this.live.delete(match![1]!);
    return false;
  }

  /** Every token issued so far stops working. */
  expireAll(): void {
    this.live.clear();
  }

  /** Tokens issued and not expired. */
  activeCount(): number {
    const now = Date.now();
    let n = 0;
    for (const expiresAt of this.live.values()) if (now < expiresAt) n += 1;
    return n;
  }

  /** Successful token requests since start (or the last {@link AccessTokenStore.clear}). */
  get issued(): number {
    return this.issuedCount;
  }

  /** Every token stops working and the issued count starts again at 0. */
  clear(): void {
    this.live.clear();
    this.issuedCount = 0;
  }
}

/** Trust tokens of trusted devices: opaque, bound to one user, valid {@link TRUST_DURATION_DAYS} days. */
export class TrustTokenStore {
  private readonly byToken = new Map<string, { userKey: string; expiresAt: number }>();

  issue(userKey: string): string {
    const token = randomId(48);
    this.byToken.set(token, { userKey, expiresAt: Date.now() + TRUST_DURATION_DAYS * 86_400_000 });
    return token;
  }

  /** True when `token` is a live trust token of this user. */
  isValidFor(token: unknown, userKey: string): boolean {
    if (typeof token !== 'string') return false;
    const entry = this.byToken.get(token);
    return entry !== undefined && entry.userKey === userKey && Date.now() < entry.expiresAt;
  }

  count(): number {
    return this.byToken.size;
  }

  clear(): void {
    this.byToken.clear();
  }
}
