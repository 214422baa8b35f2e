/**
 * Audit events: what a login did, for security teams and SIEMs. Each event is a flat JSON
 * object with a `type`; none ever holds a secret (no password, code, answer, token,
 * requestState, nonce, cookie, session id, CSRF token or upstream handle).
 */
import type { ErrorCode } from '../errors.js';
import type { ActionName } from '../input.js';
import type { MechanismType } from '../step.js';

/** The fields every audit event has. */
export interface AuditEventBase {
  /** What happened (the union's discriminant). */
  type: AuditEventType;
  /** When, as an ISO 8601 UTC timestamp. */
  time: string;
  /**
   * The request's id: its `X-Request-Id` header when that is at most 128 characters of
   * `[A-Za-z0-9._-]`, else a random id. The same for every event of one request.
   */
  requestId: string;
  /** The client address (Express's `req.ip`, honouring `trust proxy`; else the socket's peer). */
  ip?: string;
  /** The provider's name (`cyberark`, `idcs`, `oaa`). */
  provider: string;
  /** The strategy's name (`multistep` unless configured). */
  strategy: string;
  /** The login transaction (the id the forms send back); unset when the request named none. */
  transactionId?: string;
  /**
   * The login name as typed (trimmed). With `audit.hashUsernames` it is replaced by
   * `sha256:<hex>` (or `hmac-sha256:<hex>` with `audit.hashKey`) of the lower-cased name.
   */
  username?: string;
  /** The action of the request (`start`, `select`, `answer`, `poll`, `resend`, `alternatives`, `cancel`). */
  action?: ActionName;
}

/** A login was started (the user typed their login name). */
export interface LoginStartedEvent extends AuditEventBase { type: 'login.started'; transactionId: string; username: string }

/** The user chose a sign-in method on a `select` step. */
export interface MethodChosenEvent extends AuditEventBase { type: 'method.chosen'; mechanism: MechanismType }

/**
 * A code, link or call went out (SMS, e-mail, voice call): the exchange led to a freshly
 * started out-of-band step, or a resend.
 */
export interface CodeSentEvent extends AuditEventBase { type: 'code.sent'; mechanism: MechanismType; resend: boolean }

/** A push notification went out (a freshly started push step, or a resend). */
export interface PushSentEvent extends AuditEventBase { type: 'push.sent'; mechanism: 'push'; resend: boolean }

/**
 * The upstream refused an answer (password, code, security answers). `retry`: the user may
 * try again in place; otherwise a `login.failed` follows.
 */
export interface AnswerRejectedEvent extends AuditEventBase {
  type: 'answer.rejected'; code: ErrorCode; mechanism?: MechanismType; retry: boolean;
}

/** A request was refused by a rate limit (`RATE_LIMITED`). */
export interface RateLimitedEvent extends AuditEventBase { type: 'rate.limited'; code: ErrorCode; retryAfterSeconds?: number }

/** The upstream authenticated the user and `verify` accepted them. `userId`: the upstream's user id (`profile.id`). */
export interface LoginSucceededEvent extends AuditEventBase { type: 'login.succeeded'; transactionId: string; userId: string }

/**
 * The login ended without success. `code`: the error code (`ERROR` for an unexpected error,
 * e.g. one thrown by `verify`).
 */
export interface LoginFailedEvent extends AuditEventBase { type: 'login.failed'; code: ErrorCode | 'ERROR' }

/** The user cancelled the login. */
export interface LoginCancelledEvent extends AuditEventBase { type: 'login.cancelled'; transactionId: string }

/**
 * The upstream failed (`UPSTREAM_TIMEOUT`, `UPSTREAM_UNAVAILABLE`, `UPSTREAM_BAD_RESPONSE`,
 * `UPSTREAM_REDIRECT_REFUSED`, …). `upstreamErrorId`/`upstreamCode`: the upstream's correlation
 * id and error code when it sent them (safe to quote to its help desk).
 */
export interface UpstreamErrorEvent extends AuditEventBase {
  type: 'upstream.error'; code: ErrorCode; upstreamErrorId?: string; upstreamCode?: string;
}

/** Every audit event, discriminated by `type`. */
export type AuditEvent =
  | LoginStartedEvent | MethodChosenEvent | CodeSentEvent | PushSentEvent | AnswerRejectedEvent | RateLimitedEvent
  | LoginSucceededEvent | LoginFailedEvent | LoginCancelledEvent | UpstreamErrorEvent;

/** The event types. */
export type AuditEventType =
  | 'login.started' | 'method.chosen' | 'code.sent' | 'push.sent' | 'answer.rejected' | 'rate.limited'
  | 'login.succeeded' | 'login.failed' | 'login.cancelled' | 'upstream.error';

/** Audit options of the strategy (`audit`). */
export interface AuditOptions {
  /**
   * Replace the login name in events by a hash of it (lower-cased): `sha256:<hex>`, or
   * `hmac-sha256:<hex>` with `hashKey`. Events of one user still correlate (lockout analysis)
   * without the SIEM holding login names. Default false: the name as typed.
   */
  hashUsernames?: boolean;
  /** Key for the username hash (HMAC-SHA-256): without one, a plain hash of a guessable name is easy to reverse. */
  hashKey?: string;
}
