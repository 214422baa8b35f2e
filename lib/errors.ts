/**
 * The one error class of the library. Every failure carries a stable `code`
 * (catch on `code`, not on `instanceof`: bundlers can load two copies of a class),
 * an HTTP `status` for the routes to answer with, and a message that is safe to show:
 * messages are chosen from the catalogue below and never contain upstream data.
 */

/** Stable error codes. Adding one is a minor change; renaming one is a breaking change. */
export const ErrorCodes = {
  /** Malformed request body or a missing/invalid field. */
  BAD_REQUEST: { status: 400, message: 'The request was not understood.' },
  /** The body is larger than the routes accept. */
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  /** The body is neither JSON nor a form. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request content type is not supported.' },
  /** CSRF token missing or wrong. */
  CSRF_INVALID: { status: 403, message: 'The form has expired or is invalid. Please try again.' },
  /** No login in progress under that id (never started, finished, cancelled or forged). */
  TRANSACTION_NOT_FOUND: { status: 404, message: 'No login is in progress. Please start again.' },
  /** The login took too long and was abandoned. */
  TRANSACTION_EXPIRED: { status: 410, message: 'Your login has expired. Please start again.' },
  /** The form belongs to an earlier step (back button, replay or double submit). */
  STALE_STEP: { status: 409, message: 'This step has already been answered. Please continue from the current step.' },
  /** Too many requests at once on one login (a client loop). */
  CONCURRENT_REQUEST: { status: 429, message: 'Too many requests for this sign-in at once. Please wait a moment.' },
  /**
   * The session store or the login locks' backend failed (connection refused or lost, a
   * timeout, Redis LOADING / READONLY / OOM …), or a login lock was not had within `waitMs`.
   * `Retry-After` and `details.retryAfterSeconds` say when to try again; `details.restart`
   * when the upstream had moved on but the session could not record it (start again).
   */
  SESSION_STORE_UNAVAILABLE: { status: 503, message: 'Sign-in is temporarily unavailable. Please try again in a moment.' },
  /** A limit on codes sent, failed attempts or logins started was reached (see the README's "Limits"); `details.retryAfterSeconds` says how long to wait. */
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Please wait a while, then try again.' },
  /** The action does not apply to the current step (e.g. polling when nothing is pending). */
  ACTION_NOT_ALLOWED: { status: 409, message: 'That action is not available at this step.' },
  /** A mechanism or question that the upstream did not offer in this login. */
  MECHANISM_NOT_OFFERED: { status: 400, message: 'That sign-in method is not available for this login.' },
  /** The upstream offered only methods this library cannot drive (e.g. FIDO2 without a browser ceremony). */
  MECHANISM_UNSUPPORTED: { status: 422, message: 'None of the sign-in methods offered can be used here.' },
  /** A wrong code, answer or password that the upstream lets the user retry in place. */
  WRONG_ANSWER: { status: 401, message: 'That is not correct. Please try again.' },
  /** Wrong password, code or answer, or an unknown user: the upstream does not say which. */
  AUTH_FAILED: { status: 401, message: 'Sign-in failed. Check your details and try again.' },
  /** Too many failures: the upstream refuses for a while. */
  ACCOUNT_LOCKED: { status: 423, message: 'Your account is temporarily locked. Try again later or contact your administrator.' },
  /** The user denied the push or phone call. */
  OOB_DENIED: { status: 401, message: 'The sign-in request was denied on your device.' },
  /** Nobody answered the push, call or link in time. */
  OOB_TIMEOUT: { status: 410, message: 'The sign-in request was not approved in time. Please start again.' },
  /** The upstream accepted the answers but did not log the user in (e.g. CyberArk NoncommitalSuccess). */
  LOGIN_NOT_COMPLETED: { status: 401, message: 'Sign-in could not be completed. Please start again.' },
  /** The password has expired and must be changed before signing in. */
  PASSWORD_EXPIRED: { status: 401, message: 'Your password has expired. Change it, then sign in again.' },
  /** The new password was rejected by the upstream's policy. */
  PASSWORD_REJECTED: { status: 422, message: 'The new password does not meet the password policy.' },
  /** The user has no usable sign-in method for this application yet: they must register one (see `details.registrationUrl`). */
  REGISTRATION_REQUIRED: { status: 403, message: 'Set up a sign-in method first, then sign in again.' },
  /** The user declined the terms of use the upstream requires. */
  TERMS_DECLINED: { status: 403, message: 'You must accept the terms of use to sign in.' },
  /** The user cancelled the login. */
  CANCELLED: { status: 400, message: 'The sign-in was cancelled.' },
  /** The app's verify callback refused the user. */
  VERIFY_FAILED: { status: 401, message: 'You are not allowed to sign in to this application.' },
  /** The upstream did not answer in time. */
  UPSTREAM_TIMEOUT: { status: 504, message: 'The identity service did not respond in time. Please try again.' },
  /** Connection refused/reset, or an HTTP 5xx from the upstream. */
  UPSTREAM_UNAVAILABLE: { status: 502, message: 'The identity service is unavailable. Please try again shortly.' },
  /** HTML, truncated, oversized or otherwise unexpected upstream body. */
  UPSTREAM_BAD_RESPONSE: { status: 502, message: 'The identity service sent an unexpected response. Please try again.' },
  /**
   * One request needed more upstream calls than `maxUpstreamCallsPerRequest`: the upstream
   * kept answering with more work (a loop). Terminal: the login is dropped.
   */
  UPSTREAM_LOOP: { status: 502, message: 'The identity service did not finish the sign-in. Please start again.' },
  /**
   * The browser went away before its answer: the request's upstream calls were aborted.
   * The status (nginx's "client closed request") is for logs; nobody is left to read it.
   */
  REQUEST_ABORTED: { status: 499, message: 'The request was interrupted. Please try again.' },
  /** The upstream asked us to go to a host that is not on the allowlist. */
  UPSTREAM_REDIRECT_REFUSED: { status: 502, message: 'The identity service redirected to a host that is not allowed.' },
  /** The library is wired up wrongly (missing session, passport.initialize, ...). */
  CONFIGURATION: { status: 500, message: 'The login service is misconfigured.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** One of the stable error codes. */
export type ErrorCode = keyof typeof ErrorCodes;

/** Extra, non-secret facts about an error (for logs and for the step page). */
export interface ErrorDetails {
  /** Upstream correlation id (e.g. CyberArk ErrorID), safe to log and to quote to a help desk. */
  upstreamErrorId?: string;
  /** The upstream's own error code (e.g. IDCS `AUTH-3001`), safe to log. */
  upstreamCode?: string;
  /** Seconds the user should wait before retrying (lockouts). */
  retryAfterSeconds?: number;
  /** Where the user can register a sign-in method (REGISTRATION_REQUIRED). */
  registrationUrl?: string;
  /** Whether a new login may simply be started again. */
  restart?: boolean;
  /** The user's new password was rejected: the upstream's hint (policy text, not secret). */
  hint?: string;
}

const brand = Symbol.for('passport-multistep.error');

/**
 * The library's error. `message` is always the catalogue's user-safe text unless a
 * caller supplies another safe text; upstream payloads are never copied into it.
 */
export class MultiStepError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;
  /**
   * Whether the login is over after this error. Unset: decided by the code (see the
   * README's error table); providers set it when the upstream says otherwise (e.g. an
   * IDCS wrong password that comes back with a fresh requestState to retry with).
   */
  readonly terminal: boolean | undefined;

  constructor(code: ErrorCode, options: { message?: string; cause?: unknown; details?: ErrorDetails; terminal?: boolean } = {}) {
    super(options.message ?? ErrorCodes[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MultiStepError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.details = options.details ?? {};
    this.terminal = options.terminal;
    Object.defineProperty(this, brand, { value: true });
  }

  /** Works across duplicate copies of the library. */
  static is(value: unknown): value is MultiStepError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** The JSON shape the routes send: code, message and safe details only. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}
