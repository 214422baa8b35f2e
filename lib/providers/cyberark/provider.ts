/**
 * CyberArk Identity (formerly Centrify / Idaptive; Delinea Platform speaks the same API):
 * StartAuthentication → AdvanceAuthentication … → LoginSuccess. Wire facts: cyberark.md.
 */
import { MultiStepError } from '../../errors.js';
import { mayStartOutOfBand } from '../../limits/out-of-band.js';
import { baseUrl } from '../../http/base-url.js';
import type { UpstreamClient } from '../../http/upstream-client.js';
import type { Answer, JsonObject, Provider, ProviderContext, ProviderResult, StartInput } from '../../provider.js';
import type { ProviderStep } from '../../step.js';
import { codeView, pendingView, readChallenges, upstreamAnswer, type StoredMechanism } from './mechanisms.js';
import { federatedStep, isFederated, pinEntryStep, pinMechanismId, readFederated, type FederatedState } from './federated.js';
import { defaultPodAllowlist, podBaseUrl } from './pod-redirect.js';
import { toProfile, toTokens } from './profile.js';
import { arrayField, field, numberField, readEnvelope, stringField, type Envelope, type WireObject } from './wire.js';

/** Configuration of the CyberArk provider. */
export interface CyberArkOptions {
  /** Tenant base URL, e.g. `https://abc1234.id.cyberark.cloud` (a path prefix such as Delinea's `/identity` is allowed). */
  url: string;
  /** Tenant id (e.g. `ABC1234`); optional when the login name identifies the tenant. */
  tenantId?: string;
  /**
   * Hosts a pod redirect (`PodFqdn`) may send us to: exact `host[:port]` or `*.domain`.
   * Default: the tenant host, plus `*.<vendor domain>` when the tenant is on one of CyberArk's
   * own multi-tenant domains (e.g. `*.id.cyberark.cloud`); a custom domain gets no wildcard.
   */
  podAllowlist?: string[];
  /** Answer the password and start the next challenge's only out-of-band method in one call (MultipleOperations). Default true. */
  multipleOperations?: boolean;
  /**
   * The tenant hides failures: its policy "continue with additional challenges after failed
   * challenge" (cyberark.md §7.4, [D-FAIL]) answers a wrong password with `StartNextChallenge`,
   * exactly as a right one, and fails only after the last challenge. Nothing on the wire tells
   * such a tenant apart (the answer to a wrong password is the answer to a right one), so it is
   * not detected: set this when the tenant is configured that way. Then no out-of-band method
   * (SMS, e-mail, push, phone call) is started by this library after an answer whose validity is
   * unknown: not with the password (MultipleOperations) and not on its own after it. The next
   * challenge is offered as a `select` step, even with a single method, and the user starts it
   * with one click. Default false.
   */
  hideFailure?: boolean;
  /** Ask for a persistent upstream session (`PersistentLogin`). Default false. */
  persistentLogin?: boolean;
  /**
   * Let users of a federated directory sign in at their own IdP in another tab, then enter
   * the PIN it shows or wait for it (sends `OobIdPAuth: true`, T12). Default false: such
   * users get MECHANISM_UNSUPPORTED.
   */
  federatedLogin?: boolean;
  /**
   * Also let federated users without a PIN finish by polling OobAuthStatus. Off by default:
   * without a PIN, whoever started the login is logged in once the link's owner signs in,
   * which makes phishing with a forwarded link possible (the device-code pattern).
   */
  allowFederatedWithoutPin?: boolean;
}

/** The handles kept in the session for one login. */
interface CyberArkState extends JsonObject {
  /** The pod a redirect sent this login to; absent: the configured URL. */
  baseUrl?: string;
  tenantId?: string;
  sessionId?: string;
  challenges: StoredMechanism[][];
  /** Index of the current challenge. */
  index: number;
  /** Local id of the mechanism in play (answer or pending). */
  current?: string;
  /** Set while the account is soft-locked (StartAuthentication's RetryWaitingTime). */
  retryWaitingTime?: number;
  /** Set for a federated user signing in at their own IdP. */
  federated?: FederatedState;
  /** The user has answered something in this login: out-of-band methods may now start on their own. */
  answered?: boolean;
}

type Ctx = ProviderContext<CyberArkState>;

/** An operation of AdvanceAuthentication. */
interface Operation {
  MechanismId: string;
  Action: 'Answer' | 'StartOOB' | 'Poll';
  Answer?: string | Record<string, string>;
}

const nativeClientHeaders = { 'X-IDAP-NATIVE-CLIENT': 'true', 'X-CENTRIFY-NATIVE-CLIENT': 'true' };

/** The CyberArk Identity provider. */
export class CyberArkProvider implements Provider<CyberArkState> {
  readonly name = 'cyberark';
  private readonly baseUrl: URL;
  private readonly podAllowlist: readonly string[];
  private readonly endpoints = new Map<string, URL>();

  constructor(private readonly options: CyberArkOptions) {
    this.baseUrl = baseUrl(options.url, 'CyberArk');
    this.podAllowlist = options.podAllowlist ?? defaultPodAllowlist(this.baseUrl);
  }

  async start(ctx: Ctx, input: StartInput): Promise<ProviderResult> {
    ctx.state = { challenges: [], index: 0, ...(this.options.tenantId ? { tenantId: this.options.tenantId } : {}) };
    let envelope = await this.startAuthentication(ctx, input.username);
    const podFqdn = stringField(envelope.result, 'PodFqdn');
    if (envelope.success && podFqdn && isRedirectOnly(envelope.result)) {
      const target = podBaseUrl(podFqdn, this.base(ctx), this.podAllowlist);
      ctx.log('pod redirect', { host: target.host });
      ctx.state.baseUrl = target.href;
      ctx.jar.clear(); // cookies of the pod host must not follow us (§3 row 3)
      envelope = await this.startAuthentication(ctx, input.username);
      if (envelope.success && isRedirectOnly(envelope.result)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE'); // at most one hop
    }
    if (envelope.success && isFederated(envelope.result)) return this.startFederated(ctx, envelope.result ?? {});
    const retryWaitingTime = numberField(envelope.result, 'RetryWaitingTime');
    if (retryWaitingTime) ctx.state.retryWaitingTime = retryWaitingTime;
    return this.interpret(ctx, envelope);
  }

  async select(ctx: Ctx, mechanismId: string): Promise<ProviderResult> {
    const mech = this.mechanism(ctx, mechanismId);
    ctx.state.current = mech.view.id;
    if (mech.answerType === 'Text') return { type: 'step', step: this.answerStep(ctx, mech) };
    return this.interpret(ctx, await this.advance(ctx, [{ MechanismId: mech.upstreamId, Action: 'StartOOB' }]), mech.upstreamId);
  }

  async answer(ctx: Ctx, mechanismId: string, answer: Answer): Promise<ProviderResult> {
    const federated = ctx.state.federated;
    if (federated) {
      if (mechanismId !== federated.view.id || typeof answer !== 'string') throw new MultiStepError('MECHANISM_NOT_OFFERED');
      return this.interpret(ctx, await this.call(ctx, 'AdvanceAuthentication', {
        SessionId: federated.loginSessionId, MechanismId: pinMechanismId, Action: 'Answer', Answer: answer,
      }));
    }
    const mech = this.mechanism(ctx, mechanismId);
    ctx.state.current = mech.view.id;
    const operations: Operation[] = [{ MechanismId: mech.upstreamId, Action: 'Answer', Answer: upstreamAnswer(mech, answer) }];
    const next = this.onlyOobOfNextChallenge(ctx);
    // Within the send limits only: otherwise the next method is offered to start by hand (a click the limits answer).
    if (next && mech.answerType === 'Text' && await mayStartOutOfBand(ctx)) operations.push({ MechanismId: next.upstreamId, Action: 'StartOOB' });
    const envelope = await this.advance(ctx, operations);
    ctx.state.answered = true;
    if (!envelope.success && mech.name === 'RESET') {
      throw new MultiStepError('PASSWORD_REJECTED', { details: { restart: true, ...(envelope.errorId ? { upstreamErrorId: envelope.errorId } : {}) } });
    }
    // A MultipleOperations answer is about the last operation (§4), even without ResultAppliesTo.
    return this.interpret(ctx, envelope, operations.at(-1)!.MechanismId);
  }

  async poll(ctx: Ctx): Promise<ProviderResult> {
    const federated = ctx.state.federated;
    if (federated) {
      const envelope = await this.call(ctx, 'OobAuthStatus', { SessionId: federated.loginSessionId });
      if (!envelope.success) throw this.failure(ctx, envelope);
      // Real clients compare State case-insensitively (conjur: `Pending`, `Success`, `failed`).
      const state = stringField(envelope.result, 'State');
      switch (state?.toLowerCase()) {
        case 'pending':
          return { type: 'step', step: federatedStep(federated) };
        case 'success':
          // With a PIN required, only the PIN completes the login (T12); polling never does.
          if (federated.pinRequired) {
            ctx.log('federated success without PIN ignored');
            return { type: 'step', step: pinEntryStep(federated) };
          }
          return this.complete(ctx, envelope.result ?? {});
        case 'failed':
        case 'failure':
          throw new MultiStepError('AUTH_FAILED', { details: { restart: true } });
        default:
          ctx.log('unexpected state', { endpoint: 'OobAuthStatus', oobState: state ?? null });
          throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
      }
    }
    const mech = this.currentMechanism(ctx);
    return this.interpret(ctx, await this.advance(ctx, [{ MechanismId: mech.upstreamId, Action: 'Poll' }]));
  }

  async resend(ctx: Ctx): Promise<ProviderResult> {
    const mech = this.currentMechanism(ctx);
    // A new StartOOB on the same mechanism sends a fresh code.
    const result = await this.interpret(ctx, await this.advance(ctx, [{ MechanismId: mech.upstreamId, Action: 'StartOOB' }]));
    if (result.type === 'step' && result.step.kind !== 'select') result.step.message = 'A new code has been sent.';
    return result;
  }

  /** "Choose another method": back to the current challenge's choices, locally (nothing was answered yet). */
  async alternatives(ctx: Ctx): Promise<ProviderResult> {
    const mechanisms = ctx.state.challenges[ctx.state.index] ?? [];
    delete ctx.state.current;
    return { type: 'step', step: { kind: 'select', mechanisms: mechanisms.map((m) => m.view), challenge: this.position(ctx) } };
  }

  async cancel(ctx: Ctx): Promise<void> {
    if (!ctx.state.sessionId) return;
    await ctx.http.requestJson({
      method: 'POST',
      url: this.endpoint(ctx, 'CleanupAuthentication'),
      headers: nativeClientHeaders,
      json: { SessionId: ctx.state.sessionId, ...(ctx.state.tenantId ? { TenantId: ctx.state.tenantId } : {}) },
    }, ctx.jar);
  }

  async logout(http: UpstreamClient, handle: JsonObject): Promise<void> {
    const { baseUrl, token } = handle;
    if (typeof baseUrl !== 'string' || typeof token !== 'string') return;
    await http.requestJson({
      method: 'POST',
      url: new URL('Security/Logout', baseUrl),
      headers: { ...nativeClientHeaders, authorization: `Bearer ${token}` },
      json: {},
    });
  }

  private async startAuthentication(ctx: Ctx, username: string): Promise<Envelope> {
    return this.call(ctx, 'StartAuthentication', {
      User: username,
      Version: '1.0',
      ...(ctx.state.tenantId ? { TenantId: ctx.state.tenantId } : {}),
    }, this.options.federatedLogin ? { OobIdPAuth: 'true' } : {});
  }

  private startFederated(ctx: Ctx, result: WireObject): ProviderResult {
    if (!this.options.federatedLogin) {
      throw new MultiStepError('MECHANISM_UNSUPPORTED', { message: 'This account signs in through an external identity provider.' });
    }
    const federated = readFederated(result, this.base(ctx), this.podAllowlist);
    if (!federated.pinRequired && !this.options.allowFederatedWithoutPin) {
      throw new MultiStepError('MECHANISM_UNSUPPORTED', { message: 'This account signs in through an external identity provider that this site does not accept.' });
    }
    ctx.state.federated = federated;
    const sessionId = stringField(result, 'SessionId');
    if (sessionId) ctx.state.sessionId = sessionId;
    const tenantId = stringField(result, 'TenantId');
    if (tenantId) ctx.state.tenantId = tenantId;
    ctx.log('federated login', { pinRequired: federated.pinRequired });
    return { type: 'step', step: federatedStep(federated) };
  }

  /**
   * LoginSuccess → profile. Some successes (the federated PIN) carry no user fields:
   * the user is then read from WhoAmI with the new token, never taken from the login form.
   */
  private async complete(ctx: Ctx, result: WireObject): Promise<ProviderResult> {
    const fields = { ...result };
    const token = stringField(result, 'Token') ?? stringField(result, 'Auth');
    if (!stringField(result, 'User') && token) {
      const who = await this.call(ctx, 'WhoAmI', {}, { authorization: `Bearer ${token}` });
      if (!who.success) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
      for (const key of ['User', 'UserId', 'DisplayName', 'EmailAddress']) {
        if (!stringField(result, key) && stringField(who.result, key)) fields[key] = stringField(who.result, key);
      }
    }
    return { type: 'success', profile: toProfile(fields), tokens: toTokens(result), logoutHandle: this.logoutHandle(ctx, result) };
  }

  private async advance(ctx: Ctx, operations: Operation[]): Promise<Envelope> {
    if (!ctx.state.sessionId) throw new MultiStepError('ACTION_NOT_ALLOWED');
    const common = {
      SessionId: ctx.state.sessionId,
      PersistentLogin: this.options.persistentLogin ?? false,
      ...(ctx.state.tenantId ? { TenantId: ctx.state.tenantId } : {}),
    };
    const body = operations.length === 1 ? { ...common, ...operations[0] } : { ...common, MultipleOperations: operations };
    return this.call(ctx, 'AdvanceAuthentication', body);
  }

  private async call(ctx: Ctx, endpoint: string, json: unknown, headers: Record<string, string> = {}): Promise<Envelope> {
    const url = this.endpoint(ctx, endpoint);
    const response = await ctx.http.requestJson({ method: 'POST', url, headers: { ...nativeClientHeaders, ...headers }, json }, ctx.jar);
    const envelope = readEnvelope(response.body);
    if (!envelope.success) ctx.log('upstream refused', { endpoint, summary: stringField(envelope.result, 'Summary'), upstreamErrorId: envelope.errorId });
    return envelope;
  }

  private endpoint(ctx: Ctx, name: string): URL {
    if (ctx.state.baseUrl !== undefined) return new URL(`Security/${name}`, ctx.state.baseUrl);
    // The configured tenant's endpoints are parsed once (nothing mutates them).
    let url = this.endpoints.get(name);
    if (!url) {
      url = new URL(`Security/${name}`, this.baseUrl);
      this.endpoints.set(name, url);
    }
    return url;
  }

  /** The login's base URL: its pod after a redirect, else the configured one. */
  private base(ctx: Ctx): URL {
    return ctx.state.baseUrl === undefined ? this.baseUrl : new URL(ctx.state.baseUrl);
  }

  /** Maps any Start/Advance answer to the next step, a success, or a MultiStepError. */
  private async interpret(ctx: Ctx, envelope: Envelope, lastOperation?: string): Promise<ProviderResult> {
    const result = envelope.result;
    const summary = stringField(result, 'Summary');
    if (!envelope.success) throw this.failure(ctx, envelope);
    // Compared case-insensitively, as real clients do; anything unknown is never taken for a verdict.
    switch (summary?.toLowerCase()) {
      case 'loginsuccess':
        return this.complete(ctx, result ?? {});
      case 'newpackage':
        this.newPackage(ctx, result ?? {});
        return this.present(ctx, stringField(result, 'EventDescription'));
      case 'startnextchallenge':
        // Under a hide-failure policy this does not mean the last answer was right (§7.4).
        if (ctx.state.index + 1 >= ctx.state.challenges.length) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
        moveToChallenge(ctx, ctx.state.index + 1);
        delete ctx.state.current;
        return this.present(ctx);
      case 'oobpending':
        return { type: 'step', step: this.pendingStep(ctx, result ?? {}, lastOperation) };
      case 'noncommitalsuccess': // the vendor's spelling
        throw new MultiStepError('LOGIN_NOT_COMPLETED', { details: { restart: true } });
      case 'failure':
      case 'loginfailure':
        // A failure verdict with success:true: the upstream's own word, so it stands.
        ctx.log('unexpected summary', { summary: summary ?? null });
        throw new MultiStepError('AUTH_FAILED', { details: { restart: true } });
      default:
        // Undefined with success:true, no Summary, or something new: never guess.
        ctx.log('unexpected summary', { summary: summary ?? null });
        throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    }
  }

  private failure(ctx: Ctx, envelope: Envelope): MultiStepError {
    const details = { restart: true, ...(envelope.errorId ? { upstreamErrorId: envelope.errorId } : {}) };
    if (ctx.state.retryWaitingTime) {
      // RetryWaitingTime also appears in ordinary packages (cyberark.md §2.3): a hint to slow down, not proof of a lockout.
      const seconds = ctx.state.retryWaitingTime;
      return new MultiStepError('AUTH_FAILED', {
        message: `Sign-in failed. Wait ${seconds} seconds before trying again.`,
        details: { ...details, retryAfterSeconds: seconds },
      });
    }
    return new MultiStepError('AUTH_FAILED', { details });
  }

  /** Stores a (new) package of challenges: at start, or mid-flow (e.g. RESET of an expired password, §3 row 8). */
  private newPackage(ctx: Ctx, result: WireObject): void {
    const sessionId = stringField(result, 'SessionId');
    if (sessionId) ctx.state.sessionId = sessionId;
    if (!ctx.state.sessionId) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    const tenantId = stringField(result, 'TenantId');
    if (tenantId) ctx.state.tenantId = tenantId;
    ctx.state.challenges = readChallenges(arrayField(result, 'Challenges') ?? [], ctx.log);
    ctx.state.index = 0;
    delete ctx.state.current;
    if (ctx.state.challenges.length === 0) {
      ctx.log('no challenges');
      throw new MultiStepError('MECHANISM_UNSUPPORTED');
    }
    // Every challenge must be met in turn: one that offers nothing drivable (conjur's
    // start_auth_unsupported_mfa, start_auth_qr) fails now, before the user types a password for nothing.
    const stuck = ctx.state.challenges.findIndex((c) => !c.some((m) => m.answerType !== 'Unsupported'));
    if (stuck >= 0) {
      ctx.log('no usable mechanism', { challenge: stuck + 1, mechanisms: ctx.state.challenges[stuck]!.map((m) => m.name) });
      throw new MultiStepError('MECHANISM_UNSUPPORTED');
    }
  }

  /**
   * The step for the current challenge: a choice, or, when the challenge has a single
   * mechanism, that mechanism straight away, as the vendor's own clients do (§3 row 6).
   * A lone out-of-band method is started on its own only once the user has answered
   * something: anonymous visitors must not be able to ring phones or send pushes by
   * typing a user name.
   */
  private async present(ctx: Ctx, message?: string): Promise<ProviderResult> {
    const mechanisms = ctx.state.challenges[ctx.state.index] ?? [];
    const usable = mechanisms.filter((m) => m.answerType !== 'Unsupported');
    if (usable.length === 0) throw new MultiStepError('MECHANISM_UNSUPPORTED');
    const only = mechanisms.length === 1 ? usable[0]! : undefined;
    const choice: ProviderResult = { type: 'step', step: this.selectStep(ctx) };
    let result: ProviderResult;
    if (only?.answerType === 'Text') {
      ctx.state.current = only.view.id;
      result = { type: 'step', step: this.answerStep(ctx, only) };
    } else if (only && this.mayAutoStart(ctx) && await mayStartOutOfBand(ctx)) {
      ctx.state.current = only.view.id;
      try {
        result = await this.interpret(ctx, await this.advance(ctx, [{ MechanismId: only.upstreamId, Action: 'StartOOB' }]));
      } catch (error) {
        // The previous answer was accepted; if starting the next method fails, offer it to start again by hand.
        if (!MultiStepError.is(error) || !error.code.startsWith('UPSTREAM_')) throw error;
        delete ctx.state.current;
        result = choice;
        result.step.message = 'The sign-in method could not be started. Please try again.';
      }
    } else {
      result = choice;
    }
    if (message && result.type === 'step') result.step.message = message;
    return result;
  }

  private selectStep(ctx: Ctx): ProviderStep {
    const mechanisms = ctx.state.challenges[ctx.state.index] ?? [];
    return { kind: 'select', mechanisms: mechanisms.map((m) => m.view), challenge: this.position(ctx) };
  }

  private answerStep(ctx: Ctx, mech: StoredMechanism): ProviderStep {
    return this.withAlternatives(ctx, { kind: 'answer', mechanisms: [mech.view], challenge: this.position(ctx) });
  }

  /** "Choose another method" when the current challenge offers more than one. */
  private withAlternatives(ctx: Ctx, step: ProviderStep): ProviderStep {
    const usable = (ctx.state.challenges[ctx.state.index] ?? []).filter((m) => m.answerType !== 'Unsupported');
    if (usable.length > 1) step.alternatives = true;
    return step;
  }

  private pendingStep(ctx: Ctx, result: WireObject, lastOperation?: string): ProviderStep {
    const appliesTo = stringField(result, 'ResultAppliesTo') ?? lastOperation;
    if (appliesTo) {
      // MultipleOperations: the answer is about the next challenge's out-of-band mechanism.
      const nextIndex = ctx.state.challenges.findIndex((c) => c.some((m) => m.upstreamId === appliesTo));
      if (nextIndex < 0) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
      moveToChallenge(ctx, nextIndex);
      ctx.state.current = ctx.state.challenges[nextIndex]!.find((m) => m.upstreamId === appliesTo)!.view.id;
    }
    const mech = this.currentMechanism(ctx);
    const view = pendingView(mech);
    // A texted code (SMS, OATH) is typed by the user: an answer step. Its message may also carry a
    // link that completes the login upstream, so the step is also polled (pollAfterMs 0: the configured interval).
    const step = view.type === 'otp'
      ? this.withAlternatives(ctx, { kind: 'answer', mechanisms: [codeView(view)], challenge: this.position(ctx), pollAfterMs: 0 })
      : this.withAlternatives(ctx, { kind: 'pending', mechanisms: [view], challenge: this.position(ctx) });
    const generated = field(result, 'GeneratedAuthValue');
    if (typeof generated === 'string' || typeof generated === 'number') step.matchNumber = String(generated);
    return step;
  }

  private position(ctx: Ctx): { index: number; count: number } {
    return { index: ctx.state.index + 1, count: ctx.state.challenges.length };
  }

  /** An offered mechanism of the current challenge, by local id. */
  private mechanism(ctx: Ctx, localId: string): StoredMechanism {
    const mech = ctx.state.challenges[ctx.state.index]?.find((m) => m.view.id === localId);
    if (!mech || mech.answerType === 'Unsupported') throw new MultiStepError('MECHANISM_NOT_OFFERED');
    return mech;
  }

  private currentMechanism(ctx: Ctx): StoredMechanism {
    if (!ctx.state.current) throw new MultiStepError('ACTION_NOT_ALLOWED');
    return this.mechanism(ctx, ctx.state.current);
  }

  /**
   * Whether a lone out-of-band method may start on its own: only after the user has answered
   * something, and never on a hide-failure tenant, where that answer may have been wrong
   * (a user name and any password would otherwise send an SMS or a push).
   */
  private mayAutoStart(ctx: Ctx): boolean {
    return ctx.state.answered === true && this.options.hideFailure !== true;
  }

  /** With MultipleOperations on: the next challenge's mechanism when it is the only one and out-of-band (never under `hideFailure`). */
  private onlyOobOfNextChallenge(ctx: Ctx): StoredMechanism | undefined {
    if (this.options.multipleOperations === false || this.options.hideFailure === true) return undefined;
    const next = ctx.state.challenges[ctx.state.index + 1];
    if (!next || next.length !== 1) return undefined;
    const only = next[0]!;
    return only.answerType === 'StartTextOob' || only.answerType === 'StartOob' ? only : undefined;
  }

  private logoutHandle(ctx: Ctx, result: WireObject): JsonObject {
    const token = stringField(result, 'Auth') ?? stringField(result, 'Token');
    return token ? { baseUrl: ctx.state.baseUrl ?? this.baseUrl.href, token } : {};
  }
}

/** A pod redirect answer carries PodFqdn and no session (LoginSuccess carries PodFqdn too: §7.1). */
function isRedirectOnly(result: WireObject | undefined): boolean {
  return !field(result, 'SessionId') && !field(result, 'Challenges') && !field(result, 'Summary');
}

/** Creates the CyberArk Identity provider. */
export function cyberark(options: CyberArkOptions): CyberArkProvider {
  return new CyberArkProvider(options);
}

/**
 * Moves on to challenge `index`. Challenges already passed are never offered again (a new
 * package replaces them all), so only their place is kept, for "challenge 2 of 2": the
 * session then carries no mechanisms of them.
 */
function moveToChallenge(ctx: Ctx, index: number): void {
  for (let passed = 0; passed < index; passed += 1) ctx.state.challenges[passed] = [];
  ctx.state.index = index;
}
