/**
 * Synchronizer-token CSRF protection for the companion routes: one random token per
 * session (renewed when passport regenerates the session at login and logout), sent
 * back in the `_csrf` field or the `X-CSRF-Token` header and compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { MultiStepError } from './errors.js';
import { randomToken } from './random-token.js';
import { peekArea, sessionArea } from './session-data.js';

/** The session's CSRF token, created on first use. */
export function csrfToken(req: Request, sessionKey: string): string {
  const area = sessionArea(req, sessionKey);
  area.csrf ??= randomToken(24);
  return area.csrf;
}

/**
 * The session's CSRF token if it has one; never creates it, nor anything else in the
 * session: a request that still carries a session cookie from before a login must not
 * get a fresh session saved (its Set-Cookie would log the browser out again).
 */
export function peekCsrf(req: Request, sessionKey: string): string | undefined {
  const csrf = peekArea(req, sessionKey)?.csrf;
  return typeof csrf === 'string' ? csrf : undefined;
}

/** Throws CSRF_INVALID unless the request carries the session's token. */
export function verifyCsrf(req: Request, sessionKey: string): void {
  const expected = peekCsrf(req, sessionKey);
  const body = req.body as Record<string, unknown> | undefined;
  const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.get('x-csrf-token');
  if (!expected || typeof sent !== 'string' || !constantTimeEqual(sent, expected)) throw new MultiStepError('CSRF_INVALID');
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
