/** In-process locks: a queue per key. Enough for one app instance (or sticky sessions). */
import { MultiStepError } from '../errors.js';
import type { LoginLocks } from './login-locks.js';

/** More requests than this waiting on one key are refused (a client loop, not a person). */
const maxWaiting = 8;

export class MemoryLocks implements LoginLocks {
  private readonly tails = new Map<string, { tail: Promise<void>; waiting: number }>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const entry = this.tails.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    if (entry.waiting >= maxWaiting) throw new MultiStepError('CONCURRENT_REQUEST');
    let release!: () => void;
    const done = new Promise<void>((resolve) => { release = resolve; });
    const previous = entry.tail;
    entry.tail = previous.then(() => done);
    entry.waiting += 1;
    this.tails.set(key, entry);
    try {
      await previous;
      return await fn();
    } finally {
      entry.waiting -= 1;
      release();
      if (entry.waiting === 0 && this.tails.get(key) === entry) this.tails.delete(key);
    }
  }
}
