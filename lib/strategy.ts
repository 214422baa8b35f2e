/**
 * MultiStepStrategy: a Passport strategy whose `authenticate` runs one step of a
 * multi-step upstream login per request, and succeeds only once the upstream says
 * the user is authenticated.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { csrfToken, verifyCsrf } from './web/csrf.js';
import { MultiStepError } from './errors.js';
import { Flow, isTerminal, type FlowOutcome } from './flow.js';
import type { HttpOptions } from './http/options.js';
import { UpstreamClient } from './http/upstream-client.js';
import { checkCallBudget } from './http/call-budget.js';
import { parseActionInput, type ActionInput, type ActionName } from './input.js';
import { DeviceTokens, type RememberDeviceOptions } from './device-tokens.js';
import { createLogger, type Logger } from './log.js';
import type { JsonObject, Profile, Provider, UpstreamTokens } from './provider.js';
import { createRouter, type LoginRoutes, type NextFunction } from './web/router.js';
import type { RouterOptions } from './web/router-options.js';
import { PassportStrategy } from './passport-strategy.js';
import type { AppUser, LoginRequest } from './request.js';
import type { RunOutcome } from './run-outcome.js';
import { sessionArea } from './session-data.js';
import { unsavedChange, withSessionLock } from './session-lock.js';
import { storeFailureFields, storeUnavailable } from './store-failure.js';
import { upstreamCallsOf } from './http/request-view.js';
import type { Transaction } from './transaction.js';
import type { LoginLocks } from './locks/login-locks.js';
import { MemoryLocks } from './locks/memory-locks.js';
import type { Step } from './step.js';
import { TransactionStore } from './transaction-store.js';
import { LoginLimits } from './limits/limiters.js';
import type { LimitsOptions } from './limits/options.js';
import { AuditTrail, type AuditEvents } from './audit/emitter.js';
import type { AuditEvent, AuditOptions } from './audit/events.js';

/** Passport's `done` for verify callbacks. */
export type VerifyDone = (error: unknown, user?: AppUser | false | null, info?: object) => void;

/** Maps the upstream profile to your app's user. Call `done`, or return a promise of the user (`false` to refuse). */
export type VerifyFunction = (profile: Profile, tokens: UpstreamTokens, done: VerifyDone) => void | Promise<AppUser | false | null | void>;

/** As VerifyFunction, with the request first (`passReqToCallback: true`). */
export type VerifyFunctionWithRequest = (
  req: LoginRequest, profile: Profile, tokens: UpstreamTokens, done: VerifyDone,
) => void | Promise<AppUser | false | null | void>;

interface CommonOptions {
  /** Strategy name for `passport.use`/`passport.authenticate`. Default `multistep`. */
  name?: string;
  /** The identity API, e.g. `cyberark({ url })`. */
  provider: Provider;
  /** Upstream HTTP: dispatcher, proxy, CA, timeouts, size cap. */
  http?: HttpOptions;
  /** Key of the library's area in `req.session`. Default `passport-multistep`. */
  sessionKey?: string;
  /** How long a login may take from its start. Default 5 minutes (CyberArk's own limit). */
  transactionTtlMs?: number;
  /** Logins in progress per session (browser tabs). Default 5. */
  maxTransactionsPerSession?: number;
  /** How often pages should poll a pending push or call. Default 2 000 (not a keep-alive multiple). */
  pollIntervalMs?: number;
  /** Longest wait for one push, call or link. Default: the transaction lifetime. */
  oobTimeoutMs?: number;
  /** Least time between two out-of-band sends of one login (resend, or select again after "try another way"); an accepted answer ends it. Default 30 000. */
  resendCooldownMs?: number;
  /** Most resends per login: a login sends at most `maxResends + 1` codes, calls or pushes, whichever action causes them (see `limits`). Default 3. */
  maxResends?: number;
  /**
   * Most upstream calls one browser request may make, cleanup included (an integer ≥ 2).
   * A step that needs more (an upstream that loops) ends the login with `UPSTREAM_LOOP`;
   * the last call is kept for telling the upstream to drop the login. Default 8.
   */
  maxUpstreamCallsPerRequest?: number;
  /** Keep the upstream session handle after login so `/logout` can end it upstream. Default true. */
  upstreamLogout?: boolean;
  /**
   * Offer "remember this device" where the upstream supports it (IDCS trusted devices):
   * device tokens are kept in an encrypted HttpOnly cookie. Off when unset.
   */
  rememberDevice?: RememberDeviceOptions;
  /**
   * Serializes a session's login requests. Default: in-process locks, right for one app
   * instance. With several instances sharing a session store, use `redisLocks(client)`.
   */
  locks?: LoginLocks;
  /**
   * Limits across logins, on by default: out-of-band sends (SMS, e-mail, voice call, push) per
   * user name and per client; rejected passwords and codes per (user name, client) and, slower,
   * per user name; starts per client. A limited request gets 429 `RATE_LIMITED` with
   * `Retry-After`. Counters are in memory unless `limits.redis` is set (several instances).
   * `false` turns them all off (the per-login `resendCooldownMs`/`maxResends` still apply).
   * See the README's "Limits" for the defaults.
   */
  limits?: LimitsOptions | false;
  /**
   * Called with every audit event (login started, method chosen, code/push sent, answer
   * rejected, rate limited, login succeeded/failed/cancelled, upstream error), synchronously;
   * an exception it throws is logged and ignored. Listeners can also be added with
   * `strategy.events.on('event', …)`. See the README's "Audit events".
   */
  onEvent?: (event: AuditEvent) => void;
  /** How audit events carry the login name (`hashUsernames`, `hashKey`). */
  audit?: AuditOptions;
}

/** Options of MultiStepStrategy. */
export type MultiStepStrategyOptions =
  | (CommonOptions & { passReqToCallback?: false; verify: VerifyFunction })
  | (CommonOptions & {
    passReqToCallback: true;
    /**
     * As VerifyFunction, with the request first. Declared as a method so that you may type
     * `req` as your framework's request (e.g. `express.Request`).
     */
    verify(req: LoginRequest, profile: Profile, tokens: UpstreamTokens, done: VerifyDone): ReturnType<VerifyFunctionWithRequest>;
  });

/** Options Passport passes to `authenticate`, plus the action a route performs. */
export interface AuthenticateOptions {
  /** Which step action this route performs; default: the body's `action` field. */
  action?: ActionName;
}

/** What a request that did not finish the login leaves on `req` for the next handler (see `stepResultOf`). */
export interface StepResult {
  transactionId: string;
  username: string;
  step: Step;
}

export type { RunOutcome } from './run-outcome.js';

const stepResultKey = Symbol.for('passport-multistep.step');

/** The in-process locks every strategy of this process shares (sessions are saved whole, whichever strategy changed them). */
const processLocks = new MemoryLocks();

/** The step left on `req` by `passport.authenticate` when it called `next()` with the login still in progress. */
export function stepResultOf(req: LoginRequest): StepResult | undefined {
  return (req as unknown as Record<symbol, StepResult | undefined>)[stepResultKey];
}

/** Passport strategy for multi-step upstream logins. */
export class MultiStepStrategy extends PassportStrategy {
  override name: string;
  /** @internal */ readonly provider: Provider;
  /** @internal */ readonly http: UpstreamClient;
  /** @internal */ readonly store: TransactionStore;
  /** @internal */ readonly sessionKey: string;
  /** @internal */ readonly upstreamLogout: boolean;
  /** @internal */ readonly log: Logger;
  /** @internal */ readonly audit: AuditTrail;
  /**
   * The audit events of this strategy: `strategy.events.on('event', (event) => …)`. Each
   * event is a frozen {@link AuditEvent}; a listener that throws is logged and never breaks a login.
   */
  readonly events: AuditEvents;
  private readonly flow: Flow;
  private readonly options: MultiStepStrategyOptions;
  private readonly deviceTokens: DeviceTokens | undefined;
  private readonly locks: LoginLocks;
  /** The upstream session handle of each success being handed to the routes (kept even without `upstreamLogout`), for `loginNotKept`. */
  private readonly successHandles = new WeakMap<object, JsonObject>();

  constructor(options: MultiStepStrategyOptions) {
    super();
    if (!options?.provider) throw new TypeError('MultiStepStrategy requires a provider');
    if (typeof options.verify !== 'function') throw new TypeError('MultiStepStrategy requires a verify function');
    this.options = options;
    this.name = options.name ?? 'multistep';
    this.provider = options.provider;
    this.sessionKey = options.sessionKey ?? 'passport-multistep';
    this.upstreamLogout = options.upstreamLogout ?? true;
    this.log = createLogger(this.provider.name);
    this.http = new UpstreamClient(options.http);
    const ttlMs = options.transactionTtlMs ?? 5 * 60_000;
    this.locks = options.locks ?? processLocks;
    this.deviceTokens = options.rememberDevice ? new DeviceTokens(options.rememberDevice, this.name) : undefined;
    this.store = new TransactionStore({
      sessionKey: this.sessionKey,
      strategy: this.name,
      ttlMs,
      maxPerSession: options.maxTransactionsPerSession ?? 5,
    });
    this.audit = new AuditTrail({ provider: this.provider.name, strategy: this.name, log: this.log, onEvent: options.onEvent, audit: options.audit });
    this.events = this.audit.events;
    this.flow = new Flow({
      audit: this.audit,
      provider: this.provider,
      http: this.http,
      store: this.store,
      sessionKey: this.sessionKey,
      log: this.log,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      oobTimeoutMs: options.oobTimeoutMs ?? ttlMs,
      resendCooldownMs: options.resendCooldownMs ?? 30_000,
      maxResends: options.maxResends ?? 3,
      maxUpstreamCallsPerRequest: checkCallBudget(options.maxUpstreamCallsPerRequest),
      ...(this.deviceTokens ? { deviceTokens: this.deviceTokens } : {}),
      ...(options.limits === false ? {} : { limits: new LoginLimits(options.limits ?? {}, this.name) }),
    });
  }

  /**
   * Passport entry point. In progress → `pass()` with the step on `req` (read it with
   * `stepResultOf(req)`); upstream success and verify ok → `success(user)`; a user
   * error → `fail({ code, message }, status)`; an upstream or server problem → `error(err)`.
   */
  override authenticate(req: LoginRequest, options: AuthenticateOptions = {}): void {
    this.run(req, options.action).then(
      (outcome) => {
        if (outcome.type === 'success') return this.success(outcome.user, outcome.info);
        if (outcome.type === 'cancelled') return this.fail(new MultiStepError('CANCELLED').toJSON(), 400);
        const result: StepResult = { transactionId: outcome.tx.id, username: outcome.tx.username, step: outcome.tx.step };
        (req as unknown as Record<symbol, StepResult>)[stepResultKey] = result;
        return this.pass();
      },
      (error: unknown) => {
        if (MultiStepError.is(error) && error.status < 500) return this.fail(error.toJSON(), error.status);
        return this.error(error as Error);
      },
    ).catch((error: unknown) => {
      // Passport's own handlers can throw (e.g. failureFlash without connect-flash): hand it to Express.
      try { this.error(error as Error); } catch { /* nothing left to report to */ }
    });
  }

  /**
   * Runs one action for this request. Requests on the same login are serialized in this
   * process and each one starts from the session as the previous one saved it.
   * Throws MultiStepError (or what verify threw).
   */
  async run(req: LoginRequest, action?: ActionName): Promise<RunOutcome> {
    const input = parseActionInput(req.body, action);
    let performed: FlowOutcome | undefined;
    let failedTx: Transaction | undefined;
    try {
      const outcome = await this.mutateSession(req, async () => {
        try {
          return (performed = await this.flow.perform(req, input));
        } catch (error) {
          // The login the failed action was on, as it is now (the session may be detached if it cannot be written).
          if (input.action !== 'start') failedTx = this.store.peek(req, input.transactionId);
          throw error;
        }
      }, input.action === 'start');
      return await this.finish(req, outcome);
    } catch (error) {
      const final = await this.afterUnsavedChange(req, input, error, performed, failedTx);
      this.audit.unreported(req, input, final); // a rate limit or expiry no inner call site reported
      throw final;
    }
  }

  /**
   * The session could not be written after the action. Without an upstream call nothing is
   * lost: the store still has the login as it was (503, try again). After one, the upstream
   * has moved on from what the store holds: the login cannot go on (503 with
   * `details.restart`), and the upstream is told to drop it (or, after a success, its new
   * session is ended). A terminal failure ended the login anyway: its own error stands.
   */
  private async afterUnsavedChange(
    req: LoginRequest, input: ActionInput, error: unknown, performed: FlowOutcome | undefined, failedTx: Transaction | undefined,
  ): Promise<unknown> {
    const unsaved = unsavedChange(error);
    if (!unsaved || !MultiStepError.is(error)) return error;
    if (upstreamCallsOf(this.http, req) === 0) return error;
    const thrown = unsaved.failure;
    if (MultiStepError.is(thrown) && isTerminal(thrown)) return thrown;
    const restart = storeUnavailable(error.cause, 'session save', { restart: true });
    const tx = performed?.tx ?? failedTx;
    this.log('login not saved', { tx: tx?.id, action: input.action, ...storeFailureFields(error) });
    if (performed?.type === 'success') {
      if (performed.logoutHandle) this.logoutUpstream(performed.logoutHandle);
    } else if (performed?.type !== 'cancelled' && tx) {
      await this.flow.abandon(req, tx);
    }
    return this.audit.failure(req, tx ?? (input.username ? { username: input.username } : undefined), input.action, restart, { ended: true });
  }

  /**
   * Runs `fn` holding the session's login lock, on the session as the store has it now;
   * the next request on the session gets in once this one's session is written.
   * `mayBeNew`: the session may not be in the store yet (a first visit starting a login).
   * @internal
   */
  mutateSession<T>(req: LoginRequest, fn: () => Promise<T>, mayBeNew = false): Promise<T> {
    // One lock per session, shared by every strategy: express-session saves the session whole.
    return withSessionLock(this.locks, req, fn, mayBeNew);
  }

  private async finish(req: LoginRequest, outcome: FlowOutcome): Promise<RunOutcome> {
    if (outcome.type !== 'success') return outcome;
    const user = await this.verify(req, outcome.profile, outcome.tokens).catch((error: unknown) => {
      throw this.audit.failure(req, outcome.tx, undefined, error, { ended: true });
    });
    if (!user) {
      // The upstream already opened a session for someone this app refuses: close it.
      if (outcome.logoutHandle) this.logoutUpstream(outcome.logoutHandle);
      throw this.audit.failure(req, outcome.tx, undefined, new MultiStepError('VERIFY_FAILED'), { ended: true });
    }
    this.audit.emit(req, { type: 'login.succeeded', transactionId: outcome.tx.id, username: outcome.tx.username, userId: outcome.profile.id });
    if (outcome.deviceToken && this.deviceTokens) {
      this.deviceTokens.write(req, outcome.tx.username, outcome.deviceToken.value, outcome.deviceToken.maxAgeSeconds);
    }
    const success: RunOutcome = {
      type: 'success',
      tx: outcome.tx,
      user: user.user,
      info: { ...user.info, ...(outcome.tx.returnTo ? { returnTo: outcome.tx.returnTo } : {}) },
      ...(outcome.logoutHandle && this.upstreamLogout ? { logoutHandle: outcome.logoutHandle } : {}),
    };
    if (outcome.logoutHandle) this.successHandles.set(success, outcome.logoutHandle);
    return success;
  }

  /** @internal See LoginEngine.loginNotKept. */
  loginNotKept(req: LoginRequest, outcome: Extract<RunOutcome, { type: 'success' }>, error: unknown): void {
    this.log('login not saved', { tx: outcome.tx.id, ...(MultiStepError.is(error) ? storeFailureFields(error) : {}) });
    const handle = this.successHandles.get(outcome) ?? outcome.logoutHandle;
    if (handle) this.logoutUpstream(handle);
    this.audit.failure(req, outcome.tx, undefined, error, { ended: true });
  }

  /** The session's CSRF token, for your own login page's form (`_csrf`) or an SPA's `X-CSRF-Token` header. */
  csrfToken(req: LoginRequest): string {
    return csrfToken(req, this.sessionKey);
  }

  /**
   * CSRF middleware for your own routes that call `passport.authenticate` with this
   * strategy (the companion routes check it themselves): POST/PUT/PATCH/DELETE must carry
   * the token from `csrfToken(req)`; failures go to `next` as a 403 MultiStepError.
   */
  csrf(): (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void {
    return (req, _res, next) => {
      if (['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET')) return next();
      try {
        verifyCsrf(req, this.sessionKey);
        next();
      } catch (error) {
        next(error);
      }
    };
  }

  /** Reads and clears the message left for the login page by a failed login (code, message, username to prefill). */
  takeFlash(req: LoginRequest): { code: string; message: string; username?: string } | undefined {
    const area = sessionArea(req, this.sessionKey);
    const flash = area.flash;
    delete area.flash;
    return flash;
  }

  /** The companion routes (start, step page, select, answer, poll, resend, cancel, logout). */
  router<Req extends IncomingMessage = LoginRequest, Res extends ServerResponse = ServerResponse>(options: RouterOptions<Req, Res> = {}): LoginRoutes {
    return createRouter(this, options);
  }

  /** Ends an upstream session in the background; failures are logged, never thrown. */
  logoutUpstream(handle: JsonObject): void {
    const logout = this.provider.logout?.bind(this.provider);
    if (!logout) return;
    logout(this.http, handle).catch((error: unknown) => {
      this.log('upstream logout failed', { errorCode: MultiStepError.is(error) ? error.code : 'ERROR' });
    });
  }

  /** Closes the upstream connection pool (for graceful shutdown and tests). */
  async close(): Promise<void> {
    await this.http.close();
  }

  private verify(req: LoginRequest, profile: Profile, tokens: UpstreamTokens): Promise<{ user: AppUser; info: object } | undefined> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const done: VerifyDone = (error, user, info) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve(user ? { user, info: info ?? {} } : undefined);
      };
      try {
        const fn = this.options.verify as (...args: unknown[]) => unknown;
        const takesDone = fn.length >= (this.options.passReqToCallback ? 4 : 3);
        const returned = this.options.passReqToCallback
          ? this.options.verify(req, profile, tokens, done)
          : this.options.verify(profile, tokens, done);
        if (returned && typeof (returned as Promise<unknown>).then === 'function') {
          // A verify that does not declare `done` answers with its promise: undefined means "no user".
          (returned as Promise<AppUser | false | null | void>).then(
            (user) => { if (user !== undefined || !takesDone) done(null, user ?? false); },
            (error: unknown) => done(error ?? new Error('verify rejected')),
          );
        } else if (!takesDone && returned !== undefined) {
          done(null, returned as AppUser | false);
        } else if (!takesDone) {
          done(new TypeError('verify must call done or return (a promise of) the user'));
        }
      } catch (error) {
        done(error);
      }
    });
  }
}
