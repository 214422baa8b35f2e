/**
 * What one browser request may spend upstream: a count of calls with a cap, and the
 * browser's presence. A hostile or buggy upstream (CyberArk NewPackage → auto StartOOB →
 * NewPackage …, IDCS `nextOp: [createToken]` without an authnToken …) can otherwise keep one
 * request calling forever, each call perhaps a push or an SMS, with the session locked.
 *
 * - At most `limit` calls per request. The last one is kept for the cleanup: the call that
 *   would have been the `limit`-th of the step fails with `UPSTREAM_LOOP` (terminal), and one
 *   more call is then allowed, for telling the upstream to drop the login; nothing after it.
 * - When the browser goes away before its answer, every call in flight is aborted and every
 *   later one refused: `REQUEST_ABORTED`. No cleanup call then either.
 *
 * One object per browser request, a counter and a small set: cheap enough for every step.
 */
import { MultiStepError } from '../errors.js';
import type { Deadline } from './deadline.js';

/** Default of the strategy option `maxUpstreamCallsPerRequest`. */
export const defaultMaxUpstreamCallsPerRequest = 8;

/** Events the budget reports (the upstream client logs them, with the endpoint pattern). */
export type BudgetRefusal = 'exhausted' | 'aborted';

export class CallBudget {
  /** Calls made (admitted) so far. */
  calls = 0;
  /** Set once a call was refused for the budget: the step looped. */
  private loop: MultiStepError | undefined;
  /** Calls still allowed after the loop (the cleanup). */
  private cleanup = 1;
  private gone = false;
  private readonly inFlight = new Set<Deadline>();

  /** @param limit most upstream calls of the request, cleanup included (an integer ≥ 2). */
  constructor(readonly limit: number) {}

  /** Whether the browser went away before its answer. */
  get aborted(): boolean {
    return this.gone;
  }

  /** Whether a call was refused for the budget. */
  get exhausted(): boolean {
    return this.loop !== undefined;
  }

  /**
   * Before each call: counts it, or returns why it is refused (the caller throws {@link refusal}).
   * Returns undefined when the call may go.
   */
  admit(): BudgetRefusal | undefined {
    if (this.gone) return 'aborted';
    if (this.loop) {
      if (this.cleanup <= 0) return 'exhausted';
      this.cleanup -= 1;
    } else if (this.calls >= this.limit - 1) {
      this.loop = refusalError('exhausted');
      return 'exhausted';
    }
    this.calls += 1;
    return undefined;
  }

  /**
   * The loop error, once a call was refused for the budget: a step that ended after one failed,
   * even if the provider caught the refusal. (A browser that went away after a step that
   * completed upstream does not undo it: the step is kept for when the user comes back.)
   */
  failure(): MultiStepError | undefined {
    return this.loop;
  }

  /** A call in flight: aborted with the others if the browser goes. */
  track(deadline: Deadline): void {
    this.inFlight.add(deadline);
  }

  untrack(deadline: Deadline): void {
    this.inFlight.delete(deadline);
  }

  /** The browser went away: abort what is in flight, refuse what comes. */
  abort(): void {
    if (this.gone) return;
    this.gone = true;
    for (const deadline of this.inFlight) deadline.cancel();
    this.inFlight.clear();
  }
}

/** A new error for each refusal (errors carry a stack; one per throw site reads better in logs). */
export function refusalError(refusal: BudgetRefusal, cause?: unknown): MultiStepError {
  const options = cause === undefined ? {} : { cause };
  if (refusal === 'aborted') return new MultiStepError('REQUEST_ABORTED', options);
  return new MultiStepError('UPSTREAM_LOOP', { ...options, terminal: true, details: { restart: true } });
}

/** Checks the strategy option. */
export function checkCallBudget(value: unknown): number {
  if (value === undefined) return defaultMaxUpstreamCallsPerRequest;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) {
    throw new TypeError('maxUpstreamCallsPerRequest must be an integer of at least 2');
  }
  return value;
}
