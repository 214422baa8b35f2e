/**
 * Tokens of the simulated identity domain: access tokens (the sign-in app's
 * client-credentials token and users' jwt-bearer tokens), authnTokens and trust tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type RsaJwtSigner, nowSeconds } from './jwt.js';

/** What an access token stands for. */
export type TokenSubject = { kind: 'app' } | { kind: 'user'; userKey: string };

/** Access tokens (`POST /oauth2/v1/token`), RS256 JWTs. UNVERIFIED: their claims (clients must treat them as opaque). */
export class AccessTokenStore {
  /** token → subject and expiry (ms). */
  private readonly live = new Map<string, { subject: TokenSubject; expiresAt: number }>();
  private issuedCount = 0;
  private userIssuedCount = 0;

  constructor(private readonly signer: RsaJwtSigner) {}

  issue(subject: TokenSubject, claims: Record<string, unknown>, ttlSeconds: number): string {
    const now = nowSeconds();
    const token = this.signer.sign({ ...claims, iat: now, exp: now + ttlSeconds, jti: randomUUID() });
    this.live.set(token, { subject, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.issuedCount += 1;
    if (subject.kind === 'user') this.userIssuedCount += 1;
    return token;
  }

  /** The subject of `Authorization: Bearer <live token>`, or undefined. */
  subjectOf(authorization: string | undefined): TokenSubject | undefined {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const entry = token === undefined ? undefined : this.live.get(token);
    if (!entry) return undefined;
    if (Date.now() < entry.expiresAt) return entry.subject;
    this.live.delete(token!);
    return undefined;
  }

  /** Every token issued so far stops working. */
  expireAll(): void {
    this.live.clear();
  }

  /** Tokens issued and not expired. */
  activeCount(): number {
    const now = Date.now();
    let n = 0;
    for (const { expiresAt } of this.live.values()) if (now < expiresAt) n += 1;
    return n;
  }

  /** Successful token requests (both grants) since start or the last {@link AccessTokenStore.clear}. */
  get issued(): number {
    return this.issuedCount;
  }

  /** Of those, user tokens. */
  get userIssued(): number {
    return this.userIssuedCount;
  }

  clear(): void {
    this.live.clear();
    this.issuedCount = 0;
    this.userIssuedCount = 0;
  }
}

/** Lifetime of an authnToken: Oracle's saved ones have `exp - iat` of 28 and 29 seconds. */
export const AUTHN_TOKEN_LIFETIME_SECONDS = 29;

/** Bytes of the opaque `session` claim (Oracle's are 1175 to 1346 base64 characters). */
const SESSION_BYTES = 900;

/**
 * authnTokens: payload exactly `{session, iss: "authsdk", exp, iat, tenant}` as in Oracle's
 * saved tokens (decoded from the collection), with no user claims; the simulator keeps
 * `session` → user to serve the jwt-bearer grant.
 */
export class AuthnTokenStore {
  private readonly sessions = new Map<string, { userKey: string; exp: number }>();

  constructor(
    private readonly signer: RsaJwtSigner,
    private readonly tenant: string,
  ) {}

  issue(userKey: string): string {
    this.sweep();
    const session = randomBytes(SESSION_BYTES).toString('base64');
    const iat = nowSeconds();
    const exp = iat + AUTHN_TOKEN_LIFETIME_SECONDS;
    this.sessions.set(session, { userKey, exp });
    return this.signer.sign({ session, iss: 'authsdk', exp, iat, tenant: this.tenant });
  }

  /**
   * The user of an authnToken this simulator issued; `expired` after its `exp`.
   * UNVERIFIED: Oracle may accept an authnToken once only; the simulator accepts it until it expires.
   */
  redeem(assertion: unknown): { userKey: string } | 'expired' | 'invalid' {
    const payload = this.signer.verify(assertion);
    if (!payload || payload.iss !== 'authsdk' || typeof payload.session !== 'string') return 'invalid';
    const entry = this.sessions.get(payload.session);
    if (!entry) return 'invalid';
    return nowSeconds() < entry.exp ? { userKey: entry.userKey } : 'expired';
  }

  /** Every authnToken issued so far expires now. */
  expireAll(): void {
    for (const entry of this.sessions.values()) entry.exp = 0;
  }

  clear(): void {
    this.sessions.clear();
  }

  private sweep(): void {
    const now = nowSeconds();
    for (const [session, entry] of this.sessions) if (entry.exp + 60 < now) this.sessions.delete(session);
  }
}

/** Bytes of a trust token (Oracle's saved ones are about 316 base64 characters). */
const TRUST_TOKEN_BYTES = 237;

/**
 * Trust tokens of trusted devices: opaque, bound to one user. UNVERIFIED: how Oracle honours
 * one later (its sample client forwards it to `/sso/v1/sdk/session`); the simulator accepts it
 * as a top-level `trustToken` of the password submit and then skips MFA.
 */
export class TrustTokenStore {
  private readonly byToken = new Map<string, { userKey: string; expiresAt: number }>();

  issue(userKey: string, days: number): string {
    const token = randomBytes(TRUST_TOKEN_BYTES).toString('base64');
    this.byToken.set(token, { userKey, expiresAt: Date.now() + days * 86_400_000 });
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
