/**
 * The library's corner of `req.session`: one namespaced key per strategy
 * holding its transactions, the CSRF secret and a one-shot flash message.
 */
import type { Request } from 'express';
import { MultiStepError } from './errors.js';
import type { JsonObject } from './provider.js';
import type { Transaction } from './transaction.js';

export interface SessionArea {
  transactions: Record<string, Transaction>;
  /** Synchronizer CSRF token for the companion routes. */
  csrf?: string;
  /** Message for the next login page render, after a failure redirect. */
  flash?: { code: string; message: string; username?: string };
  /** A returnTo to reuse when the user restarts after a failed or expired login. */
  returnTo?: string;
  /** Upstream session handle for logout, set after login when upstream logout is on. */
  logout?: { strategy: string; handle: JsonObject };
}

type SessionRecord = Record<string, unknown> & { regenerate?: unknown };

/** The request's session, or a CONFIGURATION error if express-session is not mounted. */
export function sessionOf(req: Request): SessionRecord {
  const session = (req as unknown as { session?: SessionRecord }).session;
  if (!session || typeof session !== 'object') {
    throw new MultiStepError('CONFIGURATION', { cause: new Error('req.session is missing: mount express-session before the routes') });
  }
  return session;
}

/** The library's area in the session under `key`, created on first use. */
export function sessionArea(req: Request, key: string): SessionArea {
  const session = sessionOf(req);
  let area = session[key] as SessionArea | undefined;
  if (!area || typeof area !== 'object' || typeof area.transactions !== 'object' || area.transactions === null) {
    area = { transactions: {} };
    session[key] = area;
  }
  return area;
}
