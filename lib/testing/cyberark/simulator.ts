/**
 * A loopback simulator of the CyberArk Identity authentication API
 * (`/Security/StartAuthentication`, `/Security/AdvanceAuthentication`, …),
 * faithful to the wire format captured from real tenants, with switches for
 * tenant policies and injectable transport faults.
 *
 * It uses `node:http` only, so shipping it in `passport-multistep/testing`
 * adds no runtime dependency.
 *
 * @example
 * ```ts
 * const sim = await CyberArkSimulator.start();
 * // point the strategy at sim.url, log in as bob / bob-pw, then:
 * const code = sim.lastCode('bob', 'SMS');
 * await sim.close();
 * ```
 */
import type { IncomingMessage } from 'node:http';
import type { ControlRequest } from '../shared/control.js';
import { type HttpReply, firstHeader, hostnameOf, htmlReply, parseBodyObject, parseCookies, stripPrefix } from '../shared/http.js';
import { CONTROL_MOUNT, SimulatorBase } from '../shared/simulator.js';
import { type ControlTarget, handleControl } from './control-api.js';
import { type ApiContext, CyberArkEngine } from './engine.js';
import { cyberArkFaultPages } from './faults.js';
import { defaultSwitches, parseSwitches } from './switches.js';
import type { CyberArkSimulatorOptions, CyberArkSwitches, IdpLoginInfo, SentCode, SimUser, SimulatorState } from './types.js';
import { cloneUsers, demoUsers, validateUsers } from './users.js';
import { NOT_FOUND_PAGE, fail, iisErrorPage, jsonReply } from './wire.js';

export * from './types.js';
export { demoUsers } from './users.js';
export { describeMechanism } from './mechanisms.js';
export { defaultSwitches } from './switches.js';

type Endpoint = (engine: CyberArkEngine, ctx: ApiContext) => HttpReply;

/** API routes, keyed by lower-case path without trailing slash (tenants route case-insensitively, §1.1). */
const ENDPOINTS: Record<string, Endpoint | undefined> = {
  '/security/startauthentication': (e, c) => e.start(c),
  '/security/advanceauthentication': (e, c) => e.advance(c),
  '/security/cleanupauthentication': (e, c) => e.cleanup(c),
  '/security/logout': (e, c) => e.logout(c),
  '/security/whoami': (e, c) => e.whoAmI(c),
  '/security/oobauthstatus': (e, c) => e.oobAuthStatus(c),
};

/**
 * The simulated tenant. Create it with {@link CyberArkSimulator.start}; always
 * {@link CyberArkSimulator.close} it.
 */
export class CyberArkSimulator extends SimulatorBase<CyberArkSwitches> implements ControlTarget {
  /**
   * Starts a simulator listening on `127.0.0.1` and a free port (by default).
   * @throws TypeError for an invalid user list or invalid switches.
   */
  static async start(options: CyberArkSimulatorOptions = {}): Promise<CyberArkSimulator> {
    return new CyberArkSimulator(options).listen(options);
  }

  private readonly engine: CyberArkEngine;
  private readonly basePath: string;
  private readonly users: SimUser[];

  private constructor(options: CyberArkSimulatorOptions) {
    const users = cloneUsers(options.users ?? demoUsers);
    validateUsers(users);
    const basePath = normaliseBasePath(options.basePath);
    super({
      defaults: defaultSwitches(),
      parseSwitches,
      switches: options.switches,
      copySwitches: (s) => ({ ...s, podRedirects: { ...s.podRedirects } }),
      faultPages: cyberArkFaultPages,
      // A bug in the simulator must not take the test process down: answer 500 like a crashing tenant.
      crashReply: () => htmlReply(500, iisErrorPage(500, 'Internal server error.', 'The simulator failed.')),
      tooLarge: () =>
        htmlReply(413, iisErrorPage(413, 'Request Entity Too Large', 'The request body is larger than the server accepts.'), {
          connection: 'close',
        }),
    });
    this.users = users;
    this.basePath = basePath;
    this.engine = new CyberArkEngine(this.users, options.tenantId ?? 'ABC1234', this.switches);
  }

  /** Base URL of the API, e.g. `http://127.0.0.1:PORT` (plus the base path, if any). */
  override get url(): string {
    return this.server.origin + this.basePath;
  }

  /** Tenant id reported as `TenantId`, `CustomerID` and `SystemID`. */
  get tenantId(): string {
    return this.engine.tenantId;
  }

  /** Descriptions of requests that carried another login session's `sessdata` cookie. */
  get cookieViolations(): string[] {
    return this.engine.cookieViolations;
  }

  /** The last one-time code sent to the user (by username or e-mail), optionally for one mechanism. */
  lastCode(username: string, mechanism?: SentCode['mechanism']): string | undefined {
    return this.engine.lastCode(username, mechanism);
  }

  /** Usernames with a push, phone call or e-mail link waiting for approval. */
  pendingPushes(): string[] {
    return [...new Set(this.engine.pendingPushes().map((p) => p.username))];
  }

  /**
   * Approves the user's waiting push / phone call / e-mail link (every one,
   * if several logins are waiting); the next Poll completes the challenge.
   * @returns false when nothing was waiting.
   */
  approvePush(username: string): boolean {
    return this.engine.resolvePush(username, 'approved');
  }

  /** Denies the user's waiting push / phone call; the next Poll fails. @returns false when nothing was waiting. */
  denyPush(username: string): boolean {
    return this.engine.resolvePush(username, 'denied');
  }

  /** Usernames with a federated API login (`OobIdPAuth: true`) waiting for the IdP login. */
  pendingIdpLogins(): string[] {
    return [...new Set(this.engine.idpLogins().filter((l) => l.state === 'pending').map((l) => l.username))];
  }

  /**
   * The federated user finishes the IdP login (what the fake IdP page's button does),
   * for every pending API login of theirs. A user with `pinRequired` gets a new
   * six-digit PIN, readable with `lastCode(username)` (mechanism `OOBAUTHPIN`) and
   * answered with `MechanismId: "OOBAUTHPIN"`; otherwise the next OobAuthStatus
   * poll answers `Success`.
   * @returns false when nothing was pending.
   */
  completeIdpLogin(username: string): boolean {
    return this.engine.completeIdpLogin(username);
  }

  /** The IdP login fails: the user's pending federated logins end; OobAuthStatus and OOBAUTHPIN then fail. @returns false when nothing was pending. */
  denyIdpLogin(username: string): boolean {
    return this.engine.denyIdpLogin(username);
  }

  /** The federated login behind the fake IdP page `/_sim/idp/<IdpShortUrlId>`, or undefined. */
  idpLogin(shortUrlId: string): IdpLoginInfo | undefined {
    return this.engine.idpLogin(shortUrlId);
  }

  /** Completes the login of one fake IdP page (idempotent); undefined for an unknown id. */
  completeIdpLoginById(shortUrlId: string): IdpLoginInfo | undefined {
    return this.engine.completeIdpLoginById(shortUrlId);
  }

  /** Every open StartAuthentication session and federated login expires now (T8). */
  expireSessions(): void {
    this.engine.expireSessions();
  }

  /** Clears the user's failed-login count, lifting a lockout. */
  unlock(username: string): void {
    this.engine.unlock(username);
  }

  /** Number of live `.ASPXAUTH` tokens (logins not yet logged out). */
  activeTokens(): number {
    return this.engine.activeTokens();
  }

  /** A snapshot of everything the control page shows. */
  state(): SimulatorState {
    return {
      url: this.url,
      tenantId: this.tenantId,
      switches: structuredClone(this.switches),
      users: this.users.map((u) => ({
        username: u.username,
        password: u.password,
        displayName: u.displayName,
        email: u.email,
        challenges: u.challenges.map((c) => [...c]),
        passwordExpired: u.passwordExpired === true,
        federated: u.federated ? { ...u.federated } : null,
        failures: this.engine.failureCount(u),
        locked: this.engine.isLocked(u),
      })),
      pendingPushes: this.engine.pendingPushes(),
      idpLogins: this.engine.idpLogins(),
      codes: this.engine.codesByUser(),
      openSessions: this.engine.openSessionCount(),
      activeTokens: this.engine.activeTokens(),
      requestCount: this.requests.length,
      pendingFaults: this.faults.list(),
      cookieViolations: [...this.engine.cookieViolations],
    };
  }

  /**
   * Forgets sessions, tokens, requests, faults, lockouts and codes, and puts
   * the switches back to the values given to {@link CyberArkSimulator.start}
   * (the defaults for any not given).
   */
  override reset(): void {
    this.engine.reset();
    super.reset();
  }

  // ---------------------------------------------------------------- HTTP plumbing

  protected override answerControl(req: ControlRequest): HttpReply {
    return handleControl(this, req);
  }

  /** Routes an API request; unknown paths get the HTML 404 page a tenant serves (§6). */
  protected override route(req: IncomingMessage, path: string, text: string): HttpReply {
    const endpoint = this.apiEndpoint(path);
    if (!endpoint) return htmlReply(404, NOT_FOUND_PAGE);
    const body = parseBodyObject(text);
    // Malformed JSON gets the failure envelope, never a crash.
    if (body === undefined) return jsonReply(fail(null, 'The request body is not valid JSON.'));
    const host = firstHeader(req.headers.host);
    return endpoint(this.engine, {
      host,
      hostname: hostnameOf(host),
      podFqdn: (host || this.server.origin.replace(/^http:\/\//, '')) + this.basePath,
      body,
      cookies: parseCookies(req.headers.cookie),
      authorization: firstHeader(req.headers.authorization) || undefined,
      baseUrl: this.url,
      // Node lower-cases header names, so `OobIdPAuth` arrives as `oobidpauth`.
      oobIdpAuth: firstHeader(req.headers.oobidpauth).trim().toLowerCase() === 'true',
    });
  }

  private apiEndpoint(path: string): Endpoint | undefined {
    const sub = stripPrefix(path, this.basePath);
    if (sub === undefined) return undefined;
    return ENDPOINTS[sub.toLowerCase().replace(/\/+$/, '')];
  }

  /** `/_sim…` (also below the base path), as sub-path and mount point; undefined for API paths. */
  protected override controlPath(path: string): { subPath: string; mount: string } | undefined {
    for (const prefix of new Set([this.basePath, ''])) {
      const sub = stripPrefix(path, `${prefix}${CONTROL_MOUNT}`);
      if (sub !== undefined) return { subPath: sub, mount: `${prefix}${CONTROL_MOUNT}` };
    }
    return undefined;
  }
}

/** `identity/` → `/identity`; `/` or undefined → ``. */
function normaliseBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}
