/**
 * The authentication state machine of the simulated tenant, free of HTTP:
 * every endpoint takes an {@link ApiContext} and returns an {@link HttpReply}.
 */
import { randomInt } from 'node:crypto';
import { CodeBook } from '../shared/codes.js';
import { FailureCounter, findUserByName } from '../shared/lockout.js';
import { type IdpLogin, IdpLoginStore } from './federation.js';
import { checkQuestions, createMechanism, type MechState } from './mechanisms.js';
import { type TokenRecord, TokenStore } from './tokens.js';
import type { CyberArkSwitches, IdpLoginInfo, PendingPush, SentCode, SimUser } from './types.js';
import {
  type Envelope,
  type HttpReply,
  clearCookie,
  fail,
  jsonReply,
  ok,
  randomId,
  setCookie,
  sixDigitCode,
} from './wire.js';

/** What an endpoint needs to know about the HTTP request. */
export interface ApiContext {
  /** Host header as received. */
  host: string;
  /** Lower-case host name of the Host header (no port). */
  hostname: string;
  /** Host (with port) plus base path: the `PodFqdn` reported on LoginSuccess. */
  podFqdn: string;
  /** The JSON body when it was an object, otherwise `{}`. */
  body: Record<string, unknown>;
  cookies: Map<string, string[]>;
  authorization: string | undefined;
  /** Base URL of the simulator's API (`sim.url`): the fake IdP page lives at `${baseUrl}/_sim/idp/<id>`. */
  baseUrl: string;
  /** The request carried `OobIdPAuth: true` (§2.3, T12). */
  oobIdpAuth: boolean;
}

type SessionState = 'open' | 'succeeded' | 'failed' | 'cancelled';

interface LoginSession {
  readonly sessionId: string;
  /** Value of the `sessdata` cookie issued to this login session. */
  readonly cookie: string;
  /** Undefined for the decoy session of an unknown user. */
  readonly user: SimUser | undefined;
  readonly podFqdn: string;
  readonly createdAt: number;
  /** Set by `expireSessions()`; otherwise expiry follows `switches.sessionTtlMs`. */
  forcedExpiry: boolean;
  challenges: MechState[][];
  index: number;
  /** A wrong answer was swallowed under `hideFailures`; the login fails at the end. */
  hiddenFailure: boolean;
  resetIssued: boolean;
  state: SessionState;
  endedAt: number | undefined;
}

/** Result of one operation: the Result object to send, or the failure envelope. */
type Outcome = { ok: true; result: Record<string, unknown>; cookies: string[] } | { ok: false; envelope: Envelope };

interface Operation {
  mechanismId: string;
  action: string;
  answer: unknown;
}

/** Codes last five minutes (§4, KB-7242). */
const CODE_LIFETIME_MS = 5 * 60_000;
/** Finished sessions are kept this long, so late requests still get the proper failure and cookie checks. */
const SESSION_RETENTION_MS = 10 * 60_000;
/** Least time between two scans for sessions past their retention. */
const SWEEP_INTERVAL_MS = 5_000;
/** Real tenants showed 30 s while a soft lockout was active (§2.3). */
const LOCKOUT_RETRY_SECONDS = 30;
/** `TokenLifetime` of the OobAuthStatus success (§2.7, [CNJ-F:oob_status_success]). */
const IDP_TOKEN_LIFETIME_SECONDS = 900;
/** The pseudo-mechanism of the federated PIN answer (§4). */
const OOBAUTHPIN = 'OOBAUTHPIN';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const pass = (result: Record<string, unknown>, cookies: string[] = []): Outcome => ({ ok: true, result, cookies });

export class CyberArkEngine {
  readonly cookieViolations: string[] = [];
  private readonly sessions = new Map<string, LoginSession>();
  private lastSweepAt = 0;
  private readonly cookieOwners = new Map<string, string>();
  private readonly tokens: TokenStore;
  private readonly failures: FailureCounter;
  private readonly codes = new CodeBook<SentCode['mechanism']>();
  private readonly idp: IdpLoginStore;

  constructor(
    private readonly users: readonly SimUser[],
    readonly tenantId: string,
    private readonly switches: CyberArkSwitches,
  ) {
    this.tokens = new TokenStore(tenantId);
    this.idp = new IdpLoginStore(() => this.switches.sessionTtlMs);
    this.failures = new FailureCounter(() => this.switches.lockoutAfterFailures);
  }

  // ---------------------------------------------------------------- endpoints

  /** `POST /Security/StartAuthentication`. */
  start(ctx: ApiContext): HttpReply {
    const podFqdn = this.podRedirect(ctx.hostname);
    if (podFqdn !== undefined) return jsonReply(ok({ PodFqdn: podFqdn }));

    const existing = this.tokenFromCookie(ctx);
    if (existing) return jsonReply(ok(this.tokens.successResult(existing)), [setCookie('sessdata', randomId(24))]);

    const loginName = str(ctx.body.User).trim();
    const user = loginName ? this.findUser(loginName) : undefined;
    if (!loginName || (!user && !this.switches.decoyUnknownUsers)) {
      return jsonReply(fail({ Summary: 'Undefined' }), [setCookie('sessdata', randomId(24))]);
    }
    this.sweep();
    if (user?.federated) return this.startFederated(ctx, user);
    const session = this.openSession(user, ctx.podFqdn);
    return jsonReply(ok(this.packageResult(session)), [setCookie('sessdata', session.cookie)]);
  }

  /** `POST /Security/AdvanceAuthentication`, single operation or `MultipleOperations` (T7). */
  advance(ctx: ApiContext): HttpReply {
    const sessionId = str(ctx.body.SessionId);
    const federated = this.idp.byIdpSessionId(sessionId);
    if (federated) return this.advanceFederated(ctx, sessionId, federated);
    const session = this.sessions.get(sessionId);
    const cookies = [setCookie('sessdata', session?.cookie ?? randomId(24))];
    const outcome = this.advanceOutcome(ctx, sessionId, session);
    if (!outcome.ok) return jsonReply(outcome.envelope, cookies);
    return jsonReply(ok(outcome.result), [...cookies, ...outcome.cookies]);
  }

  /** `POST /Security/CleanupAuthentication`: abandons an unfinished login. */
  cleanup(ctx: ApiContext): HttpReply {
    const sessionId = str(ctx.body.SessionId);
    const session = this.sessions.get(sessionId);
    if (this.cookieViolation(ctx, sessionId, 'CleanupAuthentication')) return jsonReply(fail());
    if (session?.state === 'open') this.end(session, 'cancelled');
    // A federated login may be abandoned by its SessionId or its IdpLoginSessionId.
    const federated = this.idp.bySessionId(sessionId) ?? this.idp.byIdpSessionId(sessionId);
    if (federated && this.idp.isLive(federated)) this.idp.end(federated, 'cancelled');
    return jsonReply(ok(null));
  }

  /**
   * `POST /Security/OobAuthStatus {SessionId: IdpLoginSessionId}` (§2.7): `Pending` until the
   * IdP login is done, then (users without PIN) `Success` with a live token, once.
   * PIN users stay `Pending`: they finish with OOBAUTHPIN (unless `pinLoginsSucceedOnPoll`).
   */
  oobAuthStatus(ctx: ApiContext): HttpReply {
    const id = str(ctx.body.SessionId);
    const login = this.idp.byIdpSessionId(id);
    const cookies = [setCookie('sessdata', login?.cookie ?? randomId(24))];
    // As captured (conjur-cli-go oob_status_failure): no ErrorID on this failure.
    const failed = (): HttpReply => jsonReply({ ...fail({ State: 'failed' }), ErrorID: null }, cookies);
    if (this.cookieViolation(ctx, id, 'OobAuthStatus')) {
      if (login && this.idp.isLive(login)) this.idp.end(login, 'failed');
      return failed();
    }
    if (!login || !this.idp.isLive(login)) return failed();
    if (login.state === 'pending' || (login.pinRequired && !this.switches.pinLoginsSucceedOnPoll)) return jsonReply(ok({ State: 'Pending' }), cookies);
    // A PIN login reported as a success stays open for its PIN (the switch models a tenant that says Success early).
    if (!login.pinRequired) this.idp.end(login, 'succeeded');
    const record = this.tokens.issue(login.user, login.podFqdn, IDP_TOKEN_LIFETIME_SECONDS);
    const result = this.tokens.oobStatusResult(record, IDP_TOKEN_LIFETIME_SECONDS);
    return jsonReply(ok(result), [...cookies, setCookie('.ASPXAUTH', record.auth)]);
  }

  /** `POST /Security/Logout`: invalidates the token sent as Bearer or as the `.ASPXAUTH` cookie. */
  logout(ctx: ApiContext): HttpReply {
    const record = this.tokens.fromBearer(ctx.authorization) ?? this.tokenFromCookie(ctx);
    if (record) this.tokens.revoke(record);
    return jsonReply(ok(null), [clearCookie('.ASPXAUTH')]);
  }

  /** `GET|POST /Security/WhoAmI`. */
  whoAmI(ctx: ApiContext): HttpReply {
    const record = this.tokens.fromBearer(ctx.authorization) ?? this.tokenFromCookie(ctx);
    if (!record) return jsonReply(fail(null, 'Unauthorized.'));
    const userId = this.tokens.userId(record.user);
    return jsonReply(ok({ User: record.user.username, UserId: userId, UserUuid: userId, TenantId: this.tenantId }));
  }

  // ---------------------------------------------------------------- control surface

  /** A user by login name or e-mail, case-insensitively. */
  findUser(name: string): SimUser | undefined {
    return findUserByName(this.users, name);
  }

  lastCode(username: string, mechanism?: SentCode['mechanism']): string | undefined {
    const key = this.userKey(username);
    return key === undefined ? undefined : this.codes.last(key, mechanism);
  }

  /** Latest code per mechanism for every user, for the control page. */
  codesByUser(): Record<string, SentCode[]> {
    return this.codes.snapshot();
  }

  pendingPushes(): PendingPush[] {
    const pending: PendingPush[] = [];
    for (const session of this.openSessions()) {
      for (const mech of this.approvableInFlight(session)) {
        pending.push({
          username: session.user?.username ?? '',
          mechanism: mech.spec.name,
          session: session.sessionId.slice(0, 8),
          startedAt: mech.oob?.startedAt ?? 0,
          ...(mech.oob?.generatedAuthValue ? { generatedAuthValue: mech.oob.generatedAuthValue } : {}),
        });
      }
    }
    return pending;
  }

  /** Approves or denies every push / call / e-mail link the user has waiting (the user's "phone"). */
  resolvePush(username: string, decision: 'approved' | 'denied'): boolean {
    const key = this.userKey(username);
    let found = false;
    for (const session of this.openSessions()) {
      if (key === undefined || this.userKey(session.user?.username ?? '') !== key) continue;
      for (const mech of this.approvableInFlight(session)) {
        if (mech.oob) mech.oob.status = decision;
        found = true;
      }
    }
    return found;
  }

  expireSessions(): void {
    for (const session of this.sessions.values()) session.forcedExpiry = true;
    this.idp.expireAll();
  }

  /** Open federated API logins (`OobIdPAuth: true`): waiting for the IdP or for the client. */
  idpLogins(): IdpLoginInfo[] {
    return this.idp
      .live()
      .filter((l) => l.idpSessionId !== undefined)
      .map((l) => this.idp.info(l));
  }

  /** The federated login behind a fake IdP page, in any state; undefined when unknown (or swept). */
  idpLogin(shortUrlId: string): IdpLoginInfo | undefined {
    const login = this.idp.byShortUrlId(shortUrlId);
    return login && this.idp.info(login);
  }

  /**
   * The user finishes the IdP login on every pending federated API login of theirs.
   * PIN users get one new PIN (recorded as the `OOBAUTHPIN` code). @returns false when nothing was pending.
   */
  completeIdpLogin(username: string): boolean {
    const key = this.userKey(username);
    const pending = this.idp
      .live()
      .filter((l) => l.idpSessionId !== undefined && l.state === 'pending' && l.user.username.toLowerCase() === key);
    const user = pending[0]?.user;
    if (!user) return false;
    const pin = user.federated?.pinRequired ? this.issuePin(user) : undefined;
    for (const login of pending) this.idp.complete(login, pin);
    return true;
  }

  /** The sign-in button of one fake IdP page. Idempotent: a completed login keeps its PIN. */
  completeIdpLoginById(shortUrlId: string): IdpLoginInfo | undefined {
    const login = this.idp.byShortUrlId(shortUrlId);
    if (!login) return undefined;
    if (login.state === 'pending' && this.idp.isLive(login)) {
      // A browser-only redirect (no OobIdPAuth) has no API client waiting for a PIN.
      const pin = login.pinRequired && login.idpSessionId !== undefined ? this.issuePin(login.user) : undefined;
      this.idp.complete(login, pin);
    }
    return this.idp.info(login);
  }

  /** The IdP login fails (the user gave up or the IdP refused). @returns false when nothing was pending. */
  denyIdpLogin(username: string): boolean {
    const key = this.userKey(username);
    let found = false;
    for (const login of this.idp.live()) {
      if (login.idpSessionId === undefined || login.state !== 'pending' || login.user.username.toLowerCase() !== key) continue;
      this.idp.end(login, 'failed');
      found = true;
    }
    return found;
  }

  unlock(username: string): void {
    const key = this.userKey(username);
    if (key !== undefined) this.failures.forget(key);
  }

  failureCount(user: SimUser): number {
    return this.failures.count(user.username.toLowerCase());
  }

  isLocked(user: SimUser): boolean {
    return this.failures.isLocked(user.username.toLowerCase());
  }

  activeTokens(): number {
    return this.tokens.count();
  }

  openSessionCount(): number {
    return this.openSessions().length;
  }

  reset(): void {
    this.sessions.clear();
    this.cookieOwners.clear();
    this.tokens.clear();
    this.failures.clear();
    this.codes.clear();
    this.idp.clear();
    this.cookieViolations.length = 0;
  }

  // ---------------------------------------------------------------- Start helpers

  /** Host names are case-insensitive, so the switch's keys are too. */
  private podRedirect(hostname: string): string | undefined {
    const entry = Object.entries(this.switches.podRedirects).find(([host]) => host.toLowerCase() === hostname);
    return entry?.[1];
  }

  private openSession(user: SimUser | undefined, podFqdn: string): LoginSession {
    // An unknown user gets the decoy package a real tenant sends: a lone password challenge (T9).
    const names = user?.challenges ?? [['UP']];
    const session: LoginSession = {
      sessionId: randomId(32),
      cookie: randomId(24),
      user,
      podFqdn,
      createdAt: Date.now(),
      forcedExpiry: false,
      challenges: names.map((c) => c.map((name) => createMechanism(name, user, this.switches))),
      index: 0,
      hiddenFailure: false,
      resetIssued: false,
      state: 'open',
      endedAt: undefined,
    };
    this.sessions.set(session.sessionId, session);
    this.cookieOwners.set(session.cookie, session.sessionId);
    this.activateChallenge(session);
    return session;
  }

  private packageResult(session: LoginSession): Record<string, unknown> {
    const locked = session.user !== undefined && this.isLocked(session.user);
    return {
      ClientHints: {
        PersistDefault: false,
        AllowPersist: true,
        // ForgotPassword is not simulated, so the tenant does not offer it.
        AllowForgotPassword: false,
        EndpointAuthenticationEnabled: false,
      },
      Version: '1.0',
      SessionId: session.sessionId,
      EventDescription: null,
      RetryWaitingTime: locked ? LOCKOUT_RETRY_SECONDS : 0,
      SecurityImageName: null,
      AllowLoginMfaCache: false,
      Challenges: this.wireChallenges(session),
      Summary: 'NewPackage',
      TenantId: this.tenantId,
    };
  }

  private wireChallenges(session: LoginSession): unknown[] {
    return session.challenges.map((c) => ({ Mechanisms: c.map((m) => m.wire) }));
  }

  /** Old-style (`AnswerType: Text`) SMS/EMAIL send their code as soon as their challenge is current. */
  private activateChallenge(session: LoginSession): void {
    for (const mech of session.challenges[session.index] ?? []) {
      if (mech.spec.answerType === 'Text' && mech.spec.sendsCode) this.sendCode(session, mech);
    }
  }

  // ---------------------------------------------------------------- federated users (§2.3, T12)

  /**
   * With `OobIdPAuth: true` the answer carries the Idp* fields of T12; without it only
   * `IdpRedirectUrl` (a browser-only redirect, §7.10). Both point at the fake IdP page.
   */
  private startFederated(ctx: ApiContext, user: SimUser): HttpReply {
    const login = this.idp.open(user, ctx.podFqdn, ctx.oobIdpAuth);
    this.cookieOwners.set(login.cookie, login.sessionId);
    const page = `${ctx.baseUrl}/_sim/idp/${encodeURIComponent(login.shortUrlId)}`;
    const result =
      login.idpSessionId === undefined
        ? { IdpRedirectUrl: page, SessionId: login.sessionId, TenantId: this.tenantId }
        : {
            IdpRedirectUrl: page,
            IdpRedirectShortUrl: page,
            IdpShortUrlId: login.shortUrlId,
            SessionId: login.sessionId,
            IdpOobAuthPinRequired: login.pinRequired,
            IdpLoginSessionId: login.idpSessionId,
            TenantId: this.tenantId,
          };
    return jsonReply(ok(result), [setCookie('sessdata', login.cookie)]);
  }

  /** `{SessionId: IdpLoginSessionId, MechanismId: OOBAUTHPIN, Action: Answer, Answer: PIN}`; anything else ends the login. */
  private advanceFederated(ctx: ApiContext, sessionId: string, login: IdpLogin): HttpReply {
    const cookies = [setCookie('sessdata', login.cookie)];
    const violation = this.cookieViolation(ctx, sessionId, 'AdvanceAuthentication');
    if (violation || !this.idp.isLive(login)) {
      if (this.idp.isLive(login)) this.idp.end(login, 'failed');
      return jsonReply(fail(), cookies);
    }
    const op = this.operation(ctx.body);
    const pinFresh = login.completedAt !== undefined && Date.now() - login.completedAt <= CODE_LIFETIME_MS;
    const right =
      ctx.body.MultipleOperations === undefined &&
      op.mechanismId === OOBAUTHPIN &&
      op.action.toLowerCase() === 'answer' &&
      login.state === 'completed' &&
      login.pin !== undefined &&
      pinFresh &&
      typeof op.answer === 'string' &&
      op.answer.trim() === login.pin;
    if (!right) {
      this.idp.end(login, 'failed');
      return jsonReply(fail(), cookies);
    }
    this.idp.end(login, 'succeeded');
    const record = this.tokens.issue(login.user, login.podFqdn, IDP_TOKEN_LIFETIME_SECONDS);
    return jsonReply(ok(this.tokens.pinSuccessResult(record)), [...cookies, setCookie('.ASPXAUTH', record.auth)]);
  }

  private issuePin(user: SimUser): string {
    const pin = sixDigitCode();
    this.codes.record(user.username.toLowerCase(), { mechanism: 'OOBAUTHPIN', code: pin, sentAt: Date.now() });
    return pin;
  }

  // ---------------------------------------------------------------- Advance

  private advanceOutcome(ctx: ApiContext, sessionId: string, session: LoginSession | undefined): Outcome {
    if (this.cookieViolation(ctx, sessionId, 'AdvanceAuthentication')) {
      if (session?.state === 'open') this.end(session, 'failed');
      return { ok: false, envelope: fail() };
    }
    if (!session || !this.isOpen(session)) return { ok: false, envelope: fail() };
    // A soft-locked account fails even with correct answers (§6, [APE]).
    if (session.user && this.isLocked(session.user)) return this.protocolFailure(session);

    const multiple = ctx.body.MultipleOperations;
    const ops = multiple === undefined ? [this.operation(ctx.body)] : this.operations(multiple);
    if (!ops || ops.length === 0) return this.protocolFailure(session);
    return this.runOperations(session, ops, multiple !== undefined);
  }

  private operation(raw: Record<string, unknown>): Operation {
    return { mechanismId: str(raw.MechanismId), action: str(raw.Action), answer: raw.Answer };
  }

  private operations(raw: unknown): Operation[] | undefined {
    if (!Array.isArray(raw)) return undefined;
    const ops: Operation[] = [];
    for (const item of raw) {
      if (typeof item !== 'object' || item === null) return undefined;
      ops.push(this.operation(item as Record<string, unknown>));
    }
    return ops;
  }

  /** Operations run in order; the answer belongs to the last one that ran, named by `ResultAppliesTo` (T7). */
  private runOperations(session: LoginSession, ops: Operation[], multiple: boolean): Outcome {
    let outcome: Outcome | undefined;
    let appliesTo = '';
    for (const op of ops) {
      appliesTo = op.mechanismId;
      outcome = this.runOperation(session, op);
      if (!outcome.ok || session.state !== 'open') break;
    }
    if (!outcome) return this.protocolFailure(session);
    if (outcome.ok && session.state === 'open' && this.switches.newPackageLoop) outcome = pass(this.loopPackage(session));
    if (multiple && outcome.ok) outcome = { ...outcome, result: { ResultAppliesTo: appliesTo, ...outcome.result } };
    return outcome;
  }

  private runOperation(session: LoginSession, op: Operation): Outcome {
    // Only a mechanism of the *current* challenge may be used.
    const mech = session.challenges[session.index]?.find((m) => m.id === op.mechanismId);
    if (!mech) return this.protocolFailure(session);
    switch (op.action.toLowerCase()) {
      case 'answer':
        return this.answer(session, mech, op.answer);
      case 'startoob':
      case 'retryoob':
        return this.startOob(session, mech);
      case 'poll':
        return this.poll(session, mech);
      default:
        return this.protocolFailure(session);
    }
  }

  private answer(session: LoginSession, mech: MechState, answer: unknown): Outcome {
    if (mech.spec.name === 'RESET') return this.answerReset(session, mech, answer);
    return this.isCorrect(session, mech, answer) ? this.satisfied(session, mech) : this.wrongAnswer(session);
  }

  private isCorrect(session: LoginSession, mech: MechState, answer: unknown): boolean {
    const user = session.user;
    if (!user) return false;
    switch (mech.spec.name) {
      case 'UP':
        return answer === user.password;
      case 'SMS':
      case 'EMAIL':
      case 'OTP':
        return this.codeMatches(mech, answer);
      case 'OATH':
        return typeof answer === 'string' && answer.trim() === (user.oathCode ?? '123456');
      case 'SQ':
        return checkQuestions(answer, user.questions ?? []);
      default:
        return false; // PF and U2F have nothing to type in.
    }
  }

  private codeMatches(mech: MechState, answer: unknown): boolean {
    const code = mech.code;
    if (!code || Date.now() - code.sentAt > CODE_LIFETIME_MS) return false;
    return typeof answer === 'string' && answer.trim() === code.value;
  }

  /** A rejected new password keeps the session open, so the user can try another (T10, [IDAP]). */
  private answerReset(session: LoginSession, mech: MechState, answer: unknown): Outcome {
    if (typeof answer !== 'string' || answer.length < 8) {
      return { ok: false, envelope: fail(null, 'The new password does not meet the complexity requirements: at least 8 characters.') };
    }
    if (answer === session.user?.password) {
      return { ok: false, envelope: fail(null, 'The new password must be different from the current password.') };
    }
    return this.satisfied(session, mech);
  }

  private startOob(session: LoginSession, mech: MechState): Outcome {
    const { spec } = mech;
    const oobCapable = spec.answerType !== 'Text' || spec.sendsCode;
    if (!oobCapable || spec.name === 'U2F') return this.protocolFailure(session);
    // A second StartOOB (or RetryOOB) is a resend: a new code, a new push.
    if (spec.sendsCode) this.sendCode(session, mech);
    const numberMatch = spec.name === 'OTP' && this.switches.generatedAuthValue;
    mech.oob = {
      status: 'pending',
      startedAt: Date.now(),
      polls: 0,
      generatedAuthValue: numberMatch ? String(randomInt(10, 100)) : undefined,
    };
    return pass(this.pendingResult(mech));
  }

  private poll(session: LoginSession, mech: MechState): Outcome {
    const oob = mech.oob;
    if (!oob) return this.protocolFailure(session);
    if (oob.status === 'denied') return this.wrongAnswer(session);
    if (oob.status === 'approved') return this.satisfied(session, mech);
    const auto = this.switches.autoApprovePushAfterPolls;
    if (mech.spec.approvable && auto !== null && oob.polls >= auto) {
      oob.status = 'approved';
      return this.satisfied(session, mech);
    }
    oob.polls += 1;
    return pass(this.pendingResult(mech));
  }

  private pendingResult(mech: MechState): Record<string, unknown> {
    const value = mech.oob?.generatedAuthValue;
    return { Summary: 'OobPending', ...(value ? { GeneratedAuthValue: value } : {}) };
  }

  /** The current challenge is met: maybe a RESET package (T10), the next challenge, or the end. */
  private satisfied(session: LoginSession, mech: MechState): Outcome {
    const expired = mech.spec.name === 'UP' && session.user?.passwordExpired === true;
    if (expired && !session.resetIssued && !session.hiddenFailure) return this.issueReset(session);
    return this.nextChallenge(session);
  }

  private nextChallenge(session: LoginSession): Outcome {
    session.index += 1;
    if (session.index >= session.challenges.length) return this.finish(session);
    this.activateChallenge(session);
    return pass({ Summary: 'StartNextChallenge' });
  }

  /** Mid-flow NewPackage: RESET first, then whatever challenges were still ahead. */
  private issueReset(session: LoginSession): Outcome {
    const reset = createMechanism('RESET', session.user, this.switches);
    session.challenges = [[reset], ...session.challenges.slice(session.index + 1)];
    session.index = 0;
    session.resetIssued = true;
    return pass({
      Summary: 'NewPackage',
      EventDescription: 'Your password has expired. Please choose a new password.',
      Challenges: this.wireChallenges(session),
    });
  }

  /**
   * `newPackageLoop`: a mid-flow NewPackage (the shape of {@link issueReset}) whose only
   * challenge is one fresh push mechanism, which a client starts on its own, whose StartOOB
   * (the push is sent) gets the same again, and so on.
   */
  private loopPackage(session: LoginSession): Record<string, unknown> {
    session.challenges = [[createMechanism('OTP', session.user, this.switches)]];
    session.index = 0;
    return { Summary: 'NewPackage', EventDescription: null, Challenges: this.wireChallenges(session) };
  }

  /** Under `hideFailures` a wrong answer looks like progress (T5b); otherwise the session dies (T5). */
  private wrongAnswer(session: LoginSession): Outcome {
    if (!this.switches.hideFailures) return this.loginFailed(session);
    session.hiddenFailure = true;
    return this.nextChallenge(session);
  }

  private finish(session: LoginSession): Outcome {
    const user = session.user;
    if (session.hiddenFailure || !user) return this.loginFailed(session);
    this.end(session, 'succeeded');
    this.failures.forget(user.username.toLowerCase());
    if (this.switches.noncommittal) {
      return pass({
        Summary: 'NoncommitalSuccess',
        ClientMessage: 'Your sign-in was verified, but access to this application is not allowed. Contact your administrator.',
      });
    }
    const record = this.tokens.issue(user, session.podFqdn);
    return pass(this.tokens.successResult(record), [setCookie('.ASPXAUTH', record.auth)]);
  }

  /** A failed login: the session ends and the failure counts towards the lockout. */
  private loginFailed(session: LoginSession): Outcome {
    this.end(session, 'failed');
    if (session.user) this.failures.add(session.user.username.toLowerCase());
    return { ok: false, envelope: fail() };
  }

  /** A request the tenant cannot make sense of (wrong mechanism, bad action): fail and end the session. */
  private protocolFailure(session: LoginSession): Outcome {
    this.end(session, 'failed');
    return { ok: false, envelope: fail() };
  }

  // ---------------------------------------------------------------- sessions, codes, tokens

  private isOpen(session: LoginSession): boolean {
    return session.state === 'open' && !this.isExpired(session);
  }

  private isExpired(session: LoginSession): boolean {
    return session.forcedExpiry || Date.now() - session.createdAt >= this.switches.sessionTtlMs;
  }

  private openSessions(): LoginSession[] {
    return [...this.sessions.values()].filter((s) => this.isOpen(s));
  }

  private end(session: LoginSession, state: Exclude<SessionState, 'open'>): void {
    session.state = state;
    session.endedAt = Date.now();
  }

  /** Drops long-finished sessions so a demo server running for days does not grow without bound. */
  private sweep(): void {
    // Ended sessions are kept for minutes: a scan more often than every few seconds finds nothing new.
    const now = Date.now();
    if (now - this.lastSweepAt < SWEEP_INTERVAL_MS) return;
    this.lastSweepAt = now;
    const cutoff = now - SESSION_RETENTION_MS;
    for (const [id, s] of this.sessions) {
      const endedAt = s.endedAt ?? (this.isExpired(s) ? s.createdAt + this.switches.sessionTtlMs : Infinity);
      if (endedAt < cutoff) {
        this.sessions.delete(id);
        this.cookieOwners.delete(s.cookie);
      }
    }
    for (const login of this.idp.sweep(cutoff)) this.cookieOwners.delete(login.cookie);
  }

  private approvableInFlight(session: LoginSession): MechState[] {
    const current = session.challenges[session.index] ?? [];
    return current.filter((m) => m.spec.approvable && m.oob?.status === 'pending');
  }

  private sendCode(session: LoginSession, mech: MechState): void {
    const value = sixDigitCode();
    const sentAt = Date.now();
    mech.code = { value, sentAt };
    const name = mech.spec.name;
    if (!session.user || (name !== 'SMS' && name !== 'EMAIL' && name !== 'OTP')) return;
    this.codes.record(session.user.username.toLowerCase(), { mechanism: name, code: value, sentAt });
  }

  /**
   * Detects a request carrying the `sessdata` cookie of another login session:
   * the symptom of a cookie jar shared between users or logins. A request
   * without the cookie is fine (cookie-less clients work against real tenants, §5).
   */
  private cookieViolation(ctx: ApiContext, sessionId: string, endpoint: string): boolean {
    if (!this.switches.checkCookies) return false;
    // A federated login's cookie belongs to its SessionId; requests may name it by IdpLoginSessionId.
    const key = this.idp.byIdpSessionId(sessionId)?.sessionId ?? sessionId;
    for (const value of ctx.cookies.get('sessdata') ?? []) {
      const owner = this.cookieOwners.get(value);
      if (owner === undefined || owner === key) continue;
      this.cookieViolations.push(
        `${endpoint} for session ${sessionId.slice(0, 8) || '(none)'} (user ${this.ownerName(key)}) ` +
          `carried the sessdata cookie of session ${owner.slice(0, 8)} (user ${this.ownerName(owner)})`,
      );
      return true;
    }
    return false;
  }

  /** Username of a login session or federated login, `?` when unknown. */
  private ownerName(sessionId: string): string {
    return this.sessions.get(sessionId)?.user?.username ?? this.idp.bySessionId(sessionId)?.user.username ?? '?';
  }

  private userKey(username: string): string | undefined {
    return this.findUser(username)?.username.toLowerCase();
  }

  private tokenFromCookie(ctx: ApiContext): TokenRecord | undefined {
    return this.tokens.fromCookies(ctx.cookies.get('.ASPXAUTH') ?? []);
  }
}
