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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, parseFault } from '../shared/faults.js';
import { type HttpReply, firstHeader, hostnameOf, htmlReply, parseBodyObject, parseCookies, readBody, stripPrefix } from '../shared/http.js';
import { SimServer } from '../shared/server.js';
import { type ControlTarget, handleControl } from './control-api.js';
import { type ApiContext, CyberArkEngine } from './engine.js';
import { cyberArkFaultPages } from './faults.js';
import { applySwitches, defaultSwitches, parseSwitches } from './switches.js';
import type {
  CyberArkSimulatorOptions,
  CyberArkSwitches,
  IdpLoginInfo,
  RecordedRequest,
  SentCode,
  SimFault,
  SimFaultOptions,
  SimUser,
  SimulatorState,
} from './types.js';
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
export class CyberArkSimulator implements ControlTarget {
  /**
   * Starts a simulator listening on `127.0.0.1` and a free port (by default).
   * @throws TypeError for an invalid user list or invalid switches.
   */
  static async start(options: CyberArkSimulatorOptions = {}): Promise<CyberArkSimulator> {
    const sim = new CyberArkSimulator(options);
    await sim.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    return sim;
  }

  /** Scenario switches; mutate them (or call {@link CyberArkSimulator.setSwitches}) at any time. */
  readonly switches: CyberArkSwitches;
  /** Every API request received, oldest first (control routes excluded; the last 10 000 are kept). */
  readonly requests: RecordedRequest[] = [];

  private readonly engine: CyberArkEngine;
  private readonly faults = new FaultQueue();
  private readonly server: SimServer;
  private readonly basePath: string;
  private readonly users: SimUser[];
  /** Switches as given to start(); reset() returns to these. */
  private readonly initialSwitches: CyberArkSwitches;

  private constructor(options: CyberArkSimulatorOptions) {
    this.users = cloneUsers(options.users ?? demoUsers);
    validateUsers(this.users);
    this.basePath = normaliseBasePath(options.basePath);
    this.initialSwitches = defaultSwitches();
    if (options.switches) applySwitches(this.initialSwitches, checkedSwitches(options.switches));
    this.switches = { ...this.initialSwitches, podRedirects: { ...this.initialSwitches.podRedirects } };
    this.engine = new CyberArkEngine(this.users, options.tenantId ?? 'ABC1234', this.switches);
    // A bug in the simulator must not take the test process down: answer 500 like a crashing tenant.
    this.server = new SimServer(
      (req, res) => this.dispatch(req, res),
      () => htmlReply(500, iisErrorPage(500, 'Internal server error.', 'The simulator failed.')),
    );
  }

  /** Base URL of the API, e.g. `http://127.0.0.1:PORT` (plus the base path, if any). */
  get url(): string {
    return this.server.origin + this.basePath;
  }

  /** URL of the HTML control page (the simulated user's phone). */
  get controlUrl(): string {
    return `${this.server.origin}/_sim`;
  }

  /** The TCP port the simulator listens on. */
  get port(): number {
    return this.server.port;
  }

  /** Tenant id reported as `TenantId`, `CustomerID` and `SystemID`. */
  get tenantId(): string {
    return this.engine.tenantId;
  }

  /** Descriptions of requests that carried another login session's `sessdata` cookie. */
  get cookieViolations(): string[] {
    return this.engine.cookieViolations;
  }

  /** Validates and applies partial switches. @throws TypeError when invalid. */
  setSwitches(partial: Partial<CyberArkSwitches>): void {
    applySwitches(this.switches, checkedSwitches(partial));
  }

  /**
   * Arms a transport fault for the next matching API request(s). Faults are
   * used in the order they were added. Except for `slowBody`, the request is
   * not processed (the login state does not change).
   * @throws TypeError for an invalid fault.
   */
  injectFault(fault: SimFault, opts: SimFaultOptions = {}): void {
    const checked = parseFault(fault);
    if (typeof checked === 'string') throw new TypeError(checked);
    this.faults.add(checked, opts);
  }

  /** Disarms every pending fault. */
  clearFaults(): void {
    this.faults.clear();
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
  reset(): void {
    this.engine.reset();
    this.requests.length = 0;
    this.faults.clear();
    Object.assign(this.switches, this.initialSwitches, { podRedirects: { ...this.initialSwitches.podRedirects } });
  }

  /** Stops the server, dropping open and hanging connections. */
  async close(): Promise<void> {
    await this.server.close();
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(req);
    if (body.aborted) return;

    const control = this.controlPath(path);
    if (control) {
      const reply = handleControl(this, { method: req.method ?? 'GET', ...control, headers: req.headers, bodyText: body.text });
      return this.server.write(res, reply);
    }

    await this.server.answerApi(req, res, {
      path,
      body,
      log: this.requests,
      faults: this.faults,
      faultPages: cyberArkFaultPages,
      latencyMs: () => this.switches.latencyMs,
      tooLarge: () =>
        htmlReply(413, iisErrorPage(413, 'Request Entity Too Large', 'The request body is larger than the server accepts.'), {
          connection: 'close',
        }),
      route: () => this.route(req, path, body.text),
    });
  }

  /** Routes an API request; unknown paths get the HTML 404 page a tenant serves (§6). */
  private route(req: IncomingMessage, path: string, text: string): HttpReply {
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
  private controlPath(path: string): { subPath: string; mount: string } | undefined {
    for (const prefix of new Set([this.basePath, ''])) {
      const sub = stripPrefix(path, `${prefix}/_sim`);
      if (sub !== undefined) return { subPath: sub, mount: `${prefix}/_sim` };
    }
    return undefined;
  }
}

function checkedSwitches(partial: unknown): Partial<CyberArkSwitches> {
  const parsed = parseSwitches(partial);
  if (typeof parsed === 'string') throw new TypeError(parsed);
  return parsed;
}

/** `identity/` → `/identity`; `/` or undefined → ``. */
function normaliseBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}
