/**
 * Locks in Redis for several app instances sharing one session store: `SET key token NX PX`
 * to take, a compare-and-delete script to give back (never someone else's lock), and an
 * expiry so a crashed instance cannot hold a login forever. Works with node-redis
 * (`sendCommand`) and ioredis (`call`).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { MultiStepError } from '../errors.js';
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
  /** How long a request waits for the lock before CONCURRENT_REQUEST. Default 15 000 ms. */
  waitMs?: number;
}

const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Login locks stored in Redis. */
export function redisLocks(client: RedisCommandClient, options: RedisLocksOptions = {}): LoginLocks {
  const command = (args: string[]): Promise<unknown> =>
    'sendCommand' in client ? client.sendCommand(args) : client.call(args[0]!, ...args.slice(1));
  const prefix = options.prefix ?? 'pm:lock:';
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 15_000;
  return {
    async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const name = prefix + key;
      const token = randomBytes(16).toString('base64url');
      const deadline = Date.now() + waitMs;
      let delay = 5;
      while ((await command(['SET', name, token, 'NX', 'PX', String(ttlMs)])) !== 'OK') {
        if (Date.now() >= deadline) throw new MultiStepError('CONCURRENT_REQUEST');
        await sleep(delay + Math.random() * delay); // jitter: waiters do not retry in lockstep
        delay = Math.min(delay * 2, 100);
      }
      try {
        return await fn();
      } finally {
        await command(['EVAL', releaseScript, '1', name, token]).catch(() => undefined); // it expires anyway
      }
    },
  };
}
