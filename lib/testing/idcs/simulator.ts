/**
 * A loopback simulator of the Oracle IDCS / OCI IAM Identity Domains
 * authentication API (`/oauth2/v1/token`, `/sso/v1/sdk/authenticate` with a
 * rotating `requestState`), faithful to the protocol notes (idcs.md), with
 * switches for the sign-on policy and injectable transport faults.
 *
 * It uses `node:http` only, so shipping it in `passport-multistep/testing`
 * adds no runtime dependency.
 *
 * @example
 * ```ts
 * const sim = await IdcsSimulator.start();
 * // point the strategy at sim.url with sim.clientId / sim.clientSecret / sim.appName,
 * // log in as ben / ben-pw, then:
 * const code = sim.totpCode('ben');
 * await sim.close();
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultQueue, parseFault } from '../shared/faults.js';
import { type HttpReply, firstHeader, htmlReply, readBody, stripPrefix } from '../shared/http.js';
import { SimServer } from '../shared/server.js';
import type { RecordedRequest, SimFault, SimFaultOptions } from '../shared/types.js';
import { type IdcsControlTarget, handleIdcsControl } from './control-api.js';
import { IdcsEngine } from './engine.js';
import { defaultIdcsSwitches, parseIdcsSwitches } from './switches.js';
import type { IdcsSentCode, IdcsSimUser, IdcsSimulatorOptions, IdcsSimulatorState, IdcsSwitches } from './types.js';
import { cloneIdcsUsers, idcsDemoUsers, validateIdcsUsers } from './users.js';
import { NOT_FOUND_PAGE, errorPage, idcsFaultPages, oauthReply, unauthorizedHtml } from './wire.js';

export * from './types.js';
export { idcsDemoUsers } from './users.js';
export { defaultIdcsSwitches } from './switches.js';

const TOKEN_PATH = '/oauth2/v1/token';
const AUTHENTICATE_PATH = '/sso/v1/sdk/authenticate';

/**
 * The simulated identity domain. Create it with {@link IdcsSimulator.start};
 * always {@link IdcsSimulator.close} it.
 */
export class IdcsSimulator implements IdcsControlTarget {
  /**
   * Starts a simulator listening on `127.0.0.1` and a free port (by default).
   * @throws TypeError for an invalid user list, invalid switches or empty client settings.
   */
  static async start(options: IdcsSimulatorOptions = {}): Promise<IdcsSimulator> {
    const sim = new IdcsSimulator(options);
    await sim.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    return sim;
  }

  /** Scenario switches; mutate them (or call {@link IdcsSimulator.setSwitches}) at any time. */
  readonly switches: IdcsSwitches;
  /** Every API request received, oldest first (control routes excluded; the last 10 000 are kept). */
  readonly requests: RecordedRequest[] = [];
  /** Client id of the sign-in app (HTTP Basic user at `/oauth2/v1/token`). */
  readonly clientId: string;
  /** Its client secret. */
  readonly clientSecret: string;
  /** The app name the `GET` accepts (`?appName=`). */
  readonly appName: string;

  private readonly engine: IdcsEngine;
  private readonly faults = new FaultQueue();
  private readonly server: SimServer;
  private readonly users: IdcsSimUser[];
  /** Switches as given to start(); reset() returns to these. */
  private readonly initialSwitches: IdcsSwitches;

  private constructor(options: IdcsSimulatorOptions) {
    this.users = cloneIdcsUsers(options.users ?? idcsDemoUsers);
    validateIdcsUsers(this.users);
    this.clientId = nonEmpty(options.clientId, 'demo-client', 'clientId');
    this.clientSecret = nonEmpty(options.clientSecret, 'demo-secret', 'clientSecret');
    this.appName = nonEmpty(options.appName, 'DemoApp', 'appName');
    this.initialSwitches = defaultIdcsSwitches();
    if (options.switches) Object.assign(this.initialSwitches, checkedSwitches(options.switches));
    this.switches = { ...this.initialSwitches };
    this.engine = new IdcsEngine(
      this.users,
      { clientId: this.clientId, clientSecret: this.clientSecret, appName: this.appName },
      this.switches,
      () => this.url,
    );
    // A bug in the simulator must not take the test process down: answer 500 like a failing front end.
    this.server = new SimServer(
      (req, res) => this.dispatch(req, res),
      () => htmlReply(500, errorPage(500, 'Internal Server Error')),
    );
  }

  /** Base URL of the identity domain, e.g. `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.server.origin;
  }

  /** URL of the HTML control page (the simulated user's phone): `${url}/_sim`. */
  get controlUrl(): string {
    return `${this.server.origin}/_sim`;
  }

  /** The TCP port the simulator listens on. */
  get port(): number {
    return this.server.port;
  }

  /** Validates and applies partial switches. @throws TypeError when invalid. */
  setSwitches(partial: Partial<IdcsSwitches>): void {
    Object.assign(this.switches, checkedSwitches(partial));
  }

  /**
   * Arms a transport fault for the next matching API request(s); `opts.path` is
   * matched on the last path segment: `authenticate` or `token`. Faults are used
   * in the order they were added. Except for `slowBody`, the request is not
   * processed (the sign-in state does not change).
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

  /**
   * The last one-time code sent to the user (by user name or e-mail) by SMS or
   * e-mail, for sign-in or enrollment; optionally for one channel.
   */
  lastCode(username: string, factor?: IdcsSentCode['mechanism']): string | undefined {
    return this.engine.lastCode(username, factor);
  }

  /**
   * The code the user's authenticator app shows now: RFC 6238 TOTP (HMAC-SHA1,
   * 30 s, 6 digits) of the enrolled secret, or of the secret being enrolled in an
   * open sign-in. The simulator also accepts the previous and the next code.
   * @throws Error when the user has no authenticator (enrolled or being enrolled).
   */
  totpCode(username: string): string {
    return this.engine.totpCode(username);
  }

  /** Approves the user's waiting push (every one, if several sign-ins wait); the next poll succeeds. @returns false when nothing was waiting. */
  approvePush(username: string): boolean {
    return this.engine.resolvePush(username, 'approved');
  }

  /** Denies the user's waiting push; the next poll fails and ends the sign-in. @returns false when nothing was waiting. */
  denyPush(username: string): boolean {
    return this.engine.resolvePush(username, 'denied');
  }

  /** User names with a push waiting for approval. */
  pendingPushes(): string[] {
    return [...new Set(this.engine.pendingPushes().map((p) => p.username))];
  }

  /** Every client-credentials token issued so far stops working (→ HTTP 401 `text/html`). */
  expireAccessTokens(): void {
    this.engine.expireAccessTokens();
  }

  /** Every open sign-in's requestState expires now (→ AUTH-1120). */
  expireRequestStates(): void {
    this.engine.expireRequestStates();
  }

  /** Every SMS/e-mail code sent so far expires now (→ AUTH-1112); codes sent later work. */
  expireCodes(): void {
    this.engine.expireCodes();
  }

  /** Number of successful `/oauth2/v1/token` calls (since start or the last reset). */
  tokensIssued(): number {
    return this.engine.tokensIssued();
  }

  /** The user's factors: configured ones plus those enrolled during the run. */
  enrolledFactors(username: string): string[] {
    return this.engine.factorNames(username);
  }

  /** Clears the user's failure count, lifting an AUTH-3002 lockout. */
  unlock(username: string): void {
    this.engine.unlock(username);
  }

  /** A snapshot of everything the control page shows. */
  state(): IdcsSimulatorState {
    return {
      url: this.url,
      clientId: this.clientId,
      appName: this.appName,
      switches: { ...this.switches },
      users: this.users.map((u) => ({
        username: u.username,
        password: u.password,
        displayName: u.displayName,
        email: u.email,
        factors: this.engine.factorNames(u.username),
        enrolledDuringRun: this.engine.enrolledDuringRun(u),
        usernameFirst: u.usernameFirst === true,
        enrollment: u.enrollment ?? null,
        termsOfUse: u.termsOfUse === true,
        trustedDevice: u.trustedDevice === true,
        passwordExpired: u.passwordExpired === true,
        adminLocked: u.locked === true,
        failures: this.engine.failureCount(u),
        lockedOut: this.engine.isLockedOut(u),
      })),
      pendingPushes: this.engine.pendingPushes(),
      codes: this.engine.codesByUser(),
      totp: this.engine.totpSnapshot(),
      openFlows: this.engine.openFlowCount(),
      activeAccessTokens: this.engine.activeAccessTokens(),
      tokensIssued: this.engine.tokensIssued(),
      trustTokens: this.engine.trustTokenCount(),
      requestCount: this.requests.length,
      pendingFaults: this.faults.list(),
    };
  }

  /**
   * Forgets sign-ins (their requestStates and pushes), requests, faults, codes,
   * lockouts, enrollments made during the run, access and trust tokens, and
   * zeroes {@link IdcsSimulator.tokensIssued}; puts the switches back to the
   * values given to {@link IdcsSimulator.start}. A client that cached an access
   * token gets one HTML 401 after a reset and must fetch a new token.
   */
  reset(): void {
    this.engine.reset();
    this.requests.length = 0;
    this.faults.clear();
    Object.assign(this.switches, this.initialSwitches);
  }

  /** Stops the server, dropping open and hanging connections. */
  async close(): Promise<void> {
    await this.server.close();
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q + 1);
    const body = await readBody(req);
    if (body.aborted) return;

    const sub = stripPrefix(path, '/_sim');
    if (sub !== undefined) {
      const reply = handleIdcsControl(this, { method: req.method ?? 'GET', subPath: sub, mount: '/_sim', headers: req.headers, bodyText: body.text });
      return this.server.write(res, reply);
    }

    await this.server.answerApi(req, res, {
      path,
      body,
      log: this.requests,
      faults: this.faults,
      faultPages: idcsFaultPages,
      latencyMs: () => this.switches.latencyMs,
      tooLarge: () => htmlReply(413, errorPage(413, 'Payload Too Large'), { connection: 'close' }),
      route: () => this.route(req, path, new URLSearchParams(query), body.text),
    });
  }

  /** Routes an API request; unknown paths get an HTML 404. */
  private route(req: IncomingMessage, path: string, query: URLSearchParams, text: string): HttpReply {
    const method = req.method ?? 'GET';
    const authorization = firstHeader(req.headers.authorization) || undefined;
    switch (path.replace(/\/+$/, '')) {
      case TOKEN_PATH:
        if (method !== 'POST') return methodNotAllowed('POST');
        return this.engine.token(authorization, new URLSearchParams(text));
      case AUTHENTICATE_PATH:
        if (method !== 'GET' && method !== 'POST') return methodNotAllowed('GET, POST');
        // The access token is checked first: an expired one is an HTML 401 whatever the body (idcs.md §1).
        if (!this.engine.authorized(authorization)) return unauthorizedHtml();
        if (method === 'GET') return this.engine.begin(query.get('appName'));
        return this.engine.advance(parseObject(text));
      default:
        return htmlReply(404, NOT_FOUND_PAGE);
    }
  }
}

function methodNotAllowed(allow: string): HttpReply {
  return oauthReply({ error: 'invalid_request', error_description: 'Method not allowed.' }, 405, { allow });
}

function checkedSwitches(partial: unknown): Partial<IdcsSwitches> {
  const parsed = parseIdcsSwitches(partial);
  if (typeof parsed === 'string') throw new TypeError(parsed);
  return parsed;
}

function nonEmpty(value: string | undefined, fallback: string, name: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/** The body when it is a JSON object; undefined otherwise (malformed JSON, arrays, empty). */
function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
