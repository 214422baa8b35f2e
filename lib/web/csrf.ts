/**
 * Synchronizer-token CSRF protection for the companion routes: one random token per
 * session (renewed when passport regenerates the session at login and logout), sent
 * back in a form field (default `_csrf`) or a header (default `X-CSRF-Token`) and compared
 * in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { MultiStepError } from '../errors.js';
import { randomToken } from '../random-token.js';
import type { LoginRequest } from '../request.js';
import { peekArea, sessionArea } from '../session-data.js';

/** Where the token travels. */
export interface CsrfNames {
  /** Form field. */
  field: string;
  /** Request header, lower-case. */
  header: string;
}

export const defaultCsrfNames: CsrfNames = Object.freeze({ field: '_csrf', header: 'x-csrf-token' });

/** The session's CSRF token, created on first use. */
export function csrfToken(req: LoginRequest, sessionKey: string): string {
  const area = sessionArea(req, sessionKey);
  area.csrf ??= randomToken(24);
  return area.csrf;
}

/**
 * The session's CSRF token if it has one; never creates it, nor anything else in the
 * session: a request that still carries a session cookie from before a login must not
 * get a fresh session saved (its Set-Cookie would log the browser out again).
 */
export function peekCsrf(req: LoginRequest, sessionKey: string): string | undefined {
  const csrf = peekArea(req, sessionKey)?.csrf;
  return typeof csrf === 'string' ? csrf : undefined;
}

/** Throws CSRF_INVALID unless the request carries the session's token. */
export function verifyCsrf(req: LoginRequest, sessionKey: string, names: CsrfNames = defaultCsrfNames): void {
  const expected = peekCsrf(req, sessionKey);
  const body = req.body as Record<string, unknown> | undefined;
  const field = body && typeof body === 'object' ? body[names.field] : undefined;
  const header = req.headers[names.header];
  const sent = typeof field === 'string' ? field : header;
  if (!expected || typeof sent !== 'string' || !constantTimeEqual(sent, expected)) throw new MultiStepError('CSRF_INVALID');
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
