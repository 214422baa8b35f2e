/**
 * The `limits` option of the strategy: what is limited, by how much, and where the counters live.
 * Every limit is on by default; `limits: false` turns them all off, `false` on a group or a
 * window turns off that one.
 */
import type { RedisCommandClient } from '../locks/redis-locks.js';
import type { LoginRequest } from '../request.js';

/** At most `points` events per `durationMs` (a fixed window, counted from the first event). */
export interface LimitWindow {
  points: number;
  /** Window length; rounded up to whole seconds (Redis expiries are in seconds). */
  durationMs: number;
}

/**
 * Out-of-band sends (SMS, e-mail, voice call, push, e-mail link) across logins. Within one
 * login, sends are limited by the strategy's `resendCooldownMs` (least time between two sends,
 * whichever action causes them) and `maxResends` (at most `maxResends + 1` sends per login).
 */
export interface SendLimits {
  /** Sends for one user name, across logins. Default 10 per hour. */
  perUser?: LimitWindow | false;
  /** Sends caused from one client (IP by default), across logins and users. Default 30 per hour. */
  perClient?: LimitWindow | false;
}

/** Rejected passwords and codes (WRONG_ANSWER, AUTH_FAILED), across logins. */
export interface GuessLimits {
  /** Per user name from one client; reset by a successful login. Default 10 per 15 minutes. */
  perUserAndClient?: LimitWindow | false;
  /** Per user name from anywhere: slower, so that many clients cannot guess freely. Default 50 per hour. */
  perUser?: LimitWindow | false;
}

/** Logins started. */
export interface StartLimits {
  /** Per client (IP by default). Default 30 per minute. */
  perClient?: LimitWindow | false;
}

/** The strategy's `limits` option. */
export interface LimitsOptions {
  /**
   * Keep the counters in Redis, shared by every app instance: the same node-redis (v4+) or
   * ioredis client you give `redisLocks(client)`. Default: in this process's memory (one
   * instance only). If Redis fails, each instance falls back to in-memory counters until it answers again.
   */
  redis?: RedisCommandClient;
  /** Redis key prefix. Default `pm:limit:`. */
  prefix?: string;
  /**
   * Salt for the hashed user names and client keys in counter keys (raw user names and IPs
   * are never stored). Default: derived from the strategy name. Set a secret, the same on every instance.
   */
  salt?: string;
  /**
   * Which client a request comes from. Default: `clientIp(req)` (Express's `req.ip`, which
   * honours `trust proxy`: set it when the app is behind a proxy, or every user shares the proxy's address).
   */
  clientKey?(req: LoginRequest): string | undefined;
  sends?: SendLimits | false;
  guesses?: GuessLimits | false;
  starts?: StartLimits | false;
}

const minute = 60_000;
const hour = 60 * minute;

/** The defaults, documented in the README's "Limits" section. */
export const defaultLimits = {
  sends: { perUser: { points: 10, durationMs: hour }, perClient: { points: 30, durationMs: hour } },
  guesses: { perUserAndClient: { points: 10, durationMs: 15 * minute }, perUser: { points: 50, durationMs: hour } },
  starts: { perClient: { points: 30, durationMs: minute } },
} as const satisfies Required<{ [K in 'sends' | 'guesses' | 'starts']: Record<string, LimitWindow> }>;

/** One window by name, as configured (undefined: off). */
export type LimitName = 'sendsPerUser' | 'sendsPerClient' | 'guessesPerUserAndClient' | 'guessesPerUser' | 'startsPerClient';

/** Every window, resolved against the defaults (absent: off). */
export type ResolvedWindows = Partial<Record<LimitName, LimitWindow>>;

function pick(group: object | false | undefined, key: string, fallback: LimitWindow): LimitWindow | undefined {
  if (group === false) return undefined;
  const value = (group as Record<string, LimitWindow | false | undefined> | undefined)?.[key];
  if (value === false) return undefined;
  const window = value ?? fallback;
  if (!(Number.isInteger(window.points) && window.points > 0) || !(window.durationMs > 0)) {
    throw new TypeError(`limits: ${key} needs a positive integer "points" and a positive "durationMs"`);
  }
  return window;
}

/** The windows in force for `options` (the defaults when unset). */
export function resolveWindows(options: LimitsOptions = {}): ResolvedWindows {
  const entries: Array<[LimitName, LimitWindow | undefined]> = [
    ['sendsPerUser', pick(options.sends, 'perUser', defaultLimits.sends.perUser)],
    ['sendsPerClient', pick(options.sends, 'perClient', defaultLimits.sends.perClient)],
    ['guessesPerUserAndClient', pick(options.guesses, 'perUserAndClient', defaultLimits.guesses.perUserAndClient)],
    ['guessesPerUser', pick(options.guesses, 'perUser', defaultLimits.guesses.perUser)],
    ['startsPerClient', pick(options.starts, 'perClient', defaultLimits.starts.perClient)],
  ];
  return Object.fromEntries(entries.filter(([, w]) => w !== undefined)) as ResolvedWindows;
}
