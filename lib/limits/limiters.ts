/**
 * The limiter set of one strategy (rate-limiter-flexible): in memory, or in Redis with an
 * in-memory fallback while Redis is unreachable. Checks read a counter without spending it;
 * events (a send, a rejected guess, a start) spend it.
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { MultiStepError } from '../errors.js';
import { clientIp, type LoginRequest } from '../request.js';
import { rateLimited, type LimitedKind } from './errors.js';
import { LimitKeys } from './keys.js';
import { resolveWindows, type LimitName, type LimitsOptions, type LimitWindow } from './options.js';

type Limiter = RateLimiterAbstract;

/** Subjects already built for a request, per limiter set. */
const subjects = new WeakMap<object, Map<LoginLimits, LimitSubject[]>>();

/** What the limiters count for one request: the user name it is about and the client it comes from. */
export interface LimitSubject {
  username: string;
  client: string | undefined;
}

/** A subject's hashed keys, computed once per request. */
interface SubjectKeys { user: string; client: string; userAndClient: string }

export class LoginLimits {
  private readonly limiters: Partial<Record<LimitName, Limiter>> = {};
  private readonly keys: LimitKeys;
  private readonly clientKeyOf: (req: LoginRequest) => string | undefined;

  constructor(options: LimitsOptions, strategyName: string) {
    this.keys = new LimitKeys(strategyName, options.salt);
    this.clientKeyOf = options.clientKey ?? clientIp;
    const prefix = `${options.prefix ?? 'pm:limit:'}${strategyName}:`;
    for (const [name, window] of Object.entries(resolveWindows(options)) as Array<[LimitName, LimitWindow]>) {
      this.limiters[name] = build(name, window, prefix, options.redis);
    }
  }

  private readonly hashed = new WeakMap<LimitSubject, SubjectKeys>();

  /** The request's user name and client (one object per request and user name, so the keys are hashed once). */
  subject(req: LoginRequest, username: string): LimitSubject {
    const bySubject = subjects.get(req);
    const known = bySubject?.get(this)?.find((s) => s.username === username);
    if (known) return known;
    const subject = { username, client: this.clientKeyOf(req) };
    const list = bySubject?.get(this) ?? [];
    list.push(subject);
    if (bySubject) bySubject.set(this, list);
    else subjects.set(req, new Map([[this, list]]));
    return subject;
  }

  private keysOf(subject: LimitSubject): SubjectKeys {
    let keys = this.hashed.get(subject);
    if (!keys) {
      const user = this.keys.user(subject.username);
      const client = this.keys.client(subject.client);
      keys = { user, client, userAndClient: `${user}.${client}` };
      this.hashed.set(subject, keys);
    }
    return keys;
  }

  /** Before a start: refused when this client started too many logins, or this user has no guesses left from here. */
  async beforeStart(subject: LimitSubject): Promise<void> {
    await this.checkGuesses(subject);
    await this.spend('startsPerClient', this.keysOf(subject).client, 'starts', true);
  }

  /** Before an answer: refused when the guesses are used up. */
  async checkGuesses(subject: LimitSubject): Promise<void> {
    const keys = this.keysOf(subject);
    // The per-user counter is read only when the per-(user, client) one did not refuse, as before.
    const refusal = (await this.refusal('guessesPerUserAndClient', keys.userAndClient, 'guesses'))
      ?? (await this.refusal('guessesPerUser', keys.user, 'guesses'));
    if (refusal) throw refusal;
  }

  /** A password or code was rejected upstream. */
  async guessFailed(subject: LimitSubject): Promise<void> {
    await this.spend('guessesPerUserAndClient', this.keysOf(subject).userAndClient, 'guesses', false);
    await this.spend('guessesPerUser', this.keysOf(subject).user, 'guesses', false);
  }

  /** The login succeeded: the user's failures from this client are forgotten. */
  async succeeded(subject: LimitSubject): Promise<void> {
    await this.limiters.guessesPerUserAndClient?.delete(this.keysOf(subject).userAndClient).catch(() => undefined);
  }

  /** The error if no out-of-band send is left for this user or client, else undefined. */
  async sendRefusal(subject: LimitSubject): Promise<MultiStepError | undefined> {
    return (await this.refusal('sendsPerUser', this.keysOf(subject).user, 'sends'))
      ?? this.refusal('sendsPerClient', this.keysOf(subject).client, 'sends');
  }

  /** Something was sent out of band. */
  async sent(subject: LimitSubject): Promise<void> {
    await this.spend('sendsPerUser', this.keysOf(subject).user, 'sends', false);
    await this.spend('sendsPerClient', this.keysOf(subject).client, 'sends', false);
  }

  private async refusal(name: LimitName, key: string, kind: LimitedKind): Promise<MultiStepError | undefined> {
    const limiter = this.limiters[name];
    if (!limiter) return undefined;
    const reading = limiter.get(key);
    let res: RateLimiterRes | null;
    try {
      res = await reading; // awaited in place rather than through .catch(): one promise less per read (8 per login)
    } catch {
      res = null; // a failing store does not lock everyone out
    }
    return res && res.consumedPoints >= limiter.points ? rateLimited(kind, res.msBeforeNext) : undefined;
  }

  /** Spends one point; `refuse`: throws RATE_LIMITED when there was none left. */
  private async spend(name: LimitName, key: string, kind: LimitedKind, refuse: boolean): Promise<void> {
    const limiter = this.limiters[name];
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (refuse && isRes(rejection)) throw rateLimited(kind, rejection.msBeforeNext);
    }
  }
}

function isRes(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value && !(value instanceof Error);
}

function build(name: LimitName, window: LimitWindow, prefix: string, redis: LimitsOptions['redis']): Limiter {
  const base = { points: window.points, duration: Math.max(1, Math.ceil(window.durationMs / 1000)), keyPrefix: `${prefix}${name}` };
  const memory = new RateLimiterMemory(base);
  if (!redis) return memory;
  // ioredis defines Lua commands (defineCommand); node-redis v4+ is driven through its own API (useRedisPackage).
  const ioredis = typeof (redis as { defineCommand?: unknown }).defineCommand === 'function';
  return new RateLimiterRedis({ ...base, storeClient: redis, useRedisPackage: !ioredis, insuranceLimiter: memory });
}
