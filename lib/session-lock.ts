/**
 * Runs a change of login state under the session's lock. The lock is taken before the
 * session is re-read from the store and given back only once express-session has written
 * the session at the end of the response, so the next request on the same session starts
 * from what this one left, and the session is written once per request (not saved under
 * the lock and then touched again as the response ends).
 */
import { responseOf, type LoginRequest } from './request.js';
import { MultiStepError } from './errors.js';
import type { LoginLocks } from './locks/login-locks.js';
import { detachSession, reloadSession, saveSession } from './session-data.js';

/** Requests that hold their session's lock. A WeakSet rather than a mark on `req`: a new property would reshape every request object. */
const holding = new WeakSet<LoginRequest>();

interface ResponseEvents {
  writableEnded: boolean;
  writableFinished: boolean;
  destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Runs `fn` holding the lock of the request's session, on the session as the store has it
 * now. `mayBeNew`: the session may not be in the store yet (a first visit). Resolves with
 * `fn`'s result as soon as it has one; the lock itself is held until the session is written.
 * Nested calls from the same request run directly: it already holds the lock.
 */
export function withSessionLock<T>(locks: LoginLocks, req: LoginRequest, fn: () => Promise<T>, mayBeNew: boolean): Promise<T> {
  const sessionId = (req as { sessionID?: string }).sessionID;
  if (!sessionId || holding.has(req)) return fn(); // no express-session (fn reports CONFIGURATION), or already held
  return new Promise<T>((resolve, reject) => {
    locks.run(`session:${sessionId}`, async () => {
      holding.add(req);
      try {
        if (!(await reloadSession(req)) && !mayBeNew) {
          detachSession(req); // a concurrent login replaced this session: never save it back
          throw new MultiStepError('TRANSACTION_NOT_FOUND');
        }
        resolve(await fn());
      } catch (error) {
        reject(error);
      }
      await sessionWritten(req);
    }).catch(reject); // the lock could not be had (CONCURRENT_REQUEST); a no-op once settled
  });
}

/**
 * Resolves once the request's session is in the store. express-session writes it as the
 * response ends and only then sends the last byte; 'close' follows 'finish' (or a client
 * that went away). Gone before the end, the response may stay unended for a while: the
 * session is saved now; gone before this is called ('close' already fired), too, or the lock
 * would never be given back.
 */
function sessionWritten(req: LoginRequest): Promise<void> {
  const res = responseOf(req) as ResponseEvents | undefined;
  if (!res || typeof res.once !== 'function' || res.writableEnded || res.destroyed) return saveSession(req).catch(() => undefined);
  return new Promise((resolve) => {
    res.once('close', () => {
      if (res.writableFinished) resolve();
      else saveSession(req).catch(() => undefined).then(resolve);
    });
  });
}
