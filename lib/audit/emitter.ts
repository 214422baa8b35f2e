/**
 * Delivers audit events to the strategy's `onEvent` option and `strategy.events` listeners.
 * A listener that throws never breaks a login (it is logged). Nothing is built while nobody
 * listens. Also decides which events a flow outcome or failure means.
 */
import { EventEmitter } from 'node:events';
import { MultiStepError, type ErrorCode } from '../errors.js';
import type { ActionName } from '../input.js';
import type { Logger } from '../log.js';
import type { LoginRequest } from '../request.js';
import type { Mechanism, Step } from '../step.js';
import { buildEvent, type AuditFields } from './builder.js';
import type { AuditEvent, AuditOptions } from './events.js';

/**
 * The strategy's audit events as an EventEmitter: `strategy.events.on('event', (e) => …)`.
 * Listeners are called synchronously, in order, each with the same frozen event; one that
 * throws is logged (debug) and the others still run.
 */
export class AuditEvents extends EventEmitter<{ event: [AuditEvent] }> {}

/**
 * Listeners of every strategy's events in this process: for the test suite's whole-run
 * "no secret in any event" check. Not part of the API.
 * @internal
 */
export const globalAuditListeners: Set<(event: AuditEvent) => void> = new Set();

/** Failures that mean the upstream refused what the user answered (not a fault, limit or the user's own decision). */
const notRejections: ReadonlySet<string> = new Set(['TERMS_DECLINED', 'CANCELLED', 'CONFIGURATION', 'CONCURRENT_REQUEST']);

/** Errors already turned into events (so an outer catch does not report them again). */
const audited = new WeakSet<object>();

/** The transaction facts events carry (as far as they are known). */
interface TxFacts { id?: string | undefined; username?: string | undefined }

/** @internal The audit trail of one strategy. */
export class AuditTrail {
  readonly events = new AuditEvents();

  constructor(private readonly options: {
    provider: string; strategy: string; log: Logger; onEvent?: ((event: AuditEvent) => void) | undefined; audit?: AuditOptions | undefined;
  }) {}

  /** Whether anyone listens (events are not even built otherwise). */
  get active(): boolean {
    return this.options.onEvent !== undefined || globalAuditListeners.size > 0 || this.events.listenerCount('event') > 0;
  }

  emit(req: LoginRequest, fields: AuditFields): void {
    if (!this.active) return;
    const event = buildEvent(req, fields, this.options, this.options.audit ?? {});
    const deliver = (listener: (event: AuditEvent) => void) => {
      try {
        listener(event);
      } catch (error) {
        this.options.log('audit listener failed', { event: event.type, error: error instanceof Error ? error.name : typeof error });
      }
    };
    if (this.options.onEvent) deliver(this.options.onEvent);
    for (const listener of this.events.rawListeners('event')) deliver(listener as (event: AuditEvent) => void);
    for (const listener of globalAuditListeners) deliver(listener);
  }

  /** After a successful exchange: a code or push went out if the new step is a freshly started out-of-band step, or after a resend. */
  stepShown(req: LoginRequest, tx: { id: string; username: string; step: Step }, action: ActionName, previousSequence: number): void {
    if (!this.active) return;
    const fresh = tx.step.sequence !== previousSequence || action === 'resend';
    const mechanism = tx.step.mechanisms[0];
    if (!fresh || !mechanism || !sendsSomething(tx.step, mechanism)) return;
    const common = { transactionId: tx.id, username: tx.username, action, resend: action === 'resend' };
    if (mechanism.type === 'push') this.emit(req, { type: 'push.sent', ...common, mechanism: 'push' });
    else this.emit(req, { type: 'code.sent', ...common, mechanism: mechanism.type });
  }

  /** A `select`: the method the user chose (when the step offered it). */
  methodChosen(req: LoginRequest, tx: { id: string; username: string; step: Step }, mechanismId: string | undefined): void {
    const mechanism = this.active ? tx.step.mechanisms.find((m) => m.id === mechanismId) : undefined;
    if (mechanism) this.emit(req, { type: 'method.chosen', transactionId: tx.id, username: tx.username, action: 'select', mechanism: mechanism.type });
  }

  /** An upstream exchange that failed, on the step the action was made on (`ended`: the transaction was dropped). */
  actionFailed(
    req: LoginRequest, tx: { id: string; username: string; step: Step }, input: { action: ActionName; mechanism?: string }, error: unknown, ended: boolean,
  ): void {
    const mechanism = input.action === 'answer' ? tx.step.mechanisms.find((m) => m.id === input.mechanism) : undefined;
    this.failure(req, tx, input.action, error, { ended, mechanism });
  }

  /**
   * A failed action: `rate.limited`, `upstream.error` or `answer.rejected` by the code, then
   * `login.failed` when the login is over (`ended`). Returns the error, marked as reported.
   */
  failure<E>(
    req: LoginRequest, tx: TxFacts | undefined, action: ActionName | undefined, error: E,
    facts: { ended: boolean; mechanism?: Mechanism | undefined },
  ): E {
    if (typeof error === 'object' && error !== null) {
      if (audited.has(error)) return error;
      audited.add(error);
    }
    if (!this.active) return error;
    const known = MultiStepError.is(error) ? error : undefined;
    const code = known?.code;
    const common = {
      ...(tx?.id ? { transactionId: tx.id } : {}), ...(tx?.username ? { username: tx.username } : {}), ...(action ? { action } : {}),
    };
    if (known && isRateLimit(known.code)) {
      const retryAfterSeconds = known.details.retryAfterSeconds;
      this.emit(req, { type: 'rate.limited', ...common, code: known.code, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    } else if (known && known.code.startsWith('UPSTREAM_')) {
      const { upstreamErrorId, upstreamCode } = known.details;
      this.emit(req, {
        type: 'upstream.error', ...common, code: known.code,
        ...(upstreamErrorId ? { upstreamErrorId } : {}), ...(upstreamCode ? { upstreamCode } : {}),
      });
    } else if (known && action === 'answer' && !notRejections.has(known.code)) {
      this.emit(req, {
        type: 'answer.rejected', ...common, code: known.code, retry: !facts.ended,
        ...(facts.mechanism ? { mechanism: facts.mechanism.type } : {}),
      });
    }
    if (facts.ended) this.emit(req, { type: 'login.failed', ...common, code: code ?? 'ERROR' });
    return error;
  }

  /**
   * The outermost failure path of a request: reports what no inner call site did — a rate
   * limit from anywhere, and an expired login (dropped on lookup).
   */
  unreported(req: LoginRequest, input: { action: ActionName; transactionId?: string; username?: string } | undefined, error: unknown): void {
    if (!MultiStepError.is(error) || audited.has(error)) return;
    const expired = error.code === 'TRANSACTION_EXPIRED';
    if (!isRateLimit(error.code) && !expired) return;
    const tx = input?.action === 'start'
      ? { ...(input.username ? { username: input.username } : {}) }
      : { ...(input?.transactionId ? { id: input.transactionId } : {}) };
    this.failure(req, tx, input?.action, error, { ended: expired });
  }
}

/** `RATE_LIMITED` (added by the limits; compared as a string so this compiles before and after). */
function isRateLimit(code: ErrorCode): boolean {
  return (code as string) === 'RATE_LIMITED';
}

/**
 * Whether a step means something was just sent: a pending step (push, call, link; not an
 * authenticator being registered from a QR code), or an answer step for a code that went to
 * an address or can be resent (not an authenticator app's code: nothing is sent for those).
 */
function sendsSomething(step: Step, mechanism: Mechanism): boolean {
  if (mechanism.qrCode !== undefined) return false;
  if (step.kind === 'pending') return true;
  return step.kind === 'answer' && (mechanism.maskedAddress !== undefined || mechanism.resendable === true);
}
