/** In-process locks: a queue per key. Enough for one app instance (or sticky sessions). */
import { MultiStepError } from '../errors.js';
import type { LoginLocks } from './login-locks.js';

/** More requests than this on one key (the holder included) are refused: a client loop, not a person. */
const maxWaiting = 8;

export class MemoryLocks implements LoginLocks {
  /** Held keys, each with the wake-up calls of the requests waiting for it, in arrival order. */
  private readonly waiting = new Map<string, Array<() => void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const queue = this.waiting.get(key);
    if (!queue) {
      this.waiting.set(key, []); // free: taken at once, without waiting for a turn
    } else {
      if (queue.length + 1 >= maxWaiting) throw new MultiStepError('CONCURRENT_REQUEST');
      await new Promise<void>((wake) => queue.push(wake));
    }
    try {
      return await fn();
    } finally {
      this.release(key);
    }
  }

  /** Hands the key to the next waiter, or frees it. */
  private release(key: string): void {
    const next = this.waiting.get(key)?.shift();
    if (next) next();
    else this.waiting.delete(key);
  }
}
