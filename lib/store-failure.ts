/**
 * Failures of the session store and of the login locks' backend: one answer for all of them,
 * `503 SESSION_STORE_UNAVAILABLE` with `Retry-After`, and, for the debug log, the backend
 * error's class and code (never its message: it may echo keys, and keys hold session ids).
 *
 * Errors of the library's own store and lock calls are failures whatever their kind. Errors of
 * unknown origin (those an app's middleware hands on, e.g. express-session's failed load) are
 * recognised by their shape: the error classes of node-redis and ioredis, socket errno codes,
 * and Redis replies that mean "not now" (LOADING, READONLY, OOM, MISCONF …).
 */
import { MultiStepError, type ErrorDetails } from './errors.js';

/** Where the store failed, for the debug log. */
export type StoreFailurePoint =
  | 'session load' | 'session reload' | 'session save' | 'lock' | 'lock wait' | 'login' | 'logout';

/** Seconds a client is told to wait when the backend is down (a reconnect usually takes a second or two). */
export const storeRetryAfterSeconds = 5;

/** Error classes (constructor names) of Redis clients that mean the server is not reachable now. */
const outageClasses: ReadonlySet<string> = new Set([
  // node-redis (@redis/client 4–6)
  'ConnectionTimeoutError', 'SocketTimeoutError', 'ClientClosedError', 'ClientOfflineError', 'DisconnectsClientError',
  'SocketClosedUnexpectedlyError', 'ReconnectStrategyError', 'TimeoutError', 'AbortError', 'RootNodesUnavailableError',
  'CommandTimeoutDuringMaintenanceError', 'SocketTimeoutDuringMaintenanceError',
  // ioredis
  'MaxRetriesPerRequestError',
]);

/** Socket and resolver errno codes of a backend that cannot be reached. */
const outageErrnos: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_SOCKET_CLOSED', 'ERR_STREAM_DESTROYED',
]);

/** Redis error replies that mean "not now": loading, a read-only replica, out of memory, failed persistence, failover … */
const outageReply = /^(LOADING|READONLY|OOM|MISCONF|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY|NOREPLICAS|NOAUTH|WRONGPASS)\b/;

/** Messages of clients that throw plain Errors (ioredis "Connection is closed.", node-redis' own words). */
const outageMessage = /connection is closed|stream isn't writeable|client is (closed|offline)|socket closed unexpectedly|connection timeout|command timed out|the command was aborted|the queue is full/i;

/** The error's class name: its constructor's (node-redis sets no `name`), else `name`. */
function className(error: object): string {
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof ctor === 'string' && ctor && ctor !== 'Error' && ctor !== 'Object') return ctor;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && name ? name : 'Error';
}

/** An errno-like `code` (ECONNREFUSED …), or the first word of a Redis error reply (LOADING, READONLY, OOM …). */
function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') {
    const word = /^([A-Z][A-Z_]{1,20})(?:\s|$)/.exec(message)?.[1];
    if (word) return word;
  }
  return undefined;
}

/** The error itself, then what it wraps (`cause`, ReconnectStrategyError's `originalError`, AggregateError's `errors`), a few levels deep. */
function* chain(error: unknown): Generator<object> {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    yield current;
    const wrapped = current as { cause?: unknown; originalError?: unknown; socketError?: unknown; errors?: unknown };
    const inner = wrapped.errors;
    current = wrapped.cause ?? wrapped.socketError ?? wrapped.originalError ?? (Array.isArray(inner) ? inner[0] : undefined);
  }
}

/** Whether an error of unknown origin says the session store (or another backend) is unreachable or refusing for now. */
export function isStoreOutage(error: unknown): boolean {
  if (MultiStepError.is(error)) return error.code === 'SESSION_STORE_UNAVAILABLE';
  for (const link of chain(error)) {
    const code = codeOf(link);
    if (outageClasses.has(className(link)) || (code && outageErrnos.has(code))) return true;
    const message = (link as { message?: unknown }).message;
    if (typeof message === 'string' && (outageReply.test(message) || outageMessage.test(message))) return true;
  }
  return false;
}

/** Log fields naming a backend error: its class and code, nothing else. */
export function backendFields(error: unknown): { backendError?: string; backendCode?: string } {
  if (typeof error !== 'object' || error === null) return error === undefined ? {} : { backendError: typeof error };
  let backendCode: string | undefined;
  for (const link of chain(error)) {
    backendCode = codeOf(link);
    if (backendCode) break;
  }
  return { backendError: className(error), ...(backendCode ? { backendCode } : {}) };
}

/** Where each store failure happened (read back for the debug log). */
const points = new WeakMap<MultiStepError, StoreFailurePoint>();

/**
 * The library's error for a failed session store or lock backend: 503 with `Retry-After`.
 * The backend error is kept as `cause` (for the app's own logs), never shown.
 */
export function storeUnavailable(
  cause: unknown, point: StoreFailurePoint, options: { restart?: boolean; retryAfterSeconds?: number } = {},
): MultiStepError {
  const details: ErrorDetails = { retryAfterSeconds: Math.max(1, Math.ceil(options.retryAfterSeconds ?? storeRetryAfterSeconds)) };
  if (options.restart) details.restart = true;
  const error = new MultiStepError('SESSION_STORE_UNAVAILABLE', {
    ...(cause === undefined ? {} : { cause }),
    ...(options.restart ? { message: 'Sign-in is temporarily unavailable and this sign-in could not be saved. Please start again in a moment.' } : {}),
    details,
  });
  points.set(error, point);
  return error;
}

/** Log fields of a store failure: where, and the backend error's class and code. */
export function storeFailureFields(error: MultiStepError): Record<string, unknown> {
  const point = points.get(error);
  return { ...(point ? { failedAt: point } : {}), ...backendFields(error.cause) };
}
