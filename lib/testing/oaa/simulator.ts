/**
 * A loopback simulator of the Oracle Advanced Authentication (OAA) runtime
 * API (`POST`/`PUT {OAAService}/authn/v1`, `DELETE …/challengecounter/v1`),
 * faithful to the protocol notes (oaa.md): a `correlationId` per challenge
 * session, a `nonce` that rotates on every response, `challengeop`
 * Init/Validate/Finalize, retry counters that block a factor. Where the notes
 * say the response field names are INFERRED, the {@link OaaSwitches.naming}
 * switch serves either candidate naming.
 *
 * OAA is a second-factor service: it never sees passwords. For demo apps the
 * simulator also plays the directory ({@link OaaSimulator.verifyPassword}).
 *
 * It uses `node:http` only, so shipping it in `passport-multistep/testing`
 * adds no runtime dependency.
 *
 * @example
 * ```ts
 * const sim = await OaaSimulator.start();
 * // point the strategy at sim.url (the OAAService base) with sim.apiUsername / sim.apiKey
 * // and the agent sim.clientId / sim.clientSecret; challenge olga, then:
 * const code = sim.lastCode('olga');
 * await sim.close();
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFault } from '../shared/faults.js';
import { type HttpReply, firstHeader, htmlReply, parseJson, readBody, stripPrefix } from '../shared/http.js';
import { SimServer } from '../shared/server.js';
import type { RecordedRequest, SimFault, SimFaultOptions } from '../shared/types.js';
import { type OaaControlTarget, handleOaaControl } from './control-api.js';
import { OaaEngine } from './engine.js';
import { OaaFaultQueue, oaaFaultPages } from './faults.js';
import { defaultOaaSwitches, parseOaaSwitches } from './switches.js';
import type { OaaFinalizeRecord, OaaSentCode, OaaSimUser, OaaSimulatorOptions, OaaSimulatorState, OaaSwitches } from './types.js';
import { cloneOaaUsers, oaaDemoUsers, validateOaaUsers } from './users.js';
import { NOT_FOUND_PAGE, apiError, badRequest, ingressErrorPage, registrationPage, unauthorized } from './wire.js';

export * from './types.js';
export { oaaDemoUsers } from './users.js';
export { defaultOaaSwitches } from './switches.js';

const AUTHN_PATH = '/authn/v1';
const CHALLENGE_COUNTER_PATH = '/challengecounter/v1';
/** The self-service UI (`SpuiUrl`), where `missing registration` sends users (oaa.md §1.1). */
const REGISTRATION_PATH = '/oaa/rui';

/**
 * The simulated OAA deployment. Create it with {@link OaaSimulator.start};
 * always {@link OaaSimulator.close} it.
 */
export class OaaSimulator implements OaaControlTarget {
  /**
   * Starts a simulator listening on `127.0.0.1` and a free port (by default).
   * @throws TypeError for an invalid user list, invalid switches or empty credentials.
   */
  static async start(options: OaaSimulatorOptions = {}): Promise<OaaSimulator> {
    const sim = new OaaSimulator(options);
    await sim.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    return sim;
  }

  /** Scenario switches; mutate them (or call {@link OaaSimulator.setSwitches}) at any time. */
  readonly switches: OaaSwitches;
  /** Every request received outside `/_sim`, oldest first (the last 10 000 are kept). */
  readonly requests: RecordedRequest[] = [];
  /** HTTP Basic user of the runtime API (`<RELEASENAME>-oaa`). */
  readonly apiUsername: string;
  /** HTTP Basic password of the runtime API (the decoded `oaaapikey`). */
  readonly apiKey: string;
  /** Also accepted instead of Basic: `Authorization: Bearer <bearerToken>`. */
  readonly bearerToken: string;
  /** `clientInfo.clientId` of the integration agent. */
  readonly clientId: string;
  /** `clientInfo.clientSecret` of the integration agent. */
  readonly clientSecret: string;
  /** Assurance level names the agent accepts in `context.assuranceLevel`. */
  readonly assuranceLevels: readonly string[];

  private readonly engine: OaaEngine;
  private readonly faults = new OaaFaultQueue();
  private readonly server: SimServer;
  private readonly basePath: string;
  /** Switches as given to start(); reset() returns to these. */
  private readonly initialSwitches: OaaSwitches;

  private constructor(options: OaaSimulatorOptions) {
    const users: OaaSimUser[] = cloneOaaUsers(options.users ?? oaaDemoUsers);
    validateOaaUsers(users);
    this.basePath = normaliseBasePath(options.basePath);
    this.apiUsername = nonEmpty(options.apiUsername, 'oaainstall-oaa', 'apiUsername');
    if (this.apiUsername.includes(':')) throw new TypeError('apiUsername must not contain ":"');
    this.apiKey = nonEmpty(options.apiKey, 'apikeytobesetduringinstallation', 'apiKey');
    this.bearerToken = nonEmpty(options.bearerToken, 'demo-oaa-bearer', 'bearerToken');
    this.clientId = nonEmpty(options.clientId, 'demo-agent', 'clientId');
    this.clientSecret = nonEmpty(options.clientSecret, 'demo-agent-secret', 'clientSecret');
    const levels = options.assuranceLevels ?? ['PassportAL1'];
    if (!Array.isArray(levels) || levels.length === 0 || levels.some((l) => typeof l !== 'string' || l.trim() === '')) {
      throw new TypeError('assuranceLevels must be a non-empty array of non-empty strings');
    }
    this.assuranceLevels = Object.freeze([...levels]);
    this.initialSwitches = defaultOaaSwitches();
    if (options.switches) Object.assign(this.initialSwitches, checkedSwitches(options.switches));
    this.switches = { ...this.initialSwitches };
    this.engine = new OaaEngine(users, { clientId: this.clientId, clientSecret: this.clientSecret, assuranceLevels: this.assuranceLevels }, this.switches);
    // A bug in the simulator must not take the test process down: answer 500 like a failing pod.
    this.server = new SimServer(
      (req, res) => this.dispatch(req, res),
      () => htmlReply(500, ingressErrorPage(500, 'Internal Server Error')),
    );
  }

  /** The OAAService base URL, e.g. `http://127.0.0.1:PORT/oaa/runtime`; the API is at `${url}/authn/v1`. */
  get url(): string {
    return this.server.origin + this.basePath;
  }

  /** URL of the HTML control page (the simulated user's phone): `${origin}/_sim`. */
  get controlUrl(): string {
    return `${this.server.origin}/_sim`;
  }

  /** The fake self-service enrolment page (`SpuiUrl`): `${origin}/oaa/rui`. */
  get registrationUrl(): string {
    return this.server.origin + REGISTRATION_PATH;
  }

  /** The TCP port the simulator listens on. */
  get port(): number {
    return this.server.port;
  }

  /** Validates and applies partial switches. @throws TypeError when invalid. */
  setSwitches(partial: Partial<OaaSwitches>): void {
    Object.assign(this.switches, checkedSwitches(partial));
  }

  /**
   * Arms a transport fault for the next matching request(s). `opts.path` names
   * the resource, version segments ignored: `authn` (`/authn/v1`, POST and PUT),
   * `challengecounter`, `rui`. Faults are used in the order they were added.
   * Except for `slowBody`, the request is not processed (no state changes, no
   * nonce rotation).
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
   * The last one-time code sent to the user by an Init of `ChallengeEmail` or
   * `ChallengeSMS`; optionally for one of the two factor keys.
   */
  lastCode(username: string, factor?: OaaSentCode['mechanism'] | string): string | undefined {
    return this.engine.lastCode(username, factor);
  }

  /**
   * The code the user's authenticator app shows now: RFC 6238 TOTP (HMAC-SHA1,
   * 30 s, 6 digits). The simulator also accepts the previous and the next code.
   * @throws Error when the user has no `ChallengeOMATOTP` factor.
   */
  totpCode(username: string): string {
    return this.engine.totpCode(username);
  }

  /**
   * A touch of the user's YubiKey: a fresh 44-character Yubico OTP (modhex), valid
   * once; OTPs must be used in the order they were generated (a replayed or older
   * one is refused, as by a real validation server).
   * @throws Error when the user has no YubiKey factor.
   */
  yubicoOtp(username: string): string {
    return this.engine.yubicoOtp(username);
  }

  /** Approves the user's waiting push (every one, if several sessions wait); the next Validate poll authenticates. @returns false when nothing was waiting. */
  approvePush(username: string): boolean {
    return this.engine.resolvePush(username, 'approved');
  }

  /** Denies the user's waiting push; the next Validate poll answers `failed` and ends the session. @returns false when nothing was waiting. */
  denyPush(username: string): boolean {
    return this.engine.resolvePush(username, 'denied');
  }

  /** User names with a push waiting for approval. */
  pendingPushes(): string[] {
    return [...new Set(this.engine.pendingPushes().map((p) => p.username))];
  }

  /** Every open correlationId expires now (→ 400 `Invalid correlationId`). */
  expireSessions(): void {
    this.engine.expireSessions();
  }

  /** Clears the user's retry counters, unblocking every factor (what `DELETE /challengecounter/v1` does for one). */
  unlock(username: string): void {
    this.engine.unlock(username);
  }

  /**
   * The `context` object of the user's last valid POST (a copy), so tests can check
   * what the client forwards (IP address, user agent, headers …). Unknown users are
   * recorded under the `userId` they were sent as.
   */
  lastContext(username: string): unknown {
    return this.engine.lastContext(username);
  }

  /** The `challengeResult` and `challengeResultReason` of the user's last accepted Finalize. */
  lastFinalize(username: string): OaaFinalizeRecord | undefined {
    return this.engine.lastFinalize(username);
  }

  /** The demo directory: true when `password` is the user's (default `<name>-pw`). OAA itself never sees passwords. */
  verifyPassword(username: string, password: string): boolean {
    return this.engine.verifyPassword(username, password);
  }

  /** A snapshot of everything the control page shows. */
  state(): OaaSimulatorState {
    return {
      url: this.url,
      registrationUrl: this.registrationUrl,
      apiUsername: this.apiUsername,
      clientId: this.clientId,
      assuranceLevels: [...this.assuranceLevels],
      switches: { ...this.switches },
      users: this.engine.userStates(),
      sessions: this.engine.sessionInfos(),
      pendingPushes: this.engine.pendingPushes(),
      codes: this.engine.codesByUser(),
      totp: this.engine.totpSnapshot(),
      yubikeys: this.engine.yubikeySnapshot(),
      requestCount: this.requests.length,
      pendingFaults: this.faults.list(),
    };
  }

  /**
   * Forgets sessions (and their pushes), retry counters, codes, YubiKey counters,
   * recorded contexts and Finalize results, requests and faults; puts the
   * switches back to the values given to {@link OaaSimulator.start}.
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
      const reply = handleOaaControl(this, { method: req.method ?? 'GET', subPath: sub, mount: '/_sim', headers: req.headers, bodyText: body.text });
      return this.server.write(res, reply);
    }

    await this.server.answerApi(req, res, {
      path,
      body,
      log: this.requests,
      faults: this.faults,
      faultPages: oaaFaultPages,
      latencyMs: () => this.switches.latencyMs,
      tooLarge: () => htmlReply(413, ingressErrorPage(413, 'Request Entity Too Large'), { connection: 'close' }),
      route: () => this.route(req, path, new URLSearchParams(query), body.text),
    });
  }

  /** Routes a request: the runtime API below the base path, the enrolment page, else the ingress 404. */
  private route(req: IncomingMessage, path: string, query: URLSearchParams, text: string): HttpReply {
    const method = req.method ?? 'GET';
    const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const sub = this.apiSubPath(trimmed);
    if (sub !== undefined) {
      if (!this.authorized(firstHeader(req.headers.authorization))) return unauthorized();
      switch (sub) {
        case AUTHN_PATH: {
          if (method !== 'POST' && method !== 'PUT') return apiError(405, '405', 'Method Not Allowed', { allow: 'POST, PUT' });
          const contentType = firstHeader(req.headers['content-type']).split(';')[0]?.trim().toLowerCase() ?? '';
          if (contentType !== 'application/json' && !/^application\/[\w.+-]*\+json$/.test(contentType)) {
            return apiError(415, '415', 'Unsupported Media Type');
          }
          const body = parseJson(text);
          if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('The request body must be a JSON object');
          const fields = body as Record<string, unknown>;
          return method === 'POST' ? this.engine.start(fields) : this.engine.update(fields);
        }
        case CHALLENGE_COUNTER_PATH:
          if (method !== 'DELETE') return apiError(405, '405', 'Method Not Allowed', { allow: 'DELETE' });
          return this.engine.resetCounter(query);
        default:
          return apiError(404, '404', 'Not Found');
      }
    }
    if (trimmed === REGISTRATION_PATH || trimmed.startsWith(`${REGISTRATION_PATH}/`)) {
      if (method !== 'GET' && method !== 'HEAD') return htmlReply(405, ingressErrorPage(405, 'Not Allowed'), { allow: 'GET' });
      return htmlReply(200, registrationPage(query.get('userId'), this.engine.factorKeys()), { 'cache-control': 'no-store' });
    }
    return htmlReply(404, NOT_FOUND_PAGE);
  }

  /** The path below the base path (case-sensitive, as the Java runtime routes), or undefined. */
  private apiSubPath(path: string): string | undefined {
    if (this.basePath === '') return path === REGISTRATION_PATH || path.startsWith(`${REGISTRATION_PATH}/`) ? undefined : path;
    if (path === this.basePath) return '';
    return path.startsWith(`${this.basePath}/`) ? path.slice(this.basePath.length) : undefined;
  }

  /** `Authorization: Basic base64(apiUsername:apiKey)` or `Bearer <bearerToken>`. */
  private authorized(header: string): boolean {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer) return bearer[1] === this.bearerToken;
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!basic?.[1]) return false;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && decoded.slice(0, colon) === this.apiUsername && decoded.slice(colon + 1) === this.apiKey;
  }
}

function checkedSwitches(partial: unknown): Partial<OaaSwitches> {
  const parsed = parseOaaSwitches(partial);
  if (typeof parsed === 'string') throw new TypeError(parsed);
  return parsed;
}

function nonEmpty(value: string | undefined, fallback: string, name: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

/** `oaa/runtime/` → `/oaa/runtime`; `/` → `` (the API at the root). Undefined → `/oaa/runtime`. */
function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined) return '/oaa/runtime';
  if (typeof basePath !== 'string' || /[?#\s]/.test(basePath)) throw new TypeError('basePath must be a URL path, e.g. /oaa/runtime');
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  if (trimmed === '_sim' || trimmed.startsWith('_sim/')) throw new TypeError('basePath must not be below /_sim');
  return trimmed ? `/${trimmed}` : '';
}
