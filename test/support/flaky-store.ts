/**
 * An express-session store that can be told to fail: express-session's MemoryStore, whose
 * get / set / destroy / touch answer with the errors a Redis-backed store reports while Redis
 * is away (node-redis's own error classes), when the test says so.
 */
import session from 'express-session';
import { ClientOfflineError } from '@redis/client';

export type StoreOp = 'get' | 'set' | 'destroy' | 'touch';

/** Decides whether the `n`-th call (from 1) of `op` since the plan was set fails. */
export type FailurePlan = (op: StoreOp, n: number) => boolean;

export class FlakyStore extends session.MemoryStore {
  /** Calls of each op since the last `failWhen`, and the failures answered. */
  readonly calls: Record<StoreOp, number> = { get: 0, set: 0, destroy: 0, touch: 0 };
  failures = 0;
  private plan: FailurePlan = () => false;
  /** What a failing call answers with (a fresh error each time). */
  error: () => Error = () => new ClientOfflineError();

  /** Fails the calls the plan picks, from now on; counts start again. */
  failWhen(plan: FailurePlan): void {
    this.plan = plan;
    for (const op of Object.keys(this.calls) as StoreOp[]) this.calls[op] = 0;
  }

  /** Every call fails (Redis is down). */
  down(): void {
    this.failWhen(() => true);
  }

  /** Every call works again. */
  up(): void {
    this.failWhen(() => false);
  }

  private fails(op: StoreOp): boolean {
    this.calls[op] += 1;
    const fail = this.plan(op, this.calls[op]);
    if (fail) this.failures += 1;
    return fail;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    if (this.fails('get')) return void setImmediate(() => callback(this.error()));
    super.get(sid, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    if (this.fails('set')) return void setImmediate(() => callback?.(this.error()));
    super.set(sid, data, callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    if (this.fails('destroy')) return void setImmediate(() => callback?.(this.error()));
    super.destroy(sid, callback);
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    if (this.fails('touch')) return void setImmediate(() => (callback as ((err?: unknown) => void) | undefined)?.(this.error()));
    super.touch(sid, data, callback);
  }
}
