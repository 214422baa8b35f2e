/**
 * Tokens issued on LoginSuccess: `Auth` (the `.ASPXAUTH` cookie value) and
 * `Token` (a JWT-looking platform token). Either one works as a Bearer token (§5).
 */
import { randomBytes } from 'node:crypto';
import type { SimUser } from './types.js';
import { randomId, stableUuid } from './wire.js';

export interface TokenRecord {
  readonly user: SimUser;
  readonly auth: string;
  readonly token: string;
  readonly podFqdn: string;
}

export class TokenStore {
  /** Both values of a record map to it, so Bearer `Token` and Bearer `Auth` both resolve. */
  private readonly byValue = new Map<string, TokenRecord>();

  constructor(private readonly tenantId: string) {}

  /** A new live login; `lifetimeSeconds` only sets the fake JWT's `exp` (tokens live until Logout). */
  issue(user: SimUser, podFqdn: string, lifetimeSeconds = 3600): TokenRecord {
    const record: TokenRecord = {
      user,
      // .ASPXAUTH values on real tenants are long upper-case hex strings.
      auth: randomBytes(96).toString('hex').toUpperCase(),
      token: this.fakeJwt(user, podFqdn, lifetimeSeconds),
      podFqdn,
    };
    this.byValue.set(record.auth, record);
    this.byValue.set(record.token, record);
    return record;
  }

  revoke(record: TokenRecord): void {
    this.byValue.delete(record.auth);
    this.byValue.delete(record.token);
  }

  /** The record for an `Authorization: Bearer <Token or Auth>` header. */
  fromBearer(authorization: string | undefined): TokenRecord | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match?.[1] ? this.byValue.get(match[1]) : undefined;
  }

  /** The record for the first valid `.ASPXAUTH` cookie value. */
  fromCookies(values: readonly string[]): TokenRecord | undefined {
    for (const value of values) {
      const record = this.byValue.get(value);
      if (record) return record;
    }
    return undefined;
  }

  /** Number of live logins (each has two token values). */
  count(): number {
    return new Set(this.byValue.values()).size;
  }

  clear(): void {
    this.byValue.clear();
  }

  /** A stable per-user uuid, the same across runs. */
  userId(user: SimUser): string {
    return stableUuid(`${this.tenantId}/${user.username.toLowerCase()}`);
  }

  /** The LoginSuccess `Result` (§2.6, T1). */
  successResult(record: TokenRecord): Record<string, unknown> {
    const { user } = record;
    return {
      AuthLevel: 'Normal',
      DisplayName: user.displayName,
      Token: record.token,
      Auth: record.auth,
      UserId: this.userId(user),
      EmailAddress: user.email,
      UserDirectory: 'CDS',
      PodFqdn: record.podFqdn,
      User: user.username,
      CustomerID: this.tenantId,
      SystemID: this.tenantId,
      SourceDsType: 'CDS',
      Summary: 'LoginSuccess',
    };
  }

  /**
   * The LoginSuccess of the federated PIN flow (OOBAUTHPIN, T12): like the captured
   * fixture it carries no `User`/`UserId` (WhoAmI tells them).
   */
  pinSuccessResult(record: TokenRecord): Record<string, unknown> {
    return { DisplayName: record.user.displayName, Token: record.token, Auth: record.auth, Summary: 'LoginSuccess' };
  }

  /**
   * The `Success` result of `/Security/OobAuthStatus` (§2.7): exactly the captured fields
   * (conjur-cli-go oob_status_success), no user fields: a client learns the user from WhoAmI.
   */
  oobStatusResult(record: TokenRecord, lifetimeSeconds: number): Record<string, unknown> {
    return { State: 'Success', TokenLifetime: lifetimeSeconds, Token: record.token };
  }

  /** Looks like a platform JWT; the signature is random bytes, nobody can verify it. */
  private fakeJwt(user: SimUser, podFqdn: string, lifetimeSeconds: number): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const header = { alg: 'RS256', typ: 'JWT', kid: 'simulator' };
    const payload = {
      iss: `https://${podFqdn}`,
      sub: this.userId(user),
      unique_name: user.username,
      tenant_id: this.tenantId,
      aud: 'cyberark.identity.simulator',
      iat: now,
      exp: now + lifetimeSeconds,
      jti: randomId(12),
    };
    return `${part(header)}.${part(payload)}.${randomId(64)}`;
  }
}
