/**
 * The provider-neutral login engine: checks each action against the current step,
 * calls the provider, and keeps the transaction consistent whatever happens upstream.
 */
import { clientIp, type LoginRequest } from './request.js';
import { type ErrorCode, MultiStepError } from './errors.js';
import { UpstreamCookieJar } from './http/cookie-jar.js';
import { copyJson } from './json-copy.js';
import type { UpstreamClient } from './http/upstream-client.js';
import { defaultMaxUpstreamCallsPerRequest } from './http/call-budget.js';
import { requestView } from './http/request-view.js';
import type { ActionInput } from './input.js';
import type { DeviceTokens } from './device-tokens.js';
import type { Logger } from './log.js';
import { parse as parseCookies } from 'cookie';
import type { Answer, CancelReason, ClientInfo, JsonObject, Profile, Provider, ProviderContext, ProviderResult, UpstreamTokens } from './provider.js';
import { safeReturnTo } from './return-to.js';
import { sessionArea } from './session-data.js';
import type { Mechanism, ProviderStep, Step } from './step.js';
import type { Transaction } from './transaction.js';
import type { TransactionStore } from './transaction-store.js';
import type { LoginLimits } from './limits/limiters.js';
import { isOutOfBand, sentOutOfBand } from './limits/out-of-band.js';
import type { AuditTrail } from './audit/emitter.js';

/** Failures after which the upstream login cannot continue: the transaction is dropped. */
const terminalCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AUTH_FAILED', 'ACCOUNT_LOCKED', 'OOB_DENIED', 'OOB_TIMEOUT', 'LOGIN_NOT_COMPLETED', 'PASSWORD_REJECTED',
  'UPSTREAM_REDIRECT_REFUSED', 'MECHANISM_UNSUPPORTED', 'CANCELLED', 'TRANSACTION_EXPIRED', 'VERIFY_FAILED',
  'REGISTRATION_REQUIRED', 'PASSWORD_EXPIRED', 'TERMS_DECLINED', 'UPSTREAM_LOOP',
]);

/** Whether a failure ends the login (as opposed to one the user can retry in place). */
export function isTerminal(error: MultiStepError): boolean {
  return error.terminal ?? terminalCodes.has(error.code);
}

export interface FlowOptions {
  provider: Provider;
  http: UpstreamClient;
  store: TransactionStore;
  sessionKey: string;
  log: Logger;
  /** Interval the pages are told to poll at. */
  pollIntervalMs: number;
  /** Overall cap on waiting for one out-of-band approval. */
  oobTimeoutMs: number;
  /** Least time between two sends of a code, and most resends per login. */
  resendCooldownMs: number;
  maxResends: number;
  /** Most upstream calls one browser request makes, cleanup included (see lib/http/call-budget.ts). Default 8. */
  maxUpstreamCallsPerRequest?: number;
  /** Where "remember this device" tokens live; without it the option is never offered. */
  deviceTokens?: DeviceTokens;
  /** Limits across logins (sends, guesses, starts); without it only the per-login send limits apply. */
  limits?: LoginLimits;
  /** Where audit events go. */
  audit?: AuditTrail;
}

/** What an action led to. */
export type FlowOutcome =
  | { type: 'step'; tx: Transaction }
  | { type: 'cancelled'; tx: Transaction }
  | {
      type: 'success'; tx: Transaction; profile: Profile; tokens: UpstreamTokens;
      logoutHandle?: JsonObject; deviceToken?: { value: string; maxAgeSeconds: number };
    };

export class Flow {
  constructor(private readonly options: FlowOptions) {}

  /** Runs one action. Throws MultiStepError; a terminal one has already dropped the transaction. */
  async perform(req: LoginRequest, input: ActionInput): Promise<FlowOutcome> {
    if (input.action === 'start') return this.start(req, input);
    const tx = this.lookup(req, input.transactionId);
    if (input.action === 'cancel') return this.cancel(req, tx);
    this.checkSequence(tx, input);
    const call = this.prepare(tx, input);
    await this.checkLimits(req, tx, input);
    if (input.action === 'select') this.options.audit?.methodChosen(req, tx, input.mechanism);
    return this.exchange(req, tx, input, call);
  }

  /** The transaction the request names; an expired one is dropped here (under the session lock), keeping its returnTo. */
  private lookup(req: LoginRequest, id: unknown): Transaction {
    try {
      return this.options.store.get(req, id);
    } catch (error) {
      if (MultiStepError.is(error) && error.code === 'TRANSACTION_EXPIRED') this.options.store.expire(req, id);
      throw error;
    }
  }

  private async start(req: LoginRequest, input: ActionInput): Promise<FlowOutcome> {
    const { limits } = this.options;
    if (limits) await limits.beforeStart(limits.subject(req, input.username as string));
    const { store, provider } = this.options;
    const area = sessionArea(req, this.options.sessionKey);
    const sessionReturnTo = (req as { session?: { returnTo?: unknown } }).session?.returnTo;
    const returnTo = safeReturnTo(input.returnTo) ?? safeReturnTo(sessionReturnTo) ?? safeReturnTo(area.returnTo);
    delete area.returnTo;
    const username = input.username as string;
    const tx = store.create({
      username,
      state: {},
      step: { kind: 'failed', mechanisms: [], sequence: 0 },
      ...(returnTo === undefined ? {} : { returnTo }),
    });
    this.options.log('start', { tx: tx.id, provider: provider.name });
    this.options.audit?.emit(req, { type: 'login.started', transactionId: tx.id, username, action: 'start' });
    const deviceToken = this.options.deviceTokens?.read(req, username);
    return this.exchange(req, tx, input, (ctx) => provider.start(ctx, { username, ...(deviceToken ? { deviceToken } : {}) }));
  }

  private async cancel(req: LoginRequest, tx: Transaction): Promise<FlowOutcome> {
    this.options.store.remove(req, tx, true);
    this.options.log('cancel', { tx: tx.id });
    this.options.audit?.emit(req, { type: 'login.cancelled', transactionId: tx.id, username: tx.username, action: 'cancel' });
    try {
      await this.options.provider.cancel(this.context(req, tx), 'abandoned');
    } catch (error) {
      // The user asked to stop; an upstream that cannot be told is not their problem.
      this.options.log('cancel upstream failed', { tx: tx.id, errorCode: MultiStepError.is(error) ? error.code : 'ERROR' });
    }
    return { type: 'cancelled', tx };
  }

  /**
   * Tells the upstream to drop a login that cannot go on (the session that records it could
   * not be written): CyberArk CleanupAuthentication, OAA Finalize; best effort, never throws.
   */
  async abandon(req: LoginRequest, tx: Transaction): Promise<void> {
    this.options.log('abandon', { tx: tx.id });
    await this.cancelQuietly(this.context(req, tx), tx, 'failed');
  }

  /** A form rendered for an earlier step (back button, replay, double submit) is refused. */
  private checkSequence(tx: Transaction, input: ActionInput): void {
    const needsSequence = input.action !== 'poll';
    if (input.sequence === undefined) {
      if (needsSequence) throw new MultiStepError('BAD_REQUEST', { message: 'The field "sequence" is missing or invalid.' });
      return;
    }
    if (input.sequence !== tx.step.sequence) throw new MultiStepError('STALE_STEP');
  }

  /** Checks the action against the step the user was shown and picks the provider call. */
  private prepare(tx: Transaction, input: ActionInput): (ctx: ProviderContext) => Promise<ProviderResult> {
    const { provider } = this.options;
    const step = tx.step;
    switch (input.action) {
      case 'select': {
        if (step.kind !== 'select') throw new MultiStepError('ACTION_NOT_ALLOWED');
        const mechanism = offered(step, input.mechanism);
        if (mechanism.type === 'unsupported') throw new MultiStepError('MECHANISM_UNSUPPORTED', { terminal: false });
        return (ctx) => provider.select(ctx, mechanism.id);
      }
      case 'answer': {
        if (step.kind !== 'answer' && step.kind !== 'pending') throw new MultiStepError('ACTION_NOT_ALLOWED');
        const mechanism = offered(step, input.mechanism);
        if (step.kind === 'pending' && !mechanism.acceptsCode) throw new MultiStepError('ACTION_NOT_ALLOWED');
        const answer = checkAnswerShape(mechanism, input.answer);
        const options = input.rememberDevice && step.rememberDevice ? { rememberDevice: true } : {};
        return (ctx) => provider.answer(ctx, mechanism.id, answer, options);
      }
      case 'poll': {
        if (!isPolled(step)) throw new MultiStepError('ACTION_NOT_ALLOWED');
        const timedOut = tx.pendingSince !== undefined && Date.now() - tx.pendingSince > this.options.oobTimeoutMs;
        // Thrown inside the call so that the exchange drops the transaction and cleans up upstream.
        return (ctx) => (timedOut ? Promise.reject(new MultiStepError('OOB_TIMEOUT', { details: { restart: true } })) : provider.poll(ctx));
      }
      case 'resend': {
        if (step.kind !== 'pending' && step.kind !== 'answer') throw new MultiStepError('ACTION_NOT_ALLOWED');
        const mechanism = input.mechanism === undefined ? step.mechanisms[0] : offered(step, input.mechanism);
        // The cap and cooldown (codes cost money and annoy people) are checkLimits', as for every send.
        if (!mechanism?.resendable) throw new MultiStepError('ACTION_NOT_ALLOWED');
        return (ctx) => provider.resend(ctx);
      }
      case 'alternatives': {
        const alternatives = provider.alternatives?.bind(provider);
        if (!step.alternatives || !alternatives) throw new MultiStepError('ACTION_NOT_ALLOWED');
        return (ctx) => alternatives(ctx);
      }
      default:
        throw new MultiStepError('BAD_REQUEST');
    }
  }

  /** Builds the provider context from the stored transaction. The state is a copy, kept after success or an explicitly retryable (`terminal: false`) failure. */
  private context(req: LoginRequest, tx: Transaction): ProviderContext {
    let client: ClientInfo | undefined;
    return {
      state: copyJson(tx.state), jar: new UpstreamCookieJar(tx.cookies), log: this.options.log,
      // This request's view: its calls are counted, and aborted if the browser goes.
      http: requestView(this.options.http, req, this.options.maxUpstreamCallsPerRequest ?? defaultMaxUpstreamCallsPerRequest),
      // Built on first use: only providers that feed risk rules (OAA) read it.
      get client() { return (client ??= clientInfo(req)); },
    };
  }

  private async exchange(
    req: LoginRequest,
    tx: Transaction,
    input: ActionInput,
    call: (ctx: ProviderContext) => Promise<ProviderResult>,
  ): Promise<FlowOutcome> {
    const { store, log } = this.options;
    if (input.action === 'poll' && this.pollTooSoon(tx)) return { type: 'step', tx };
    const ctx = this.context(req, tx);
    ctx.outOfBand = { allowed: () => this.sendAllowed(req, tx), check: () => this.checkSend(req, tx) };
    let result: ProviderResult;
    try {
      result = await call(ctx);
      // A provider may have caught the refusal and answered anyway (e.g. "start it by hand"): the step still failed.
      const refused = ctx.http.callBudget?.failure();
      if (refused) throw refused;
    } catch (error) {
      const failure = MultiStepError.is(error) ? error : new MultiStepError('UPSTREAM_BAD_RESPONSE', { cause: error });
      log('step failed', { tx: tx.id, action: input.action, errorCode: failure.code, upstreamErrorId: failure.details.upstreamErrorId });
      await this.countGuess(req, tx, input, failure);
      this.options.audit?.actionFailed(req, tx, input, failure, input.action === 'start' || isTerminal(failure));
      if (input.action === 'start') {
        store.remove(req, tx, true); // nothing was stored yet; this keeps returnTo for the retry
      } else if (isTerminal(failure)) {
        store.remove(req, tx, true);
        await this.cancelQuietly(ctx, tx, failure.code === 'OOB_TIMEOUT' ? 'timeout' : 'failed');
      } else if (failure.terminal === false) {
        // The provider vouches for its state: keep what the upstream handed out with the error (e.g. a new requestState).
        keepExchange(tx, ctx);
        store.save(req, tx);
      }
      throw failure;
    }
    keepExchange(tx, ctx);
    if (result.type === 'retry') {
      // Refused, but the upstream lets the user try again from the step it now shows.
      this.options.audit?.actionFailed(req, tx, input, result.error, false);
      this.advanceStep(tx, result.step, input);
      await this.countGuess(req, tx, input, result.error);
      store.save(req, tx);
      log('step failed', { tx: tx.id, action: input.action, errorCode: result.error.code, upstreamErrorId: result.error.details.upstreamErrorId, retry: true });
      throw result.error;
    }
    if (input.action === 'poll') tx.lastPollAt = Date.now();
    if (result.type === 'success') {
      if (this.options.limits) await this.options.limits.succeeded(this.options.limits.subject(req, tx.username));
      store.remove(req, tx);
      log('upstream success', { tx: tx.id, attempts: tx.attempts });
      return {
        type: 'success', tx, profile: result.profile, tokens: result.tokens,
        ...(result.logoutHandle ? { logoutHandle: result.logoutHandle } : {}),
        ...(result.deviceToken ? { deviceToken: result.deviceToken } : {}),
      };
    }
    const shownSequence = tx.step.sequence;
    const sent = sentOutOfBand(tx.step, result.step, input.action);
    this.advanceStep(tx, result.step, input);
    await this.countSend(req, tx, input, sent);
    store.save(req, tx);
    log('step', { tx: tx.id, action: input.action, kind: tx.step.kind, sequence: tx.step.sequence });
    this.options.audit?.stepShown(req, tx, input.action, shownSequence);
    return { type: 'step', tx };
  }

  /** Stores the new step. The sequence moves on unless a poll or resend left the same pending step in place. */
  private advanceStep(tx: Transaction, next: ProviderStep, input: ActionInput): void {
    const previous = tx.step;
    // A poll that is still pending, or a resend, leaves the user on the same form.
    const samePending =
      previous.kind === next.kind && (next.kind === 'pending' || next.kind === 'answer') &&
      sameMechanisms(previous.mechanisms, next.mechanisms) && (input.action === 'poll' || input.action === 'resend');
    const step: Step = { ...next, sequence: samePending ? previous.sequence : previous.sequence + 1 };
    if (!this.options.deviceTokens) delete step.rememberDevice;
    // Providers leave pollAfterMs unset on pending steps, and 0 on answer steps that are also polled: the configured interval.
    if (step.kind === 'pending' || (step.kind === 'answer' && step.pollAfterMs !== undefined)) {
      step.pollAfterMs ||= this.options.pollIntervalMs;
      if (!samePending) tx.pendingSince = Date.now();
    } else {
      delete tx.pendingSince;
      delete tx.lastPollAt;
    }
    tx.step = step;
  }

  /**
   * Limits checked before any upstream call: the guesses left before an answer; the per-login
   * send cap and cooldown and the send limits across logins before a select of an out-of-band
   * method or a resend.
   */
  private async checkLimits(req: LoginRequest, tx: Transaction, input: ActionInput): Promise<void> {
    const { limits } = this.options;
    if (input.action === 'answer') {
      if (limits) await limits.checkGuesses(limits.subject(req, tx.username));
      return;
    }
    if (input.action !== 'resend' && !(input.action === 'select' && isOutOfBand(offered(tx.step, input.mechanism)))) return;
    await this.checkSend(req, tx);
  }

  /** Throws the refusal when no out-of-band send is left (this login's, or across logins). */
  private async checkSend(req: LoginRequest, tx: Transaction): Promise<void> {
    const { limits } = this.options;
    const refusal = this.loginSendRefusal(tx) ?? (limits ? await limits.sendRefusal(limits.subject(req, tx.username)) : undefined);
    if (refusal) throw refusal;
  }

  /** Within one login: at most maxResends + 1 sends, and the cooldown since the last send that was not answered yet. */
  private loginSendRefusal(tx: Transaction): MultiStepError | undefined {
    if ((tx.sends ?? 0) > this.options.maxResends) return this.noMoreSends();
    const waitMs = (tx.lastSendAt ?? 0) + this.options.resendCooldownMs - Date.now();
    if (tx.lastSendAt === undefined || waitMs <= 0) return undefined;
    return this.sendTooSoon(waitMs);
  }

  /** The per-login cap is spent: 429, and only a new login (within the limits across logins) may send again. */
  private noMoreSends(): MultiStepError {
    return new MultiStepError('RATE_LIMITED', {
      message: 'No more codes can be sent for this sign-in. Please start again.',
      details: { restart: true, retryAfterSeconds: Math.max(1, Math.ceil(this.options.resendCooldownMs / 1000)) },
    });
  }

  /** The cooldown since the last send: 429 with the wait. */
  private sendTooSoon(waitMs: number): MultiStepError {
    const seconds = Math.ceil(waitMs / 1000);
    return new MultiStepError('RATE_LIMITED', {
      message: `Please wait ${seconds} seconds before asking for a new code.`, details: { retryAfterSeconds: seconds },
    });
  }

  /** `ctx.outOfBand.allowed()`: whether a provider may start an out-of-band method on its own now. */
  private async sendAllowed(req: LoginRequest, tx: Transaction): Promise<boolean> {
    if (this.loginSendRefusal(tx)) return false;
    const { limits } = this.options;
    return !limits || !(await limits.sendRefusal(limits.subject(req, tx.username)));
  }

  /** Counts an out-of-band send; an accepted answer ends the cooldown (the next challenge may send at once). */
  private async countSend(req: LoginRequest, tx: Transaction, input: ActionInput, sent: boolean): Promise<void> {
    if (input.action === 'answer') delete tx.lastSendAt;
    if (!sent) return;
    tx.sends = (tx.sends ?? 0) + 1;
    tx.lastSendAt = Date.now();
    const { limits } = this.options;
    if (limits) await limits.sent(limits.subject(req, tx.username));
  }

  /** A password or code the upstream rejected (also later, e.g. hide-failure tenants) counts as a guess. */
  private async countGuess(req: LoginRequest, tx: Transaction, input: ActionInput, error: MultiStepError): Promise<void> {
    const { limits } = this.options;
    if (!limits || input.action === 'start' || (error.code !== 'WRONG_ANSWER' && error.code !== 'AUTH_FAILED')) return;
    await limits.guessFailed(limits.subject(req, tx.username));
  }

  /** Pages that poll faster than half the interval get the current step without an upstream call. */
  private pollTooSoon(tx: Transaction): boolean {
    return tx.lastPollAt !== undefined && Date.now() - tx.lastPollAt < this.options.pollIntervalMs / 2;
  }

  private async cancelQuietly(ctx: ProviderContext, tx: Transaction, reason: CancelReason): Promise<void> {
    try {
      await this.options.provider.cancel(ctx, reason);
    } catch (error) {
      this.options.log('cleanup failed', { tx: tx.id, errorCode: MultiStepError.is(error) ? error.code : 'ERROR' });
    }
  }
}

/** Keeps what an upstream exchange left: the provider's state and, if they changed, the cookies. */
function keepExchange(tx: Transaction, ctx: ProviderContext): void {
  tx.state = ctx.state;
  if (ctx.jar.modified) {
    const cookies = ctx.jar.toStored();
    if (cookies) tx.cookies = cookies;
    else delete tx.cookies;
  }
  tx.attempts += 1;
}

/** What providers may know of the browser's request; credentials headers are left out. */
function clientInfo(req: LoginRequest): ClientInfo {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'cookie' || name === 'authorization' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const cookies: Record<string, string> = {};
  if (req.headers.cookie) {
    for (const [name, value] of Object.entries(parseCookies(req.headers.cookie))) if (value !== undefined) cookies[name] = value;
  }
  // Express and Connect keep the path before mounting in originalUrl.
  const url = (req as { originalUrl?: unknown }).originalUrl;
  const full = typeof url === 'string' ? url : req.url ?? '/';
  return {
    headers, cookies, path: full.split('?')[0] || '/',
    ...(clientIp(req) ? { ip: clientIp(req)! } : {}),
    ...(typeof req.headers['user-agent'] === 'string' ? { userAgent: req.headers['user-agent'] } : {}),
  };
}

/** The mechanism the form names, if the step offered it; MECHANISM_NOT_OFFERED otherwise. */
function offered(step: Step, id: string | undefined): Mechanism {
  const mechanism = step.mechanisms.find((m) => m.id === id);
  if (!mechanism) throw new MultiStepError('MECHANISM_NOT_OFFERED');
  return mechanism;
}

/** Security questions take one answer per offered question; everything else takes a string. */
function checkAnswerShape(mechanism: Mechanism, answer: Answer | undefined): Answer {
  if (answer === undefined) throw new MultiStepError('BAD_REQUEST', { message: 'The field "answer" is missing or invalid.' });
  if (!mechanism.questions && !mechanism.fields) {
    if (typeof answer !== 'string' || answer.length === 0) throw new MultiStepError('BAD_REQUEST', { message: 'The field "answer" is missing or invalid.' });
    return answer;
  }
  const inputs = mechanism.questions ?? mechanism.fields ?? [];
  if (typeof answer === 'string') {
    if (inputs.length === 1 && answer.length > 0) return { [inputs[0]!.id]: answer };
    throw new MultiStepError('BAD_REQUEST', { message: 'Fill in every field.' });
  }
  const ids = Object.keys(answer);
  const expected = new Set(inputs.map((q) => q.id));
  if (ids.some((id) => !expected.has(id))) throw new MultiStepError('MECHANISM_NOT_OFFERED');
  if (ids.length !== expected.size || ids.some((id) => !answer[id])) {
    throw new MultiStepError('BAD_REQUEST', { message: 'Fill in every field.' });
  }
  return answer;
}

/** A step the page polls: waiting for an approval, or a code step that may also complete upstream. */
function isPolled(step: Step): boolean {
  return step.kind === 'pending' || (step.kind === 'answer' && step.pollAfterMs !== undefined);
}

function sameMechanisms(a: Mechanism[], b: Mechanism[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]?.id);
}
