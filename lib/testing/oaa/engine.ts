/**
 * The `/authn/v1` state machine of the simulated OAA runtime, free of HTTP:
 * the endpoints take parsed input and return an {@link HttpReply}.
 *
 * A POST opens a session keyed by `correlationId`; every answer about it
 * carries a new `nonce`, and every later call (Init may omit it) must send the
 * latest one (oaa.md §3, §7.1). A session ends when it is authenticated,
 * finalized, its push is denied, or its lifetime runs out.
 */
import { randomUUID } from 'node:crypto';
import { CodeBook } from '../shared/codes.js';
import type { HttpReply } from '../shared/http.js';
import { sixDigitCode } from '../shared/ids.js';
import { totpAt, verifyTotp } from './otp.js';
import type {
  OaaChallengeResult,
  OaaChallengeResultReason,
  OaaFactorKey,
  OaaFinalizeRecord,
  OaaOperation,
  OaaPendingPush,
  OaaSentCode,
  OaaSessionInfo,
  OaaSimUser,
  OaaSimulatorState,
  OaaSwitches,
} from './types.js';
import { DEFAULT_GROUP, type ResolvedUser, maskEmail, maskPhone, resolveUser } from './users.js';
import { AUTHENTICATED, type AuthnAnswer, type ChallengeEntry, apiError, badRequest, nameAnswer, oaaJson } from './wire.js';
import { YubiKey } from './yubico.js';

interface PushState {
  status: 'pending' | 'approved' | 'denied';
  startedAt: number;
  polls: number;
}

/** One correlationId, from the POST to its end. */
interface Session {
  readonly id: string;
  nonce: string;
  /** undefined: an unknown user (`missing registration`). */
  readonly user: ResolvedUser | undefined;
  /** `userInfo.userId` (or `uniqueUserId`) as sent. */
  readonly userId: string;
  /** Key of the per-user records (lastFinalize) when the user is unknown. */
  readonly recordKey: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  forcedExpiry: boolean;
  /** The factor of the last Init. */
  active: OaaFactorKey | undefined;
  code: { factor: OaaSentCode['mechanism']; value: string; sentAt: number } | undefined;
  push: PushState | undefined;
  /** The requested resource (`context.resourceUrl`), returned once authenticated. */
  readonly resource: string | undefined;
}

/** The agent's credentials and assurance levels, as configured. */
export interface AgentConfig {
  clientId: string;
  clientSecret: string;
  assuranceLevels: readonly string[];
}

const ALL_FACTORS: readonly OaaFactorKey[] = ['ChallengeEmail', 'ChallengeSMS', 'ChallengeOMATOTP', 'ChallengeOMAPUSH', 'ChallengeYOTP', 'ChallengeFIDO2'];
const RESULTS: readonly OaaChallengeResult[] = ['Success', 'Failure', 'Error'];
const REASONS: ReadonlySet<string> = new Set<OaaChallengeResultReason>([
  'wrong_answer',
  'too_many_attempts',
  'channel_comm_error',
  'other_error',
  'unavailable_for_user',
  'user_abandoned',
  'user_timedout',
]);
/** Open sessions (and per-user records of unknown users) are capped so a demo server running for days stays small. */
const MAX_SESSIONS = 10_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});

export class OaaEngine {
  private readonly users: ResolvedUser[];
  private readonly sessions = new Map<string, Session>();
  /** Wrong answers, by `<user key>\n<factor>`. */
  private readonly failures = new Map<string, number>();
  private readonly codes = new CodeBook<OaaSentCode['mechanism']>();
  private readonly yubikeys = new Map<string, YubiKey>();
  private readonly contexts = new Map<string, unknown>();
  private readonly finalized = new Map<string, OaaFinalizeRecord>();
  /** The operation being answered (for the `omitStatusOn` switch). */
  private operation: OaaOperation = 'POST';

  constructor(
    users: readonly OaaSimUser[],
    private readonly agent: AgentConfig,
    private readonly switches: OaaSwitches,
  ) {
    this.users = users.map(resolveUser);
  }

  // ---------------------------------------------------------------- endpoints

  /** `POST /authn/v1`: checks the agent, the assurance level and the user, and lists the user's challenges. */
  start(body: Record<string, unknown>): HttpReply {
    this.operation = 'POST';
    const clientInfo = body.clientInfo;
    if (!isObject(clientInfo) || typeof clientInfo.clientId !== 'string' || typeof clientInfo.clientSecret !== 'string') {
      return badRequest('clientInfo.clientId and clientInfo.clientSecret are required');
    }
    if (clientInfo.clientId !== this.agent.clientId || clientInfo.clientSecret !== this.agent.clientSecret) {
      return apiError(401, '401', 'Invalid client credentials');
    }
    const context = body.context;
    if (!isObject(context)) return badRequest('context is required');
    const level = assuranceLevelName(context.assuranceLevel);
    if (!level) return badRequest('context.assuranceLevel is required');
    if (!this.agent.assuranceLevels.includes(level)) return badRequest(`Unknown assurance level "${level}"`);
    const userInfo = body.userInfo;
    if (!isObject(userInfo)) return badRequest('userInfo is required');
    const groups = userInfo.groups;
    if (groups !== undefined && (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))) {
      return badRequest('userInfo.groups must be an array of strings');
    }
    if (Array.isArray(groups) && groups.length > 1) return badRequest('Only one group is supported in userInfo.groups');
    const userId = str(userInfo.userId).trim();
    const uniqueUserId = str(userInfo.uniqueUserId).trim();
    if (!userId && !uniqueUserId) return badRequest('userInfo.userId is required');
    const ttl = body.timeToLiveInSec;
    if (ttl !== undefined && !(typeof ttl === 'number' && Number.isInteger(ttl) && ttl > 0)) {
      return badRequest('timeToLiveInSec must be a positive integer');
    }

    const group = (Array.isArray(groups) ? str(groups[0]) : '') || DEFAULT_GROUP;
    const user = uniqueUserId ? this.users.find((u) => u.uniqueUserId === uniqueUserId) : this.findUser(userId, group);
    const recordKey = user?.key ?? (userId || uniqueUserId).toLowerCase();
    remember(this.contexts, recordKey, structuredClone(context));

    this.sweep();
    const now = Date.now();
    const session: Session = {
      id: randomUUID(),
      nonce: '',
      user,
      userId: userId || uniqueUserId,
      recordKey,
      createdAt: now,
      expiresAt: now + (typeof ttl === 'number' ? ttl : this.switches.sessionTtlSeconds) * 1000,
      forcedExpiry: false,
      active: undefined,
      code: undefined,
      push: undefined,
      resource: str(context.resourceUrl) || str(context.resource) || undefined,
    };
    this.sessions.set(session.id, session);
    const contextId = user?.contextId;

    if (user?.noChallenge) {
      // A low-risk rule: no challenge needed.
      this.close(session);
      return this.answer(session, { status: 'authenticated', ...AUTHENTICATED, challenges: [], resource: session.resource });
    }
    if (!user || user.factors.length === 0) {
      return this.answer(session, { status: 'missing registration', message: 'No factor registered for user', challenges: [], contextId });
    }
    const usable = user.factors.filter((f) => !this.isBlocked(user, f));
    if (usable.length === 0) {
      return this.answer(session, { status: 'challenge blocked', message: 'Too many failed attempts', challenges: [], contextId });
    }
    return this.answer(session, { status: 'pending identification', challenges: usable.map((f) => this.entry(user, f)), contextId });
  }

  /** `PUT /authn/v1`: Init, Validate or Finalize one challenge of an open session. */
  update(body: Record<string, unknown>): HttpReply {
    const id = str(body.correlationId) || (this.switches.naming === 'legacy' ? str(body.transactionId) : '');
    const session = this.sessionById(id);
    if (!session) return badRequest('Invalid correlationId');
    const op = ['Init', 'Validate', 'Finalize'].find((o) => o.toLowerCase() === str(body.challengeop).toLowerCase());
    if (!op) return badRequest('challengeop must be Init, Validate or Finalize');
    const nonce = body.nonce;
    const omitted = nonce === undefined || nonce === null || nonce === '';
    if (!(op === 'Init' && omitted) && nonce !== session.nonce) return badRequest('Invalid nonce');
    this.operation = op as OaaOperation;
    switch (op) {
      case 'Init':
        return this.init(session, body);
      case 'Validate':
        return this.validate(session, body);
      default:
        return this.finalize(session, body);
    }
  }

  /** `DELETE /challengecounter/v1?challengeType=&contextId=`: unblocks one factor of one user. */
  resetCounter(query: URLSearchParams): HttpReply {
    const challengeType = query.get('challengeType') ?? '';
    const contextId = query.get('contextId') ?? '';
    if (!challengeType || !contextId) return badRequest('challengeType and contextId are required');
    const user = this.users.find((u) => u.contextId === contextId);
    const factor = this.factorOf(challengeType);
    if (!user || !factor || !user.factors.includes(factor)) return apiError(404, '404', 'Challenge counter not found');
    this.failures.delete(failureKey(user, factor));
    return oaaJson({ responseCode: '200', responseMessage: 'Challenge Counter is reseted.' });
  }

  // ---------------------------------------------------------------- challengeop

  private init(session: Session, body: Record<string, unknown>): HttpReply {
    const user = session.user;
    if (!user || user.factors.length === 0) return badRequest('No challenge factor is registered for the user');
    const data = obj(body.challengedata);
    const requested = str(data.factorKey) || str(data.challengeType) || str(body.challengeType);
    const usable = user.factors.filter((f) => !this.isBlocked(user, f));
    // With a single factor the choice is obvious (OAA "may" start it after the POST, oaa.md §2.1).
    const only = user.factors.length === 1 ? user.factors[0] : undefined;
    const factor = requested ? this.factorOf(requested) : only;
    if (!requested && !factor) return badRequest('challengedata.factorKey is required');
    if (!factor || !user.factors.includes(factor)) return badRequest(`Challenge type "${requested}" is not registered for the user`);
    session.active = factor;
    session.code = undefined;
    session.push = undefined;
    if (!usable.includes(factor)) return this.answer(session, { status: 'challenge blocked', message: 'Too many failed attempts' });
    if (factor === 'ChallengeEmail' || factor === 'ChallengeSMS') this.sendCode(session, factor);
    if (factor === 'ChallengeOMAPUSH') session.push = { status: 'pending', startedAt: Date.now(), polls: 0 };
    return this.answer(session, { status: 'pending verification', challenges: [this.entry(user, factor)] });
  }

  private validate(session: Session, body: Record<string, unknown>): HttpReply {
    const user = session.user;
    const factor = session.active;
    if (!user || !factor) return badRequest('No challenge has been initialized');
    if (factor === 'ChallengeFIDO2') return badRequest(`${factor} is not a passive factor: Validate is not supported`);
    if (this.isBlocked(user, factor)) return this.answer(session, { status: 'challenge blocked', message: 'Too many failed attempts' });
    if (factor === 'ChallengeOMAPUSH') return this.poll(session, user);
    const answer = body.challengeAnswer;
    if (typeof answer !== 'string' || answer.trim() === '') return badRequest('challengeAnswer is required');
    if (this.check(session, user, factor, answer.trim())) return this.authenticated(session, user, factor);
    if (this.countFailure(user, factor)) return this.answer(session, { status: 'challenge blocked', message: 'Too many failed attempts' });
    const message = factor === 'ChallengeOMATOTP' ? 'Entered TOTP is incorrect.' : 'Entered OTP is incorrect.';
    return this.answer(session, { status: 'pending verification', message });
  }

  /** A Validate without answer on a push: pending until approved (authenticated) or denied (failed). */
  private poll(session: Session, user: ResolvedUser): HttpReply {
    const push = session.push;
    if (!push) return badRequest('No challenge has been initialized');
    const auto = this.switches.pushAutoApproveAfterPolls;
    if (push.status === 'pending' && auto !== null && push.polls >= auto) push.status = 'approved';
    if (push.status === 'approved') return this.authenticated(session, user, 'ChallengeOMAPUSH');
    if (push.status === 'denied') {
      this.countFailure(user, 'ChallengeOMAPUSH');
      this.close(session);
      return this.answer(session, { status: 'failed', message: 'The push notification was denied' });
    }
    push.polls += 1;
    return this.answer(session, { status: 'pending verification' });
  }

  private finalize(session: Session, body: Record<string, unknown>): HttpReply {
    const result = RESULTS.find((r) => r.toLowerCase() === str(body.challengeResult).toLowerCase());
    if (!result) return badRequest('challengeResult must be Success, Failure or Error');
    const rawReason = body.challengeResultReason;
    if (rawReason !== undefined && rawReason !== null && !REASONS.has(str(rawReason))) {
      return badRequest(`challengeResultReason must be one of ${[...REASONS].join(', ')}`);
    }
    const reason = REASONS.has(str(rawReason)) ? (str(rawReason) as OaaChallengeResultReason) : undefined;
    if (result === 'Failure' && !reason) return badRequest('challengeResultReason is required when challengeResult is Failure');
    // A verified challenge ends its session with `authenticated`, so a Success here was never verified.
    if (result === 'Success') return badRequest('Finalize with Success needs a verified challenge');
    remember(this.finalized, session.recordKey, { result, ...(reason ? { reason } : {}) });
    this.close(session);
    return this.answer(session, { status: 'failed' });
  }

  // ---------------------------------------------------------------- answers

  /** The answer for a session, with a new nonce (the previous one stops working). */
  private answer(session: Session, fields: Omit<AuthnAnswer, 'correlationId' | 'nonce'>): HttpReply {
    session.nonce = randomUUID();
    const omitStatus = this.switches.omitStatusOn.includes(this.operation);
    return oaaJson(nameAnswer({ correlationId: session.id, nonce: session.nonce, ...fields }, this.switches, omitStatus));
  }

  private authenticated(session: Session, user: ResolvedUser, factor: OaaFactorKey): HttpReply {
    this.failures.delete(failureKey(user, factor));
    this.close(session);
    return this.answer(session, { status: 'authenticated', ...AUTHENTICATED, resource: session.resource });
  }

  /** One `challengeInfo` entry: the factor's prompt and its masked address. */
  private entry(user: ResolvedUser, factor: OaaFactorKey): ChallengeEntry {
    const key = this.wireKey(factor);
    switch (factor) {
      case 'ChallengeEmail':
        return { key, prompts: [`Enter OTP sent to ${maskEmail(user.email)}.`], attributes: { email: maskEmail(user.email) } };
      case 'ChallengeSMS':
        return { key, prompts: [`Enter OTP sent to ${maskPhone(user.phoneNumber)}.`], attributes: { phone: maskPhone(user.phoneNumber) } };
      case 'ChallengeOMATOTP':
        return { key, prompts: ['Enter TOTP from the registered Phone'], attributes: {} };
      case 'ChallengeOMAPUSH':
        return { key, prompts: ['Approve the request on your device'], attributes: { deviceName: user.deviceName } };
      case 'ChallengeYOTP':
        return { key, prompts: ['Touch your YubiKey to enter the OTP'], attributes: {} };
      case 'ChallengeFIDO2':
        return { key, prompts: ['Use your security key'], attributes: {} };
    }
  }

  private check(session: Session, user: ResolvedUser, factor: OaaFactorKey, answer: string): boolean {
    switch (factor) {
      case 'ChallengeEmail':
      case 'ChallengeSMS':
        return session.code?.factor === factor && session.code.value === answer;
      case 'ChallengeOMATOTP':
        return verifyTotp(user.totpSecret ?? '', answer);
      case 'ChallengeYOTP':
        return this.yubikey(user)?.verify(answer) ?? false;
      default:
        return false;
    }
  }

  private sendCode(session: Session, factor: OaaSentCode['mechanism']): void {
    const value = sixDigitCode();
    const sentAt = Date.now();
    session.code = { factor, value, sentAt };
    if (session.user) this.codes.record(session.user.key, { mechanism: factor, code: value, sentAt });
  }

  // ---------------------------------------------------------------- factor keys, counters

  /** The key a factor has on the wire (the YubiKey's spelling follows the switch). */
  wireKey(factor: OaaFactorKey): string {
    return factor === 'ChallengeYOTP' ? this.switches.yubikeyFactorKey : factor;
  }

  /** The factor a wire key names, exactly as the simulator currently spells it; undefined otherwise. */
  private factorOf(key: string): OaaFactorKey | undefined {
    return ALL_FACTORS.find((f) => this.wireKey(f) === key);
  }

  private isBlocked(user: ResolvedUser, factor: OaaFactorKey): boolean {
    return (this.failures.get(failureKey(user, factor)) ?? 0) >= this.switches.retryCount;
  }

  /** Counts a wrong answer; true when the factor is now blocked. */
  private countFailure(user: ResolvedUser, factor: OaaFactorKey): boolean {
    const key = failureKey(user, factor);
    this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    return this.isBlocked(user, factor);
  }

  private yubikey(user: ResolvedUser): YubiKey | undefined {
    if (!user.yubikey) return undefined;
    let key = this.yubikeys.get(user.key);
    if (!key) {
      key = new YubiKey(user.yubikey);
      this.yubikeys.set(user.key, key);
    }
    return key;
  }

  // ---------------------------------------------------------------- control surface

  /** A user by user name, case-insensitively (and, when given, in that group). */
  findUser(name: string, group?: string): ResolvedUser | undefined {
    const key = name.trim().toLowerCase();
    if (!key) return undefined;
    return this.users.find((u) => u.key === key && (group === undefined || u.group.toLowerCase() === group.toLowerCase()));
  }

  lastCode(username: string, factor?: string): string | undefined {
    const user = this.findUser(username);
    if (!user) return undefined;
    if (factor !== undefined && factor !== 'ChallengeEmail' && factor !== 'ChallengeSMS') return undefined;
    return this.codes.last(user.key, factor);
  }

  /** What the user's authenticator app shows now. @throws Error when the user has no TOTP factor. */
  totpCode(username: string): string {
    const secret = this.findUser(username)?.totpSecret;
    if (!secret) throw new Error(`OaaSimulator: user "${username}" has no ChallengeOMATOTP factor`);
    return totpAt(secret, Date.now());
  }

  /** A touch of the user's YubiKey. @throws Error when the user has no YubiKey factor. */
  yubicoOtp(username: string): string {
    const user = this.findUser(username);
    const key = user && this.yubikey(user);
    if (!key) throw new Error(`OaaSimulator: user "${username}" has no ChallengeYOTP factor`);
    return key.generate();
  }

  pendingPushes(): OaaPendingPush[] {
    return this.openSessions().flatMap((s) =>
      s.push?.status === 'pending' && s.user
        ? [{ username: s.user.username, deviceName: s.user.deviceName, correlation: s.id.slice(0, 8), startedAt: s.push.startedAt, polls: s.push.polls }]
        : [],
    );
  }

  /** Approves or denies every push the user has waiting. @returns false when nothing was waiting. */
  resolvePush(username: string, decision: 'approved' | 'denied'): boolean {
    const user = this.findUser(username);
    let found = false;
    for (const session of this.openSessions()) {
      if (!user || session.user !== user || session.push?.status !== 'pending') continue;
      session.push.status = decision;
      found = true;
    }
    return found;
  }

  expireSessions(): void {
    for (const session of this.sessions.values()) session.forcedExpiry = true;
  }

  unlock(username: string): void {
    const user = this.findUser(username);
    if (user) for (const factor of ALL_FACTORS) this.failures.delete(failureKey(user, factor));
  }

  lastContext(username: string): unknown {
    const key = this.findUser(username)?.key ?? username.trim().toLowerCase();
    const context = this.contexts.get(key);
    return context === undefined ? undefined : structuredClone(context);
  }

  lastFinalize(username: string): OaaFinalizeRecord | undefined {
    const key = this.findUser(username)?.key ?? username.trim().toLowerCase();
    const record = this.finalized.get(key);
    return record && { ...record };
  }

  verifyPassword(username: string, password: string): boolean {
    const user = this.findUser(username);
    return user !== undefined && typeof password === 'string' && password === user.password;
  }

  /** Every user as the state snapshot lists them. */
  userStates(): OaaSimulatorState['users'] {
    return this.users.map((u) => ({
      username: u.username,
      group: u.group,
      uniqueUserId: u.uniqueUserId,
      contextId: u.contextId,
      password: u.password,
      displayName: u.displayName,
      email: u.email,
      phoneNumber: u.phoneNumber,
      factors: u.factors.map((f) => this.wireKey(f)),
      noChallenge: u.noChallenge,
      failures: Object.fromEntries(
        u.factors.flatMap((f) => {
          const n = this.failures.get(failureKey(u, f)) ?? 0;
          return n > 0 ? [[this.wireKey(f), n]] : [];
        }),
      ),
      blocked: u.factors.filter((f) => this.isBlocked(u, f)).map((f) => this.wireKey(f)),
      lastFinalize: this.lastFinalize(u.username) ?? null,
    }));
  }

  sessionInfos(): OaaSessionInfo[] {
    return this.openSessions().map((s) => ({
      correlation: s.id.slice(0, 8),
      userId: s.userId,
      factor: s.active ? this.wireKey(s.active) : null,
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
    }));
  }

  codesByUser(): Record<string, OaaSentCode[]> {
    return this.codes.snapshot();
  }

  totpSnapshot(): OaaSimulatorState['totp'] {
    const out: OaaSimulatorState['totp'] = {};
    for (const u of this.users) if (u.totpSecret) out[u.key] = { code: totpAt(u.totpSecret, Date.now()), secret: u.totpSecret };
    return out;
  }

  yubikeySnapshot(): OaaSimulatorState['yubikeys'] {
    const out: OaaSimulatorState['yubikeys'] = {};
    for (const u of this.users) if (u.yubikey) out[u.key] = { publicId: u.yubikey.publicId, lastOtp: this.yubikeys.get(u.key)?.lastOtp ?? null };
    return out;
  }

  /** Wire keys of every factor the simulator knows, for the enrolment page. */
  factorKeys(): string[] {
    return ALL_FACTORS.map((f) => this.wireKey(f));
  }

  /** Forgets sessions, counters, codes, YubiKey counters, contexts and Finalize records. */
  reset(): void {
    this.sessions.clear();
    this.failures.clear();
    this.codes.clear();
    this.yubikeys.clear();
    this.contexts.clear();
    this.finalized.clear();
  }

  // ---------------------------------------------------------------- sessions

  private sessionById(id: string): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.isExpired(session)) {
      this.close(session);
      return undefined;
    }
    return session;
  }

  private isExpired(session: Session): boolean {
    return session.forcedExpiry || Date.now() >= session.expiresAt;
  }

  private openSessions(): Session[] {
    return [...this.sessions.values()].filter((s) => !this.isExpired(s));
  }

  private close(session: Session): void {
    this.sessions.delete(session.id);
  }

  /** Drops expired sessions, and the oldest ones beyond {@link MAX_SESSIONS}. */
  private sweep(): void {
    for (const session of [...this.sessions.values()]) if (this.isExpired(session)) this.close(session);
    for (const session of this.sessions.values()) {
      if (this.sessions.size < MAX_SESSIONS) break;
      this.close(session);
    }
  }
}

/** `context.assuranceLevel` as `{name}`, `{id}` or a bare string (oaa.md §2.1: wire shape unknown). */
function assuranceLevelName(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  const level = obj(value);
  return (str(level.name) || str(level.id)).trim();
}

/** Sets a per-user record, as the newest entry, dropping the oldest beyond {@link MAX_SESSIONS}. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= MAX_SESSIONS) break;
    map.delete(oldest);
  }
}

function failureKey(user: ResolvedUser, factor: OaaFactorKey): string {
  return `${user.key}\n${factor}`;
}
