/**
 * A loopback simulator of the Oracle Advanced Authentication (OAA) runtime
 * API (`POST`/`PUT {OAAService}/authn/v1`, `DELETE …/challengecounter/v1`),
 * faithful to the protocol notes (oaa.md): a `correlationId` per challenge
 * session, a `nonce` that rotates on every response, `challengeop`
 * Init/Validate/Finalize, retry counters that block a factor. No `/authn/v1`
 * response is public, so its names are guesses: the {@link OaaSwitches.naming}
 * switch serves either candidate naming (or a `foreign` one no client guess
 * matches), {@link OaaSwitches.statusStyle} the status spelling, and
 * {@link OaaSwitches.omitStatusOn} answers without any status, so a client's
 * handling of answers it cannot read can be tested.
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
import type { IncomingMessage } from 'node:http';
import type { ControlRequest } from '../shared/control.js';
import { type HttpReply, firstHeader, htmlReply, parseJson } from '../shared/http.js';
import { SimulatorBase } from '../shared/simulator.js';
import type { SimFault, SimFaultOptions } from '../shared/types.js';
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
export class OaaSimulator extends SimulatorBase<OaaSwitches> implements OaaControlTarget {
  /**
   * Starts a simulator listening on `127.0.0.1` and a free port (by default).
   * @throws TypeError for an invalid user list, invalid switches or empty credentials.
   */
  static async start(options: OaaSimulatorOptions = {}): Promise<OaaSimulator> {
    return new OaaSimulator(options).listen(options);
  }

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
  private readonly basePath: string;

  private constructor(options: OaaSimulatorOptions) {
    const users: OaaSimUser[] = cloneOaaUsers(options.users ?? oaaDemoUsers);
    validateOaaUsers(users);
    const basePath = normaliseBasePath(options.basePath);
    const apiUsername = nonEmpty(options.apiUsername, 'oaainstall-oaa', 'apiUsername');
    if (apiUsername.includes(':')) throw new TypeError('apiUsername must not contain ":"');
    const apiKey = nonEmpty(options.apiKey, 'apikeytobesetduringinstallation', 'apiKey');
    const bearerToken = nonEmpty(options.bearerToken, 'demo-oaa-bearer', 'bearerToken');
    const clientId = nonEmpty(options.clientId, 'demo-agent', 'clientId');
    const clientSecret = nonEmpty(options.clientSecret, 'demo-agent-secret', 'clientSecret');
    const levels = options.assuranceLevels ?? ['PassportAL1'];
    if (!Array.isArray(levels) || levels.length === 0 || levels.some((l) => typeof l !== 'string' || l.trim() === '')) {
      throw new TypeError('assuranceLevels must be a non-empty array of non-empty strings');
    }
    super({
      defaults: defaultOaaSwitches(),
      parseSwitches: parseOaaSwitches,
      switches: options.switches,
      copySwitches: (s) => ({ ...s, omitStatusOn: [...s.omitStatusOn] }),
      // Every OAA path ends in `/v1`: faults match on the resource name instead of the last segment.
      faultQueue: new OaaFaultQueue(),
      faultPages: oaaFaultPages,
      // A bug in the simulator must not take the test process down: answer 500 like a failing pod.
      crashReply: () => htmlReply(500, ingressErrorPage(500, 'Internal Server Error')),
      tooLarge: () => htmlReply(413, ingressErrorPage(413, 'Request Entity Too Large'), { connection: 'close' }),
    });
    this.basePath = basePath;
    this.apiUsername = apiUsername;
    this.apiKey = apiKey;
    this.bearerToken = bearerToken;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.assuranceLevels = Object.freeze([...levels]);
    this.engine = new OaaEngine(users, { clientId: this.clientId, clientSecret: this.clientSecret, assuranceLevels: this.assuranceLevels }, this.switches);
  }

  /** The OAAService base URL, e.g. `http://127.0.0.1:PORT/oaa/runtime`; the API is at `${url}/authn/v1`. */
  override get url(): string {
    return this.server.origin + this.basePath;
  }

  /** The fake self-service enrolment page (`SpuiUrl`): `${origin}/oaa/rui`. */
  get registrationUrl(): string {
    return this.server.origin + REGISTRATION_PATH;
  }

  /**
   * Arms a transport fault for the next matching request(s). `opts.path` names
   * the resource, version segments ignored: `authn` (`/authn/v1`, POST and PUT),
   * `challengecounter`, `rui`. Faults are used in the order they were added.
   * Except for `slowBody`, the request is not processed (no state changes, no
   * nonce rotation).
   * @throws TypeError for an invalid fault.
   */
  override injectFault(fault: SimFault, opts: SimFaultOptions = {}): void {
    // Only the documentation differs: the resource matching lives in OaaFaultQueue.
    super.injectFault(fault, opts);
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
      switches: { ...this.switches, omitStatusOn: [...this.switches.omitStatusOn] },
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
  override reset(): void {
    this.engine.reset();
    super.reset();
  }

  // ---------------------------------------------------------------- HTTP plumbing

  protected override answerControl(req: ControlRequest): HttpReply {
    return handleOaaControl(this, req);
  }

  /** Routes a request: the runtime API below the base path, the enrolment page, else the ingress 404. */
  protected override route(req: IncomingMessage, path: string, text: string, rawQuery: string): HttpReply {
    const query = new URLSearchParams(rawQuery);
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
