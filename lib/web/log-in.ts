/**
 * Hands the verified user to passport. passport 0.6+ regenerates the session in
 * `req.login` (a new session id at login, against session fixation); with an older passport
 * the id would stay the one the browser had before login, so the session is regenerated here,
 * keeping what passport stored in it.
 *
 * Both write the session store (passport 0.6+ regenerates and saves; the library saves after
 * its own regenerate): a store that fails there is SESSION_STORE_UNAVAILABLE, told apart from
 * an error of the app's own `serializeUser` by watching the session's store calls.
 */
import { MultiStepError } from '../errors.js';
import type { AppUser, LoginRequest, PassportRequest } from '../request.js';
import { detachSession, saveSession } from '../session-data.js';
import { isStoreOutage, storeUnavailable, type StoreFailurePoint } from '../store-failure.js';

type Callback = (error?: unknown) => void;
type SessionWithRegenerate = Record<string, unknown> & { regenerate?: (cb: Callback) => void };

/** `req.login(user)`, then makes sure the session id changed. */
export async function logIn(req: LoginRequest & PassportRequest, user: AppUser): Promise<void> {
  if (typeof req.login !== 'function') {
    throw new MultiStepError('CONFIGURATION', {
      message: 'Mount passport.initialize() (and passport.session()) before the login routes: req.login is missing.',
    });
  }
  const before = req.sessionID;
  await watchingStore(req, 'login', async () => {
    await new Promise<void>((resolve, reject) => req.login!(user, (error: unknown) => (error ? reject(error) : resolve())));
    if (before !== undefined && req.sessionID === before) {
      await regenerateKeeping(req, ['passport']);
      await saveSession(req); // before the answer: a store that fails is told now, not after the response
    }
  });
}

/** `req.logout()` when passport is there. */
export function logOut(req: LoginRequest & PassportRequest): Promise<void> {
  if (typeof req.logout !== 'function') return Promise.resolve();
  return watchingStore(req, 'logout', () => new Promise((resolve, reject) => req.logout!((error: unknown) => (error ? reject(error) : resolve()))));
}

/**
 * Runs `work`, remembering the errors the session's `regenerate` and `save` report (also those
 * of the session a regenerate makes). Such an error, or one that looks like a store outage,
 * becomes SESSION_STORE_UNAVAILABLE and detaches the session: nothing half-done is written at
 * the end of the response (the store keeps the session from before). Other errors pass as they are.
 */
async function watchingStore(req: LoginRequest, point: StoreFailurePoint, work: () => Promise<void>): Promise<void> {
  const storeErrors = new Set<unknown>();
  const watch = (session: unknown) => {
    if (!session || typeof session !== 'object') return;
    for (const name of ['regenerate', 'save'] as const) {
      const original = (session as Record<string, unknown>)[name];
      if (typeof original !== 'function') continue;
      Object.defineProperty(session, name, {
        configurable: true, enumerable: false, writable: true,
        value(this: unknown, cb?: Callback) {
          return (original as (cb: Callback) => unknown).call(this, (error?: unknown) => {
            if (error) storeErrors.add(error);
            else if (name === 'regenerate') watch((req as { session?: unknown }).session); // the new session's save
            cb?.(error);
          });
        },
      });
    }
  };
  watch(req.session);
  try {
    await work();
  } catch (error) {
    if (MultiStepError.is(error) || (!storeErrors.has(error) && !isStoreOutage(error))) throw error;
    detachSession(req);
    throw storeUnavailable(error, point, { restart: point === 'login' });
  }
}

async function regenerateKeeping(req: LoginRequest, keys: string[]): Promise<void> {
  const session = req.session as SessionWithRegenerate | null | undefined;
  if (!session || typeof session.regenerate !== 'function') return;
  const kept = Object.fromEntries(keys.filter((key) => key in session).map((key) => [key, session[key]]));
  await new Promise<void>((resolve, reject) => session.regenerate!((error) => (error ? reject(error) : resolve())));
  Object.assign(req.session as object, kept);
}
