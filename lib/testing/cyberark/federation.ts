/**
 * Federated (external IdP) logins, §2.3 "Federated user", §2.7, T12: the
 * records behind `IdpLoginSessionId`, `IdpShortUrlId` and the fake IdP page.
 * The HTTP side lives in the engine; this module only keeps state.
 */
import type { IdpLoginInfo, SimUser } from './types.js';
import { randomId } from './wire.js';

export type IdpLoginState = 'pending' | 'completed' | 'succeeded' | 'failed' | 'cancelled';

export interface IdpLogin {
  /** The `SessionId` of the StartAuthentication answer (also the login's cookie owner key). */
  readonly sessionId: string;
  /** `IdpLoginSessionId`; only for API logins (`OobIdPAuth: true`). */
  readonly idpSessionId: string | undefined;
  /** `IdpShortUrlId`: names the fake IdP page. */
  readonly shortUrlId: string;
  /** Value of the `sessdata` cookie issued with the StartAuthentication answer. */
  readonly cookie: string;
  readonly user: SimUser;
  readonly pinRequired: boolean;
  readonly podFqdn: string;
  readonly createdAt: number;
  forcedExpiry: boolean;
  state: IdpLoginState;
  completedAt: number | undefined;
  pin: string | undefined;
  endedAt: number | undefined;
}

export class IdpLoginStore {
  private readonly byShortUrl = new Map<string, IdpLogin>();
  private readonly byIdpSession = new Map<string, IdpLogin>();
  private readonly bySession = new Map<string, IdpLogin>();

  /** @param ttlMs the current session lifetime (`switches.sessionTtlMs`), read on every check. */
  constructor(private readonly ttlMs: () => number) {}

  open(user: SimUser, podFqdn: string, api: boolean): IdpLogin {
    let shortUrlId = randomId(6);
    while (this.byShortUrl.has(shortUrlId)) shortUrlId = randomId(6);
    const login: IdpLogin = {
      sessionId: randomId(32),
      idpSessionId: api ? randomId(24) : undefined,
      shortUrlId,
      cookie: randomId(24),
      user,
      pinRequired: user.federated?.pinRequired === true,
      podFqdn,
      createdAt: Date.now(),
      forcedExpiry: false,
      state: 'pending',
      completedAt: undefined,
      pin: undefined,
      endedAt: undefined,
    };
    this.byShortUrl.set(login.shortUrlId, login);
    this.bySession.set(login.sessionId, login);
    if (login.idpSessionId) this.byIdpSession.set(login.idpSessionId, login);
    return login;
  }

  byShortUrlId(id: string): IdpLogin | undefined {
    return this.byShortUrl.get(id);
  }

  /** The API login named by an `IdpLoginSessionId`. */
  byIdpSessionId(id: string): IdpLogin | undefined {
    return id ? this.byIdpSession.get(id) : undefined;
  }

  /** The login named by the StartAuthentication `SessionId`. */
  bySessionId(id: string): IdpLogin | undefined {
    return id ? this.bySession.get(id) : undefined;
  }

  /** Waiting for the IdP or for the client, and not expired. */
  isLive(login: IdpLogin): boolean {
    return (login.state === 'pending' || login.state === 'completed') && !this.isExpired(login);
  }

  isExpired(login: IdpLogin): boolean {
    return login.forcedExpiry || Date.now() - login.createdAt >= this.ttlMs();
  }

  /** Live logins, oldest first. */
  live(): IdpLogin[] {
    return [...this.byShortUrl.values()].filter((l) => this.isLive(l));
  }

  /** The IdP login is done; `pin` is the PIN the IdP page shows (PIN users only). */
  complete(login: IdpLogin, pin: string | undefined): void {
    login.state = 'completed';
    login.completedAt = Date.now();
    login.pin = pin;
  }

  end(login: IdpLogin, state: Exclude<IdpLoginState, 'pending' | 'completed'>): void {
    login.state = state;
    login.endedAt = Date.now();
  }

  expireAll(): void {
    for (const login of this.byShortUrl.values()) login.forcedExpiry = true;
  }

  /** Forgets logins that ended (or expired) before `cutoff`; returns them so their cookies can go too. */
  sweep(cutoff: number): IdpLogin[] {
    const removed: IdpLogin[] = [];
    for (const login of this.byShortUrl.values()) {
      const endedAt = login.endedAt ?? (this.isExpired(login) ? login.createdAt + this.ttlMs() : Infinity);
      if (endedAt >= cutoff) continue;
      removed.push(login);
      this.byShortUrl.delete(login.shortUrlId);
      this.bySession.delete(login.sessionId);
      if (login.idpSessionId) this.byIdpSession.delete(login.idpSessionId);
    }
    return removed;
  }

  clear(): void {
    this.byShortUrl.clear();
    this.byIdpSession.clear();
    this.bySession.clear();
  }

  info(login: IdpLogin): IdpLoginInfo {
    const live = login.state === 'pending' || login.state === 'completed';
    return {
      username: login.user.username,
      displayName: login.user.displayName,
      shortUrlId: login.shortUrlId,
      session: (login.idpSessionId ?? login.sessionId).slice(0, 8),
      api: login.idpSessionId !== undefined,
      pinRequired: login.pinRequired,
      state: live && this.isExpired(login) ? 'expired' : login.state,
      startedAt: login.createdAt,
      ...(login.completedAt !== undefined ? { completedAt: login.completedAt } : {}),
      ...(login.pin !== undefined ? { pin: login.pin } : {}),
    };
  }
}
