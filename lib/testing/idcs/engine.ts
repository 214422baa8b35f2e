/**
 * The authentication state machine of the simulated identity domain, free of
 * HTTP: the endpoints take parsed input and return an {@link HttpReply}.
 *
 * Every JSON answer carries a new `requestState` unless the flow is finished
 * or dead; only the latest one of a flow is accepted (idcs.md §2).
 */
import { randomUUID } from 'node:crypto';
import { CodeBook } from '../shared/codes.js';
import { FailureCounter, findUserByName } from '../shared/lockout.js';
import type { HttpReply } from '../shared/http.js';
import { sixDigitCode, stableUuid } from '../shared/ids.js';
import { type Phone, type UserFactor, checkAnswers, configuredFactors, factorWire, maskEmail, maskPhone } from './factors.js';
import { pseudoQrPngBase64 } from './png.js';
import { AUTHN_TOKEN_LIFETIME_SECONDS, AccessTokenStore, JwtSigner, TRUST_DURATION_DAYS, TrustTokenStore } from './tokens.js';
import { newTotpSecret, otpauthUri, totpAt, verifyTotp } from './totp.js';
import type { IdcsEnrollableFactor, IdcsFactor, IdcsPendingPush, IdcsSentCode, IdcsSimUser, IdcsSwitches } from './types.js';
import {
  type AuthBody,
  CAUSES,
  type Cause,
  authReply,
  deadFailure,
  invalidRequest,
  newEcId,
  newRequestState,
  oauthReply,
  unknownApp,
} from './wire.js';

/** Where a flow stands: what its `credSubmit` (if allowed) means. */
type Step = 'username' | 'password' | 'mfa' | 'enrollment' | 'enrollVerify' | 'tou' | 'createToken';

interface PushState {
  status: 'pending' | 'approved' | 'denied';
  startedAt: number;
  polls: number;
}

interface SentOtp {
  factor: 'SMS' | 'EMAIL';
  value: string;
  sentAt: number;
  /** Which expireCodes() generation the code belongs to (a counter: milliseconds can tie). */
  generation: number;
}

/** A factor being enrolled: the secret or phone to keep once the user proves it. */
type Enrolling = { deviceId: string } & ({ factor: 'TOTP'; secret: string } | { factor: 'SMS'; phone: Phone } | { factor: 'EMAIL' });

/** One sign-in, from the `GET` to the authnToken. */
interface Flow {
  readonly id: string;
  readonly createdAt: number;
  requestState: string;
  stateIssuedAt: number;
  forcedExpiry: boolean;
  step: Step;
  user: IdcsSimUser | undefined;
  /** The user name given in a `USERNAME` step. */
  identified: string | undefined;
  /** A trustToken sent before MFA (INFERRED: top-level `trustToken` of a credSubmit). */
  trustToken: string | undefined;
  /** `nextOp` of the last answer: the only operations accepted now. */
  nextOp: string[];
  /** Fields of the last challenge, repeated in a failure that allows a retry. */
  challenge: AuthBody;
  /** MFA: the factors the client may submit now. */
  offered: IdcsFactor[];
  /** MFA: the factor whose code was sent or whose push is out. */
  active: IdcsFactor | undefined;
  code: SentOtp | undefined;
  push: PushState | undefined;
  enrolling: Enrolling | undefined;
  /** `trustedDevice: true` came with the credSubmit that completed MFA. */
  trustedDeviceRequested: boolean;
  /** MFA is settled: performed, skipped by a trust token, or enrollment done or skipped. */
  mfaDone: boolean;
  /** A factor was actually proved in this flow (a trust token can then be issued). */
  mfaPerformed: boolean;
  touAccepted: boolean;
  /** After an enrollment the client must call `createToken` (T6). */
  needsCreateToken: boolean;
}

/** One-time codes (SMS, e-mail) are valid this long (INFERRED). */
export const CODE_LIFETIME_MS = 5 * 60_000;
/** Open flows are capped so a demo server running for days stays small. */
const MAX_FLOWS = 10_000;
const ENROLLABLE: readonly IdcsEnrollableFactor[] = ['TOTP', 'SMS', 'EMAIL'];
const FACTORS: ReadonlySet<string> = new Set<IdcsFactor>(['TOTP', 'SMS', 'EMAIL', 'PUSH', 'SECURITY_QUESTIONS', 'BYPASSCODE']);
const SCOPE = 'urn:opc:idm:__myscopes__';
const TERMS_TEXT =
  'Terms of Use. By signing in you agree to use this application only for authorised purposes, to keep your ' +
  'credentials confidential, and to the monitoring of your use as described in the acceptable use policy.';
const TOTP_ISSUER = 'IDCS Simulator';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const isFactor = (v: string): v is IdcsFactor => FACTORS.has(v);

/** The client of the sign-in app, as configured. */
export interface ClientConfig {
  clientId: string;
  clientSecret: string;
  appName: string;
}

export class IdcsEngine {
  private readonly flows = new Map<string, Flow>();
  private readonly byState = new Map<string, string>();
  private readonly signer = new JwtSigner();
  private readonly accessTokens = new AccessTokenStore(this.signer);
  private readonly trustTokens = new TrustTokenStore();
  private readonly failures: FailureCounter;
  private readonly codes = new CodeBook<IdcsSentCode['mechanism']>();
  /** Factors enrolled during the run, by lower-case user name. */
  private readonly enrolled = new Map<string, UserFactor[]>();
  /** Codes sent at or before this time are expired (`expireCodes()`). */
  /** Bumped by expireCodes(): codes of older generations are expired. */
  private codeGeneration = 0;

  constructor(
    private readonly users: readonly IdcsSimUser[],
    private readonly client: ClientConfig,
    private readonly switches: IdcsSwitches,
    /** The simulator's base URL (the `iss` of tokens), read when a token is issued. */
    private readonly issuer: () => string,
  ) {
    this.failures = new FailureCounter(() => this.switches.lockoutAfterFailures);
  }

  // ---------------------------------------------------------------- endpoints

  /**
   * `POST /oauth2/v1/token`: client credentials by HTTP Basic (or `client_id` and
   * `client_secret` in the form), `grant_type=client_credentials`, scope `urn:opc:idm:__myscopes__`.
   */
  token(authorization: string | undefined, form: URLSearchParams): HttpReply {
    const client = basicCredentials(authorization) ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
    if (client.id !== this.client.clientId || client.secret !== this.client.clientSecret) {
      return oauthReply({ error: 'invalid_client', error_description: 'Client authentication failed.' }, 401, {
        'www-authenticate': 'Basic realm="identity"',
      });
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthReply({ error: 'unsupported_grant_type', error_description: 'The grant type is not supported by this client.' }, 400);
    }
    const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (!scopes.includes(SCOPE)) {
      return oauthReply({ error: 'invalid_scope', error_description: `The requested scope is not valid; use ${SCOPE}.` }, 400);
    }
    const ttl = this.switches.accessTokenTtlSeconds;
    const accessToken = this.accessTokens.issue(this.client.clientId, this.issuer(), SCOPE, ttl);
    return oauthReply({ access_token: accessToken, token_type: 'Bearer', expires_in: ttl });
  }

  /** True for a live client-credentials token in `Authorization: Bearer …`. */
  authorized(authorization: string | undefined): boolean {
    return this.accessTokens.isValid(authorization);
  }

  /** `GET /sso/v1/sdk/authenticate?appName=…`: a new flow. */
  begin(appName: string | null): HttpReply {
    if (appName !== null && appName.toLowerCase() !== this.client.appName.toLowerCase()) {
      return authReply({ status: 'failed', ecId: newEcId(), cause: [unknownApp(appName)] }, 400);
    }
    this.sweep();
    const flow: Flow = {
      id: randomUUID(),
      createdAt: Date.now(),
      requestState: '',
      stateIssuedAt: 0,
      forcedExpiry: false,
      step: this.switches.usernameFirst ? 'username' : 'password',
      user: undefined,
      identified: undefined,
      trustToken: undefined,
      nextOp: [],
      challenge: {},
      offered: [],
      active: undefined,
      code: undefined,
      push: undefined,
      enrolling: undefined,
      trustedDeviceRequested: false,
      mfaDone: false,
      mfaPerformed: false,
      touAccepted: false,
      needsCreateToken: false,
    };
    this.flows.set(flow.id, flow);
    if (flow.step === 'username') {
      return this.challenge(flow, { nextOp: ['credSubmit'], nextAuthFactors: ['USERNAME'], USERNAME: { credentials: ['username'] } });
    }
    return this.challenge(flow, passwordFields());
  }

  /** `POST /sso/v1/sdk/authenticate`; `body` is undefined when it was not a JSON object. */
  advance(body: AuthBody | undefined): HttpReply {
    if (body === undefined) return deadFailure(CAUSES.malformedJson, 400);
    const flow = this.flowByState(body.requestState);
    if (!flow) return deadFailure(CAUSES.invalidRequestState, 401);
    const op = str(body.op);
    if (!flow.nextOp.includes(op)) {
      return this.retry(flow, 400, invalidRequest(op ? `the operation "${op}" is not allowed now` : 'op is missing'));
    }
    switch (op) {
      case 'credSubmit':
        return this.credSubmit(flow, body);
      case 'getBackupFactors':
        return this.backupFactorsOp(flow);
      case 'resendCode':
        return this.resendCode(flow);
      case 'enrollment':
        return this.enrollment(flow, body);
      case 'acceptTOU':
        return this.acceptTou(flow, body);
      case 'createToken':
        flow.needsCreateToken = false;
        flow.mfaDone = true; // skipping an optional enrollment settles MFA
        return this.proceed(flow);
      default:
        return this.retry(flow, 400, invalidRequest(`the operation "${op}" is not supported`));
    }
  }

  // ---------------------------------------------------------------- control surface

  /** A user by user name or e-mail, case-insensitively. */
  findUser(name: string): IdcsSimUser | undefined {
    return findUserByName(this.users, name);
  }

  lastCode(username: string, factor?: IdcsSentCode['mechanism']): string | undefined {
    const user = this.findUser(username);
    return user && this.codes.last(keyOf(user), factor);
  }

  codesByUser(): Record<string, IdcsSentCode[]> {
    return this.codes.snapshot();
  }

  /** The user's TOTP secret: the enrolled one, else one being enrolled in an open flow (the newest). */
  totpSecret(username: string): { secret: string; enrolling: boolean } | undefined {
    const user = this.findUser(username);
    if (!user) return undefined;
    const enrolled = this.factorsOf(user).find((f) => f.factor === 'TOTP')?.secret;
    if (enrolled) return { secret: enrolled, enrolling: false };
    let newest: Flow | undefined;
    for (const flow of this.openFlows()) {
      if (flow.user === user && flow.enrolling?.factor === 'TOTP' && (!newest || flow.stateIssuedAt >= newest.stateIssuedAt)) newest = flow;
    }
    return newest?.enrolling?.factor === 'TOTP' ? { secret: newest.enrolling.secret, enrolling: true } : undefined;
  }

  /** What the user's authenticator app shows now. @throws Error when the user has no TOTP secret. */
  totpCode(username: string): string {
    const found = this.totpSecret(username);
    if (!found) throw new Error(`IdcsSimulator: user "${username}" has no TOTP authenticator (enrolled or being enrolled)`);
    return totpAt(found.secret, Date.now());
  }

  /** Current TOTP code of every user who has (or is enrolling) an authenticator. */
  totpSnapshot(): Record<string, { code: string; secret: string; enrolling: boolean }> {
    const out: Record<string, { code: string; secret: string; enrolling: boolean }> = {};
    for (const user of this.users) {
      const found = this.totpSecret(user.username);
      if (found) out[keyOf(user)] = { code: totpAt(found.secret, Date.now()), ...found };
    }
    return out;
  }

  pendingPushes(): IdcsPendingPush[] {
    return this.openFlows().flatMap((flow) => {
      if (flow.push?.status !== 'pending' || !flow.user) return [];
      const device = this.factorsOf(flow.user).find((f) => f.factor === 'PUSH');
      return [
        {
          username: flow.user.username,
          deviceName: device?.displayName ?? 'phone',
          flow: flow.id.slice(0, 8),
          startedAt: flow.push.startedAt,
          polls: flow.push.polls,
        },
      ];
    });
  }

  /** Approves or denies every push the user has waiting. @returns false when nothing was waiting. */
  resolvePush(username: string, decision: 'approved' | 'denied'): boolean {
    const user = this.findUser(username);
    let found = false;
    for (const flow of this.openFlows()) {
      if (!user || flow.user !== user || flow.push?.status !== 'pending') continue;
      flow.push.status = decision;
      found = true;
    }
    return found;
  }

  /** Configured factors plus those enrolled during the run. */
  factorNames(username: string): string[] {
    const user = this.findUser(username);
    return user ? this.factorsOf(user).map((f) => f.factor) : [];
  }

  enrolledDuringRun(user: IdcsSimUser): string[] {
    return (this.enrolled.get(keyOf(user)) ?? []).map((f) => f.factor);
  }

  expireAccessTokens(): void {
    this.accessTokens.expireAll();
  }

  expireRequestStates(): void {
    for (const flow of this.flows.values()) flow.forcedExpiry = true;
  }

  expireCodes(): void {
    this.codeGeneration += 1;
  }

  tokensIssued(): number {
    return this.accessTokens.issued;
  }

  activeAccessTokens(): number {
    return this.accessTokens.activeCount();
  }

  trustTokenCount(): number {
    return this.trustTokens.count();
  }

  openFlowCount(): number {
    return this.openFlows().length;
  }

  unlock(username: string): void {
    const user = this.findUser(username);
    if (user) this.failures.forget(keyOf(user));
  }

  failureCount(user: IdcsSimUser): number {
    return this.failures.count(keyOf(user));
  }

  isLockedOut(user: IdcsSimUser): boolean {
    return this.failures.isLocked(keyOf(user));
  }

  /** Forgets flows, failures, codes, enrollments, access and trust tokens, and the issued-token count. */
  reset(): void {
    this.flows.clear();
    this.byState.clear();
    this.failures.clear();
    this.codes.clear();
    this.enrolled.clear();
    this.accessTokens.clear();
    this.trustTokens.clear();
    this.codeGeneration = 0;
  }

  // ---------------------------------------------------------------- answers

  /** A success that asks for something: remembered so a failed retry can repeat it. */
  private challenge(flow: Flow, fields: AuthBody): HttpReply {
    flow.challenge = fields;
    flow.nextOp = Array.isArray(fields.nextOp) ? (fields.nextOp as string[]) : [];
    return authReply({ status: 'success', ecId: newEcId(), ...this.who(flow), ...fields, requestState: this.rotate(flow) });
  }

  /** A failure the client may retry: the last challenge again, with a new requestState. */
  private retry(flow: Flow, httpStatus: number, cause: Cause): HttpReply {
    return authReply(
      { status: 'failed', ecId: newEcId(), ...this.who(flow), cause: [cause], ...flow.challenge, requestState: this.rotate(flow) },
      httpStatus,
    );
  }

  /** A failure that ends the flow: no nextOp, no requestState. */
  private die(flow: Flow, cause: Cause, httpStatus = 401): HttpReply {
    this.drop(flow);
    return deadFailure(cause, httpStatus);
  }

  /** `displayName` once the user is known. */
  private who(flow: Flow): AuthBody {
    return flow.user ? { displayName: flow.user.displayName } : {};
  }

  // ---------------------------------------------------------------- credSubmit

  private credSubmit(flow: Flow, body: AuthBody): HttpReply {
    switch (flow.step) {
      case 'username':
        return this.submitUsername(flow, body);
      case 'password':
        return this.submitPassword(flow, body);
      case 'mfa':
        return this.submitFactor(flow, body);
      case 'enrollVerify':
        return this.submitEnrollmentCode(flow, body);
      default:
        return this.retry(flow, 400, invalidRequest('nothing to submit credentials for'));
    }
  }

  /** User name first: remember the name and ask for the password. Unknown names are not revealed. */
  private submitUsername(flow: Flow, body: AuthBody): HttpReply {
    const factor = str(body.authFactor);
    if (factor && factor !== 'USERNAME') return this.retry(flow, 400, invalidRequest(`authFactor "${factor}" is not offered`));
    const username = str(obj(body.credentials).username).trim();
    if (!username) return this.retry(flow, 400, invalidRequest('credentials.username is missing'));
    if (typeof body.trustToken === 'string') flow.trustToken = body.trustToken;
    flow.identified = username;
    flow.step = 'password';
    return this.challenge(flow, passwordFields());
  }

  private submitPassword(flow: Flow, body: AuthBody): HttpReply {
    const factor = str(body.authFactor);
    if (factor && factor !== 'USERNAME_PASSWORD' && factor !== 'PASSWORD') {
      return this.retry(flow, 400, invalidRequest(`authFactor "${factor}" is not offered`));
    }
    if (typeof body.trustToken === 'string') flow.trustToken = body.trustToken;
    const credentials = obj(body.credentials);
    const given = str(credentials.username).trim();
    const name = given || flow.identified || '';
    const user = this.findUser(name);
    if (flow.identified !== undefined && given && this.findUser(flow.identified) !== user) return this.passwordFailed(flow, undefined);
    if (user?.usernameFirst && flow.identified === undefined) {
      // This user's policy is user name first: the combined submit counts as the USERNAME step.
      flow.identified = name;
      return this.challenge(flow, passwordFields());
    }
    const password = credentials.password;
    if (!user || typeof password !== 'string' || password === '') return this.passwordFailed(flow, undefined);
    if (user.locked) return this.die(flow, CAUSES.adminLocked);
    if (this.isLockedOut(user)) return this.die(flow, CAUSES.lockedOut);
    if (password !== user.password) return this.passwordFailed(flow, user);
    if (user.passwordExpired) return this.die(flow, CAUSES.passwordExpired);
    flow.user = user;
    if (this.trustTokens.isValidFor(flow.trustToken, keyOf(user))) flow.mfaDone = true;
    return this.afterPassword(flow);
  }

  /** AUTH-3001 with the password challenge again (T7), or AUTH-3002 once the lockout threshold is reached. */
  private passwordFailed(flow: Flow, user: IdcsSimUser | undefined): HttpReply {
    if (user && this.countFailure(user)) return this.die(flow, CAUSES.lockedOut);
    return this.retry(flow, 401, CAUSES.wrongPassword);
  }

  private afterPassword(flow: Flow): HttpReply {
    const user = flow.user!;
    const factors = this.factorsOf(user);
    if (!flow.mfaDone && factors.length > 0) {
      flow.step = 'mfa';
      const preferred = factors.slice(0, Math.max(1, user.preferredFactorCount ?? 1)).map((f) => f.factor);
      return this.offerFactors(flow, preferred, { backupLink: true });
    }
    if (!flow.mfaDone && user.enrollment) {
      flow.step = 'enrollment';
      const required = user.enrollment === 'required';
      return this.challenge(flow, {
        nextOp: required ? ['enrollment'] : ['enrollment', 'createToken'],
        nextAuthFactors: [...ENROLLABLE],
        scenario: 'ENROLLMENT',
        mfaSettings: { enrollmentRequired: required },
      });
    }
    flow.mfaDone = true;
    return this.proceed(flow);
  }

  /** After MFA: terms of use, then createToken (after an enrollment), then the authnToken. */
  private proceed(flow: Flow): HttpReply {
    const user = flow.user!;
    if (user.termsOfUse && !flow.touAccepted) {
      flow.step = 'tou';
      return this.challenge(flow, { nextOp: ['acceptTOU'], TOU: { text: TERMS_TEXT } });
    }
    if (flow.needsCreateToken) {
      flow.step = 'createToken';
      return this.challenge(flow, { nextOp: ['createToken'], scenario: 'ENROLLMENT' });
    }
    return this.finish(flow);
  }

  /** `acceptTOU {credentials: {consent: true}}` continues; anything else ends the flow. */
  private acceptTou(flow: Flow, body: AuthBody): HttpReply {
    if (obj(body.credentials).consent !== true) return this.die(flow, CAUSES.touDeclined);
    flow.touAccepted = true;
    return this.proceed(flow);
  }

  private finish(flow: Flow): HttpReply {
    const user = flow.user!;
    this.drop(flow);
    this.failures.forget(keyOf(user));
    const now = Math.floor(Date.now() / 1000);
    const authnToken = this.signer.sign({
      sub: user.username,
      sub_type: 'user',
      user_id: stableUuid(`idcs/user/${user.username.toLowerCase()}`),
      user_displayname: user.displayName,
      user_email: user.email,
      iss: this.issuer(),
      aud: this.client.clientId,
      iat: now,
      exp: now + AUTHN_TOKEN_LIFETIME_SECONDS,
      jti: randomUUID(),
    });
    const trust = flow.mfaPerformed && flow.trustedDeviceRequested && user.trustedDevice === true;
    return authReply({
      status: 'success',
      ecId: newEcId(),
      displayName: user.displayName,
      authnToken,
      ...(trust ? { trustToken: this.trustTokens.issue(keyOf(user)) } : {}),
    });
  }

  // ---------------------------------------------------------------- MFA

  /**
   * A challenge for `factors`. A single SMS/EMAIL factor gets its code at once;
   * `backupLink` offers `getBackupFactors` when the user has other factors.
   */
  private offerFactors(flow: Flow, factors: IdcsFactor[], options: { backupLink: boolean }): HttpReply {
    flow.offered = factors;
    flow.active = undefined;
    flow.code = undefined;
    flow.push = undefined;
    const [only] = factors;
    if (factors.length === 1 && (only === 'SMS' || only === 'EMAIL')) {
      flow.active = only;
      this.sendCode(flow, only);
    }
    return this.challenge(flow, this.factorFields(flow, factors, options.backupLink));
  }

  private factorFields(flow: Flow, factors: IdcsFactor[], backupLink: boolean): AuthBody {
    const user = flow.user!;
    const all = this.factorsOf(user);
    const resend = flow.active === 'SMS' || flow.active === 'EMAIL';
    const nextOp = ['credSubmit', ...(resend ? ['resendCode'] : []), ...(backupLink && this.backupFactors(flow).length > 0 ? ['getBackupFactors'] : [])];
    const fields: AuthBody = { nextOp, nextAuthFactors: [...factors] };
    for (const factor of factors) {
      const f = all.find((x) => x.factor === factor);
      if (f) fields[factor] = factorWire(user, f);
    }
    fields.scenario = 'AUTHENTICATION';
    if (user.trustedDevice) fields.trustedDeviceSettings = { trustDurationInDays: TRUST_DURATION_DAYS };
    return fields;
  }

  /** The user's other factors: all but the one in use (or, before a choice, all but those offered). */
  private backupFactors(flow: Flow): IdcsFactor[] {
    const inUse = flow.active ? [flow.active] : flow.offered;
    return this.factorsOf(flow.user!)
      .map((f) => f.factor)
      .filter((f) => !inUse.includes(f));
  }

  /** `getBackupFactors` (T5): the other factors, offered together; nothing is sent yet. */
  private backupFactorsOp(flow: Flow): HttpReply {
    const backups = flow.step === 'mfa' ? this.backupFactors(flow) : [];
    if (backups.length === 0) return this.retry(flow, 400, invalidRequest('there are no backup factors'));
    flow.offered = backups;
    flow.active = undefined;
    flow.code = undefined;
    flow.push = undefined;
    return this.challenge(flow, this.factorFields(flow, backups, false));
  }

  private submitFactor(flow: Flow, body: AuthBody): HttpReply {
    const user = flow.user!;
    if (this.isLockedOut(user)) return this.die(flow, CAUSES.lockedOut);
    const requested = str(body.authFactor);
    const factor = requested || flow.active || (flow.offered.length === 1 ? flow.offered[0] : undefined);
    if (!factor || !isFactor(factor) || !(flow.offered.includes(factor) || flow.active === factor)) {
      return this.retry(flow, 400, invalidRequest(factor ? `authFactor "${factor}" is not offered` : 'authFactor is missing'));
    }
    const device = this.factorsOf(user).find((f) => f.factor === factor);
    if (!device) return this.retry(flow, 400, invalidRequest(`authFactor "${factor}" is not enrolled`));
    const credentials = obj(body.credentials);
    flow.trustedDeviceRequested = body.trustedDevice === true;
    const deviceId = credentials.deviceId;
    if ((factor === 'SMS' || factor === 'EMAIL' || factor === 'PUSH') && deviceId !== undefined && deviceId !== device.deviceId) {
      return this.retry(flow, 400, invalidRequest('credentials.deviceId is not an enrolled device of this factor'));
    }
    switch (factor) {
      case 'TOTP':
        return verifyTotp(device.secret ?? '', credentials.otpCode) ? this.mfaPassed(flow) : this.factorFailed(flow, CAUSES.wrongCode);
      case 'SMS':
      case 'EMAIL':
        if (credentials.otpCode === undefined) {
          // Choosing the device sends the code (idcs.md §3).
          flow.offered = [factor];
          flow.active = factor;
          flow.push = undefined;
          this.sendCode(flow, factor);
          return this.challenge(flow, this.factorFields(flow, [factor], true));
        }
        return this.checkCode(flow, factor, credentials.otpCode, () => this.mfaPassed(flow));
      case 'PUSH':
        return this.pushStep(flow);
      case 'SECURITY_QUESTIONS':
        return checkAnswers(credentials.questions, user.questions ?? []) ? this.mfaPassed(flow) : this.factorFailed(flow, CAUSES.wrongAnswers);
      case 'BYPASSCODE':
        return typeof credentials.bypassCode === 'string' && credentials.bypassCode.trim() === user.bypassCode
          ? this.mfaPassed(flow)
          : this.factorFailed(flow, CAUSES.wrongBypassCode);
    }
  }

  /** Checks a typed one-time code against the last one sent for `factor` in this flow. */
  private checkCode(flow: Flow, factor: 'SMS' | 'EMAIL', typed: unknown, passed: () => HttpReply, countFailures = true): HttpReply {
    const code = flow.code;
    if (!code || code.factor !== factor) return this.factorFailed(flow, CAUSES.wrongCode, countFailures);
    if (this.isExpiredCode(code)) return this.factorFailed(flow, CAUSES.expiredCode, false);
    if (typeof typed !== 'string' || typed.trim() !== code.value) return this.factorFailed(flow, CAUSES.wrongCode, countFailures);
    return passed();
  }

  /** AUTH-1109/1112 with the same challenge and a new requestState, or AUTH-3002 at the lockout threshold. */
  private factorFailed(flow: Flow, cause: Cause, count = true): HttpReply {
    if (count && flow.user && this.countFailure(flow.user)) return this.die(flow, CAUSES.lockedOut);
    return this.retry(flow, 401, cause);
  }

  private mfaPassed(flow: Flow): HttpReply {
    flow.mfaDone = true;
    flow.mfaPerformed = true;
    flow.code = undefined;
    flow.push = undefined;
    flow.active = undefined;
    return this.proceed(flow);
  }

  /** The first PUSH credSubmit sends the push; the same call repeated polls it (T4). */
  private pushStep(flow: Flow): HttpReply {
    const push = flow.push;
    if (!push) {
      flow.push = { status: 'pending', startedAt: Date.now(), polls: 0 };
      flow.offered = ['PUSH'];
      flow.active = 'PUSH';
      flow.code = undefined;
      return this.pending(flow);
    }
    if (push.status === 'approved') return this.mfaPassed(flow);
    if (push.status === 'denied') {
      this.countFailure(flow.user!);
      return this.die(flow, CAUSES.pushDenied);
    }
    const auto = this.switches.pushAutoApproveAfterPolls;
    if (auto !== null && push.polls >= auto) {
      push.status = 'approved';
      return this.mfaPassed(flow);
    }
    push.polls += 1;
    return this.pending(flow);
  }

  /** `status: pending` + AUTH-1108: poll with the same credSubmit. */
  private pending(flow: Flow): HttpReply {
    const fields = this.factorFields(flow, ['PUSH'], false);
    flow.challenge = { ...fields, nextOp: ['credSubmit'] };
    flow.nextOp = ['credSubmit'];
    return authReply({ status: 'pending', ecId: newEcId(), cause: [CAUSES.pushPending], nextOp: ['credSubmit'], requestState: this.rotate(flow) });
  }

  /** `resendCode`: a new code by the same channel, the same challenge, a new requestState. */
  private resendCode(flow: Flow): HttpReply {
    const channel = flow.step === 'enrollVerify' ? flow.enrolling?.factor : flow.active;
    if (channel !== 'SMS' && channel !== 'EMAIL') return this.retry(flow, 400, invalidRequest('there is no code to resend'));
    this.sendCode(flow, channel);
    return this.challenge(flow, flow.challenge);
  }

  // ---------------------------------------------------------------- enrollment (T6)

  private enrollment(flow: Flow, body: AuthBody): HttpReply {
    const user = flow.user!;
    const factor = str(body.authFactor);
    if (!factor) return this.challenge(flow, flow.challenge); // the list of enrollable factors again
    const credentials = obj(body.credentials);
    switch (factor) {
      case 'SMS': {
        const phone = enrollmentPhone(credentials);
        if (!phone) return this.retry(flow, 400, invalidRequest('credentials.phoneNumber and credentials.countryCode must form a valid mobile number'));
        const deviceId = randomUUID();
        flow.enrolling = { factor: 'SMS', phone, deviceId };
        this.sendCode(flow, 'SMS');
        flow.step = 'enrollVerify';
        return this.challenge(flow, {
          nextOp: ['credSubmit', 'resendCode'],
          nextAuthFactors: ['SMS'],
          SMS: { credentials: ['otpCode'], enrolledDevices: [{ deviceId, displayName: maskPhone(phone) }] },
          scenario: 'ENROLLMENT',
        });
      }
      case 'EMAIL': {
        const deviceId = randomUUID();
        flow.enrolling = { factor: 'EMAIL', deviceId };
        this.sendCode(flow, 'EMAIL');
        flow.step = 'enrollVerify';
        return this.challenge(flow, {
          nextOp: ['credSubmit', 'resendCode'],
          nextAuthFactors: ['EMAIL'],
          EMAIL: { credentials: ['otpCode'], enrolledDevices: [{ deviceId, displayName: maskEmail(user.email) }] },
          scenario: 'ENROLLMENT',
        });
      }
      case 'TOTP': {
        if (credentials.offlineTotp !== true) {
          return this.retry(flow, 400, invalidRequest('the simulator enrolls TOTP with credentials {offlineTotp: true} only'));
        }
        const secret = newTotpSecret();
        const content = otpauthUri(TOTP_ISSUER, user.username, secret);
        flow.enrolling = { factor: 'TOTP', secret, deviceId: randomUUID() };
        flow.step = 'enrollVerify';
        return this.challenge(flow, {
          nextOp: ['credSubmit'],
          nextAuthFactors: ['TOTP'],
          // INFERRED field names (qrCode.content/imageType/imageData, sharedSecret).
          TOTP: {
            credentials: ['otpCode'],
            qrCode: { content, imageType: 'image/png', imageData: pseudoQrPngBase64(content) },
            sharedSecret: secret,
          },
          scenario: 'ENROLLMENT',
        });
      }
      default:
        return this.retry(flow, 400, invalidRequest(`the factor "${factor}" cannot be enrolled here; use ${ENROLLABLE.join(', ')}`));
    }
  }

  /** The code (or TOTP) that proves the factor being enrolled; then the factor is kept until `reset()`. */
  private submitEnrollmentCode(flow: Flow, body: AuthBody): HttpReply {
    const enrolling = flow.enrolling!;
    const factor = str(body.authFactor);
    if (factor && factor !== enrolling.factor) return this.retry(flow, 400, invalidRequest(`authFactor "${factor}" is not being enrolled`));
    const typed = obj(body.credentials).otpCode;
    const done = (): HttpReply => {
      this.enroll(flow.user!, enrolling);
      flow.enrolling = undefined;
      flow.trustedDeviceRequested = body.trustedDevice === true;
      flow.mfaDone = true;
      flow.mfaPerformed = true;
      flow.needsCreateToken = true;
      flow.code = undefined;
      return this.proceed(flow);
    };
    if (enrolling.factor === 'TOTP') return verifyTotp(enrolling.secret, typed) ? done() : this.factorFailed(flow, CAUSES.wrongCode, false);
    return this.checkCode(flow, enrolling.factor, typed, done, false);
  }

  private enroll(user: IdcsSimUser, enrolling: Enrolling): void {
    const key = keyOf(user);
    const list = (this.enrolled.get(key) ?? []).filter((f) => f.factor !== enrolling.factor);
    const base = { factor: enrolling.factor, deviceId: enrolling.deviceId, enrolledDuringRun: true };
    switch (enrolling.factor) {
      case 'TOTP':
        list.push({ ...base, displayName: `${TOTP_ISSUER} authenticator`, secret: enrolling.secret });
        break;
      case 'SMS':
        list.push({ ...base, displayName: maskPhone(enrolling.phone), phone: enrolling.phone });
        break;
      case 'EMAIL':
        list.push({ ...base, displayName: maskEmail(user.email) });
        break;
    }
    this.enrolled.set(key, list);
  }

  // ---------------------------------------------------------------- flows, codes, failures

  /** Configured factors, then those enrolled during the run (a factor appears once). */
  private factorsOf(user: IdcsSimUser): UserFactor[] {
    const configured = configuredFactors(user);
    const extra = (this.enrolled.get(keyOf(user)) ?? []).filter((f) => !configured.some((c) => c.factor === f.factor));
    return [...configured, ...extra];
  }

  private sendCode(flow: Flow, factor: 'SMS' | 'EMAIL'): void {
    const value = sixDigitCode();
    const sentAt = Date.now();
    flow.code = { factor, value, sentAt, generation: this.codeGeneration };
    if (flow.user) this.codes.record(keyOf(flow.user), { mechanism: factor, code: value, sentAt });
  }

  private isExpiredCode(code: SentOtp): boolean {
    return code.generation < this.codeGeneration || Date.now() - code.sentAt > CODE_LIFETIME_MS;
  }

  /** Counts a failure; true when the user is now locked out. */
  private countFailure(user: IdcsSimUser): boolean {
    this.failures.add(keyOf(user));
    return this.isLockedOut(user);
  }

  /** Issues the flow's next requestState; the previous one stops working. */
  private rotate(flow: Flow): string {
    this.byState.delete(flow.requestState);
    flow.requestState = newRequestState();
    flow.stateIssuedAt = Date.now();
    this.byState.set(flow.requestState, flow.id);
    return flow.requestState;
  }

  private flowByState(requestState: unknown): Flow | undefined {
    if (typeof requestState !== 'string' || requestState === '') return undefined;
    const id = this.byState.get(requestState);
    const flow = id === undefined ? undefined : this.flows.get(id);
    if (!flow) return undefined;
    if (this.isExpired(flow)) {
      this.drop(flow);
      return undefined;
    }
    return flow;
  }

  private isExpired(flow: Flow): boolean {
    return flow.forcedExpiry || Date.now() - flow.stateIssuedAt >= this.switches.requestStateTtlMs;
  }

  private openFlows(): Flow[] {
    return [...this.flows.values()].filter((f) => !this.isExpired(f));
  }

  private drop(flow: Flow): void {
    this.flows.delete(flow.id);
    this.byState.delete(flow.requestState);
  }

  /** Drops expired flows, and the oldest ones beyond {@link MAX_FLOWS}. */
  private sweep(): void {
    for (const flow of [...this.flows.values()]) if (this.isExpired(flow)) this.drop(flow);
    for (const flow of this.flows.values()) {
      if (this.flows.size < MAX_FLOWS) break;
      this.drop(flow);
    }
  }
}

/** The `USERNAME_PASSWORD` challenge (seed 004). */
function passwordFields(): AuthBody {
  return { nextOp: ['credSubmit'], nextAuthFactors: ['USERNAME_PASSWORD'], USERNAME_PASSWORD: { credentials: ['username', 'password'] } };
}

function keyOf(user: IdcsSimUser): string {
  return user.username.toLowerCase();
}

/** `Authorization: Basic base64(id:secret)` (each part form-URL-encoded, RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** `{countryCode: '+44', phoneNumber: '7700 900123'}` → a phone, or undefined when implausible. */
function enrollmentPhone(credentials: Record<string, unknown>): Phone | undefined {
  const cc = str(credentials.countryCode).trim().replace(/^\+/, '');
  const national = str(credentials.phoneNumber).replace(/[\s().-]/g, '');
  if (!/^\d{1,3}$/.test(cc) || !/^\d{4,14}$/.test(national)) return undefined;
  return { countryCode: cc, national };
}
