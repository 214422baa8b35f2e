/**
 * What the web layer needs of the login engine (the strategy implements it). The routes
 * depend on this interface, never on the strategy class, so neither imports the other both ways.
 */
import type { AuditTrail } from '../audit/emitter.js';
import type { ActionName } from '../input.js';
import type { Logger } from '../log.js';
import type { JsonObject } from '../provider.js';
import type { LoginRequest } from '../request.js';
import type { RunOutcome } from '../run-outcome.js';
import type { TransactionStore } from '../transaction-store.js';

export interface LoginEngine {
  readonly name: string;
  readonly sessionKey: string;
  readonly store: Pick<TransactionStore, 'get' | 'peek' | 'save'>;
  readonly log: Logger;
  /** Audit events: the routes report failures the engine did not see (e.g. a rate limit of their own). */
  readonly audit?: Pick<AuditTrail, 'unreported'>;
  /** Runs one action of the login for this request. */
  run(req: LoginRequest, action?: ActionName): Promise<RunOutcome>;
  /** Runs `fn` under the session's login lock, on the session as the store has it. */
  mutateSession<T>(req: LoginRequest, fn: () => Promise<T>, mayBeNew?: boolean): Promise<T>;
  /** Reads and clears the start page's one-shot message. */
  takeFlash(req: LoginRequest): { code: string; message: string; username?: string } | undefined;
  /**
   * The upstream and `verify` accepted the user, but the session store failed at `req.login`:
   * reports the login as failed and ends the upstream session the login opened.
   */
  loginNotKept(req: LoginRequest, outcome: Extract<RunOutcome, { type: 'success' }>, error: unknown): void;
  /** Ends an upstream session in the background. */
  logoutUpstream(handle: JsonObject): void;
}
