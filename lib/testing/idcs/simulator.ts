/**
 * A loopback simulator of the Oracle IDCS / OCI IAM Identity Domains
 * Authenticate API: `/oauth2/v1/token` (client credentials, and the jwt-bearer
 * grant that turns an authnToken into a user token), `/sso/v1/sdk/authenticate`
 * with its rotating `requestState`, and `/admin/v1/Me`. Response shapes follow
 * Oracle's own material (vendored under `shared/vendor/idcs/`: the docs page, the
 * Postman collections' saved responses, the error catalogues, Oracle's sample
 * sign-in app); behaviour none of it shows is a switch or marked UNVERIFIED.
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
 * // gus enrolls with Oracle Mobile Authenticator (online TOTP or PUSH): play the app
 * sim.scanEnrollment('gus');
 * await sim.close();
 * ```
 */
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ControlRequest } from '../shared/control.js';
import { type HttpReply, firstHeader, htmlReply } from '../shared/http.js';
import { SimulatorBase } from '../shared/simulator.js';
import { type IdcsControlTarget, handleIdcsControl } from './control-api.js';
import { IdcsEngine } from './engine.js';
import { defaultIdcsSwitches, parseIdcsSwitches } from './switches.js';
import type { IdcsPendingEnrollment, IdcsSentCode, IdcsSimUser, IdcsSimulatorOptions, IdcsSimulatorState, IdcsSwitches } from './types.js';
import { cloneIdcsUsers, idcsDemoUsers, validateIdcsUsers } from './users.js';
import { NOT_FOUND_PAGE, errorPage, idcsFaultPages, oauthReply, unauthorizedHtml } from './wire.js';

export * from './types.js';
export { idcsDemoUsers } from './users.js';
export { defaultIdcsSwitches } from './switches.js';

const TOKEN_PATH = '/oauth2/v1/token';
const AUTHENTICATE_PATH = '/sso/v1/sdk/authenticate';
const ME_PATH = '/admin/v1/Me';

/**
 * The simulated identity domain. Create it with {@link IdcsSimulator.start};
 * always {@link IdcsSimulator.close} it.
 */
export class IdcsSimulator extends SimulatorBase<IdcsSwitches> implements IdcsControlTarget {
  /**
   * Starts a simulator listening on `127.0.0.1` and a free port (by default).
   * @throws TypeError for an invalid user list, invalid switches or empty client settings.
   */
  static async start(options: IdcsSimulatorOptions = {}): Promise<IdcsSimulator> {
    return new IdcsSimulator(options).listen(options);
  }

  /** Client id of the sign-in app (HTTP Basic user at `/oauth2/v1/token`). */
  readonly clientId: string;
  /** Its client secret. */
  readonly clientSecret: string;
  /** The app name the `GET` accepts (`?appName=`). */
  readonly appName: string;
  /** The tenant name (`tenant` claim of authnTokens). */
  readonly tenant: string;

  private readonly engine: IdcsEngine;
  private readonly users: IdcsSimUser[];

  private constructor(options: IdcsSimulatorOptions) {
    const users = cloneIdcsUsers(options.users ?? idcsDemoUsers);
    validateIdcsUsers(users);
    const clientId = nonEmpty(options.clientId, 'demo-client', 'clientId');
    const clientSecret = nonEmpty(options.clientSecret, 'demo-secret', 'clientSecret');
    const appName = nonEmpty(options.appName, 'DemoApp', 'appName');
    const tenant = nonEmpty(options.tenant, 'tenant1', 'tenant');
    super({
      defaults: defaultIdcsSwitches(),
      parseSwitches: parseIdcsSwitches,
      switches: options.switches,
      faultPages: idcsFaultPages,
      // A bug in the simulator must not take the test process down: answer 500 like a failing front end.
      crashReply: () => htmlReply(500, errorPage(500, 'Internal Server Error')),
      tooLarge: () => htmlReply(413, errorPage(413, 'Payload Too Large'), { connection: 'close' }),
    });
    this.users = users;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.appName = appName;
    this.tenant = tenant;
    this.engine = new IdcsEngine(this.users, { clientId, clientSecret, appName, tenant }, this.switches, () => this.url);
  }

  /** Base URL of the identity domain, e.g. `http://127.0.0.1:PORT`. */
  override get url(): string {
    return this.server.origin;
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

  /**
   * Oracle Mobile Authenticator scans the QR code of the user's waiting online TOTP or PUSH
   * enrollment and registers by itself (what the `oraclemobileauthenticator://` link does);
   * the client's next `credSubmit` poll then succeeds instead of answering `pending`.
   * @returns false when no such enrollment was waiting.
   */
  scanEnrollment(username: string): boolean {
    return this.engine.scanEnrollment(username);
  }

  /** Enrollments waiting for the user (QR code to scan, or code to type). */
  pendingEnrollments(): IdcsPendingEnrollment[] {
    return this.engine.pendingEnrollments();
  }

  /**
   * Approves the user's waiting push (every one, if several sign-ins wait); the next poll succeeds.
   * A waiting PUSH enrollment completes too (like {@link IdcsSimulator.scanEnrollment}).
   * @returns false when nothing was waiting.
   */
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

  /**
   * Every access token issued so far stops working: app tokens (the authenticate API then
   * answers HTTP 401 `text/html`) and user tokens (`/admin/v1/Me` answers 401).
   */
  expireAccessTokens(): void {
    this.engine.expireAccessTokens();
  }

  /** Every authnToken issued so far expires now (the jwt-bearer grant answers `invalid_grant`). */
  expireAuthnTokens(): void {
    this.engine.expireAuthnTokens();
  }

  /** Every requestState issued so far expires now (→ HTTP 401 AUTH-1117). */
  expireRequestStates(): void {
    this.engine.expireRequestStates();
  }

  /** Every SMS/e-mail code sent so far expires now (→ AUTH-1105 "Invalid passcode."); codes sent later work. */
  expireCodes(): void {
    this.engine.expireCodes();
  }

  /** The public key that verifies authnTokens (RS256, `kid: "SIGNING_KEY"`), generated at start. */
  get signingKey(): KeyObject {
    return this.engine.publicKey;
  }

  /** Number of successful `/oauth2/v1/token` calls, both grants (since start or the last reset). */
  tokensIssued(): number {
    return this.engine.tokensIssued();
  }

  /** The user's factors, preferred first: configured ones plus those enrolled during the run. */
  enrolledFactors(username: string): string[] {
    return this.engine.factorNames(username);
  }

  /** Clears the user's failure count, lifting a lockout (AUTH-3002 / AUTH-1028). */
  unlock(username: string): void {
    this.engine.unlock(username);
  }

  /** A snapshot of everything the control page shows. */
  state(): IdcsSimulatorState {
    return {
      url: this.url,
      clientId: this.clientId,
      appName: this.appName,
      tenant: this.tenant,
      switches: { ...this.switches },
      users: this.users.map((u) => ({
        username: u.username,
        password: u.password,
        displayName: u.displayName,
        email: u.email,
        factors: this.engine.factorNames(u.username),
        enrolledDuringRun: this.engine.enrolledDuringRun(u),
        enrollment: u.enrollment ?? null,
        termsOfUse: u.termsOfUse === true,
        trustedDevice: u.trustedDevice === true,
        passwordExpired: u.passwordExpired === true,
        mustChangePassword: u.mustChangePassword === true,
        adminLocked: u.locked === true,
        failures: this.engine.failureCount(u),
        lockedOut: this.engine.isLockedOut(u),
      })),
      pendingPushes: this.engine.pendingPushes(),
      pendingEnrollments: this.engine.pendingEnrollments(),
      codes: this.engine.codesByUser(),
      totp: this.engine.totpSnapshot(),
      openFlows: this.engine.openFlowCount(),
      activeAccessTokens: this.engine.activeAccessTokens(),
      tokensIssued: this.engine.tokensIssued(),
      userTokensIssued: this.engine.userTokensIssued(),
      trustTokens: this.engine.trustTokenCount(),
      requestCount: this.requests.length,
      pendingFaults: this.faults.list(),
    };
  }

  /**
   * Forgets sign-ins (their requestStates, pushes and enrollments), requests, faults,
   * codes, lockouts, factors enrolled and preferred factors chosen during the run,
   * access, authn and trust tokens, and zeroes {@link IdcsSimulator.tokensIssued}; puts the switches back to the
   * values given to {@link IdcsSimulator.start}. A client that cached an access
   * token gets one HTML 401 after a reset and must fetch a new token.
   */
  override reset(): void {
    this.engine.reset();
    super.reset();
  }

  // ---------------------------------------------------------------- HTTP plumbing

  protected override answerControl(req: ControlRequest): HttpReply {
    return handleIdcsControl(this, req);
  }

  /** Routes an API request; unknown paths get an HTML 404. */
  protected override route(req: IncomingMessage, path: string, text: string, query: string): HttpReply {
    const method = req.method ?? 'GET';
    const authorization = firstHeader(req.headers.authorization) || undefined;
    switch (path.replace(/\/+$/, '')) {
      case TOKEN_PATH:
        if (method !== 'POST') return methodNotAllowed('POST');
        return this.engine.token(authorization, new URLSearchParams(text));
      case AUTHENTICATE_PATH:
        if (method !== 'GET' && method !== 'POST') return methodNotAllowed('GET, POST');
        // The access token is checked first: an expired one is an HTML 401 whatever the body (idcsAuthnSDK.js relies on it).
        if (!this.engine.authorized(authorization)) return unauthorizedHtml();
        if (method === 'GET') return this.engine.begin(new URLSearchParams(query).get('appName'));
        return this.engine.advance(parseObject(text));
      case ME_PATH:
        if (method !== 'GET') return methodNotAllowed('GET');
        return this.engine.me(authorization);
      default:
        return htmlReply(404, NOT_FOUND_PAGE);
    }
  }
}

function methodNotAllowed(allow: string): HttpReply {
  return oauthReply({ error: 'invalid_request', error_description: 'Method not allowed.' }, 405, { allow });
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
