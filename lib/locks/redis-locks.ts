/**
 * Locks in Redis for several app instances sharing one session store: `SET key token NX PX`
 * to take, a compare-and-delete script to give back (never someone else's lock), and an
 * expiry so a crashed instance cannot hold a login forever. Works with node-redis
 * (`sendCommand`) and ioredis (`call`). A Redis that fails (or does not answer in time) is
 * SESSION_STORE_UNAVAILABLE at once, without waiting out `waitMs`.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MultiStepError } from '../errors.js';
import { storeUnavailable } from '../store-failure.js';
import type { LoginLocks } from './login-locks.js';

/** The one thing needed from a Redis client: a raw command. */
export type RedisCommandClient =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

export interface RedisLocksOptions {
  /** Key prefix. Default `pm:lock:`. */
  prefix?: string;
  /** How long a lock lives if its holder dies; longer than the slowest request (upstream timeouts included). Default 30 000 ms. */
  ttlMs?: number;
  /**
   * How long a request waits for the lock before SESSION_STORE_UNAVAILABLE (503, `Retry-After`
   * the lock's remaining lifetime). Default 15 000 ms. A Redis that fails or does not answer
   * within it is a 503 at once.
   */
  waitMs?: number;
}

/** Least time one attempt is given, even at the end of the wait (a healthy Redis answers in well under a millisecond). */
const minAttemptMs = 250;

const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Login locks stored in Redis. */
export function redisLocks(client: RedisCommandClient, options: RedisLocksOptions = {}): LoginLocks {
  const command = (args: string[]): Promise<unknown> =>
    'sendCommand' in client ? client.sendCommand(args) : client.call(args[0]!, ...args.slice(1));
  const prefix = options.prefix ?? 'pm:lock:';
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 15_000;
  const release = (name: string, token: string) => command(['EVAL', releaseScript, '1', name, token]).catch(() => undefined); // it expires anyway

  /**
   * One attempt to take the lock, given up after `withinMs` (a client without a command
   * timeout could wait for a lost Redis forever). A lock taken after the attempt was given up
   * is given back at once.
   */
  const attempt = (name: string, token: string, withinMs: number): Promise<boolean> => {
    const set = Promise.resolve().then(() => command(['SET', name, token, 'NX', 'PX', String(ttlMs)]));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        set.then((reply) => { if (reply === 'OK') void release(name, token); }, () => undefined);
        reject(storeUnavailable(undefined, 'lock'));
      }, Math.max(minAttemptMs, withinMs));
    });
    return Promise.race([set, late]).then(
      (reply) => reply === 'OK',
      (error: unknown) => { throw MultiStepError.is(error) ? error : storeUnavailable(error, 'lock'); },
    ).finally(() => clearTimeout(timer));
  };

  /** Not had within waitMs: try again once the holder's lock has expired (or after a second when that is unknown). */
  const waitedTooLong = async (name: string): Promise<MultiStepError> => {
    const left = await command(['PTTL', name]).catch(() => undefined);
    const ms = typeof left === 'number' && left > 0 ? left : 1_000;
    return storeUnavailable(undefined, 'lock wait', { retryAfterSeconds: ms / 1000 });
  };

  return {
    async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const name = prefix + key;
      const token = randomBytes(16).toString('base64url');
      const deadline = Date.now() + waitMs;
      let delay = 5;
      while (!(await attempt(name, token, deadline - Date.now()))) {
        if (Date.now() >= deadline) throw await waitedTooLong(name);
        await sleep(Math.min(delay + Math.random() * delay, Math.max(0, deadline - Date.now()))); // jitter: waiters do not retry in lockstep
        delay = Math.min(delay * 2, 100);
      }
      try {
        return await fn();
      } finally {
        await release(name, token);
      }
    },
  };
}
