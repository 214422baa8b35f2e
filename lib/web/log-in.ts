/**
 * Hands the verified user to passport. passport 0.6+ regenerates the session in
 * `req.login` (a new session id at login, against session fixation); with an older passport
 * the id would stay the one the browser had before login, so the session is regenerated here,
 * keeping what passport stored in it.
 */
import { MultiStepError } from '../errors.js';
import type { AppUser, LoginRequest, PassportRequest } from '../request.js';

type SessionWithRegenerate = Record<string, unknown> & { regenerate?: (cb: (error?: unknown) => void) => void };

/** `req.login(user)`, then makes sure the session id changed. */
export async function logIn(req: LoginRequest & PassportRequest, user: AppUser): Promise<void> {
  if (typeof req.login !== 'function') {
    throw new MultiStepError('CONFIGURATION', {
      message: 'Mount passport.initialize() (and passport.session()) before the login routes: req.login is missing.',
    });
  }
  const before = req.sessionID;
  await new Promise<void>((resolve, reject) => req.login!(user, (error: unknown) => (error ? reject(error) : resolve())));
  if (before !== undefined && req.sessionID === before) await regenerateKeeping(req, ['passport']);
}

/** `req.logout()` when passport is there. */
export function logOut(req: LoginRequest & PassportRequest): Promise<void> {
  if (typeof req.logout !== 'function') return Promise.resolve();
  return new Promise((resolve, reject) => req.logout!((error: unknown) => (error ? reject(error) : resolve())));
}

async function regenerateKeeping(req: LoginRequest, keys: string[]): Promise<void> {
  const session = req.session as SessionWithRegenerate | null | undefined;
  if (!session || typeof session.regenerate !== 'function') return;
  const kept = Object.fromEntries(keys.filter((key) => key in session).map((key) => [key, session[key]]));
  await new Promise<void>((resolve, reject) => session.regenerate!((error) => (error ? reject(error) : resolve())));
  Object.assign(req.session as object, kept);
}
