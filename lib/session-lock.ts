/**
 * Runs a change of login state under the session's lock. The lock is taken before the
 * session is re-read from the store and given back only once express-session has written
 * the session at the end of the response, so the next request on the same session starts
 * from what this one left.
 *
 * A change is written to the store before the request is answered: a store that fails then
 * is answered as such (503 SESSION_STORE_UNAVAILABLE), never with an answer whose state was
 * lost. After a failed write the session is detached from the request, so nothing of it is
 * written later either: the store keeps what it had before the request.
 */
import { responseOf, type LoginRequest } from './request.js';
import { MultiStepError } from './errors.js';
import type { LoginLocks } from './locks/login-locks.js';
import { detachSession, reloadSession, saveSession, sessionSnapshot } from './session-data.js';
import { storeUnavailable } from './store-failure.js';

/** Requests that hold their session's lock. A WeakSet rather than a mark on `req`: a new property would reshape every request object. */
const holding = new WeakSet<LoginRequest>();

/** Errors saying a change could not be written, with what the change's own code produced (its error, if it threw). */
const unsaved = new WeakMap<MultiStepError, { failure?: unknown }>();

interface ResponseEvents {
  writableEnded: boolean;
  writableFinished: boolean;
  destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Runs `fn` holding the lock of the request's session, on the session as the store has it
 * now, and writes what `fn` changed before resolving. `mayBeNew`: the session may not be in
 * the store yet (a first visit). Resolves with `fn`'s result as soon as it has one; the lock
 * itself is held until the response is over. Nested calls from the same request run directly
 * (it already holds the lock), and write their changes too.
 *
 * Rejects with SESSION_STORE_UNAVAILABLE when the lock's backend or the store fails; when the
 * failure was writing `fn`'s change, {@link unsavedChange} tells so.
 */
export function withSessionLock<T>(locks: LoginLocks, req: LoginRequest, fn: () => Promise<T>, mayBeNew: boolean): Promise<T> {
  const sessionId = (req as { sessionID?: string }).sessionID;
  if (!sessionId) return fn(); // no express-session: fn reports CONFIGURATION
  if (holding.has(req)) return writingChanges(req, fn);
  return new Promise<T>((resolve, reject) => {
    let entered = false;
    locks.run(`session:${sessionId}`, async () => {
      entered = true;
      holding.add(req);
      try {
        if (!(await reloadSession(req)) && !mayBeNew) {
          detachSession(req); // a concurrent login replaced this session: never save it back
          throw new MultiStepError('TRANSACTION_NOT_FOUND');
        }
        resolve(await writingChanges(req, fn));
      } catch (error) {
        reject(error);
      }
      await sessionWritten(req);
    }).catch((error: unknown) => {
      // The lock could not be had: CONCURRENT_REQUEST or SESSION_STORE_UNAVAILABLE from the locks,
      // or a custom LoginLocks' own error (its backend failed). A no-op once settled.
      reject(entered || MultiStepError.is(error) ? error : storeUnavailable(error, 'lock'));
    });
  });
}

/** Runs `fn`, then writes the session if `fn` changed it (whether it returned or threw). */
async function writingChanges<T>(req: LoginRequest, fn: () => Promise<T>): Promise<T> {
  const before = sessionSnapshot(req);
  let result: T;
  try {
    result = await fn();
  } catch (failure) {
    await writeIfChanged(req, before, { failure });
    throw failure;
  }
  await writeIfChanged(req, before, {});
  return result;
}

async function writeIfChanged(req: LoginRequest, before: string | undefined, outcome: { failure?: unknown }): Promise<void> {
  const after = sessionSnapshot(req);
  if (after === undefined || after === before) return;
  try {
    await saveSession(req);
  } catch (cause) {
    detachSession(req); // nothing of this request reaches the store now: it keeps the state from before
    const error = storeUnavailable(cause, 'session save');
    unsaved.set(error, outcome);
    throw error;
  }
}

/**
 * Whether `error` says that a change made under the lock could not be written (rather than
 * that the lock or the re-read failed, before anything was done). `failure`: what the change's
 * code threw, if it threw.
 */
export function unsavedChange(error: unknown): { failure?: unknown } | undefined {
  return MultiStepError.is(error) ? unsaved.get(error) : undefined;
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
