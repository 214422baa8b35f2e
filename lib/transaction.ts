/**
 * A login transaction: one attempt to log in, from the username to the upstream's
 * success. It lives in the express session, in the list under the strategy's key (one
 * entry per login in progress, so two tabs can log in at once).
 */
import type { StoredCookies } from './http/cookie-jar.js';
import type { JsonObject } from './provider.js';
import type { Step } from './step.js';

export interface Transaction {
  /** Random id, sent to the browser to say which login a form belongs to. */
  id: string;
  /** The strategy (and so provider) that owns it. */
  strategy: string;
  /** The login name as typed, to prefill a restart and to show "Signing in as …". */
  username: string;
  /** The provider's upstream handles (SessionId, MechanismIds, requestState, nonce, base URL …). */
  state: JsonObject;
  /** The upstream cookies of this login. */
  cookies?: StoredCookies;
  /** The step the user is on. */
  step: Step;
  /** Where to go after login (a validated local path). */
  returnTo?: string;
  /** Upstream exchanges made so far. */
  attempts: number;
  createdAt: number;
  expiresAt: number;
  /** Out-of-band sends in this transaction (select, resend, automatic starts), and the last one's time while it is unanswered (limits). */
  sends?: number;
  lastSendAt?: number;
  /** When the current `pending` step started (for the overall out-of-band cap). */
  pendingSince?: number;
  /** Last upstream poll, to throttle pages that poll too fast. */
  lastPollAt?: number;
  /** A notice for the next render of the step page (e.g. a wrong-code message after a redirect). */
  flash?: { code: string; message: string };
}
