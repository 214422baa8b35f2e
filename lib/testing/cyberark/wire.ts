/**
 * Wire-level helpers: the response envelope, ids, cookies and the HTML pages
 * an IIS-hosted tenant serves for non-API answers.
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

/** A complete HTTP answer, built first and written later (so latency and slow-body faults can wrap it). */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** The text real tenants use for every authentication failure (§6). */
export const GENERIC_FAILURE =
  'Authentication (login or challenge) has failed. Please try again or contact your system administrator.';

/** The JSON envelope of every API answer; key order and casing follow the captures (§2.1). */
export interface Envelope {
  success: boolean;
  Result: unknown;
  Message: string | null;
  MessageID: string | null;
  Exception: string | null;
  ErrorID: string | null;
  ErrorCode: string | null;
  IsSoftError: boolean;
  InnerExceptions: unknown;
}

/** `success:true` envelope. */
export function ok(result: unknown): Envelope {
  return {
    success: true,
    Result: result,
    Message: null,
    MessageID: null,
    Exception: null,
    ErrorID: null,
    ErrorCode: null,
    IsSoftError: false,
    InnerExceptions: null,
  };
}

/** `success:false` envelope with a fresh `<uuid>:<32 hex>` ErrorID, as in T5. */
export function fail(result: unknown = { Summary: 'Failure' }, message: string = GENERIC_FAILURE): Envelope {
  return { ...ok(result), success: false, Message: message, ErrorID: errorId() };
}

/** Correlation id in the format tenants use: `<guid>:<32 hex>`. */
export function errorId(): string {
  return `${randomUUID()}:${randomBytes(16).toString('hex')}`;
}

/** Opaque random id, base64url (32 bytes for SessionIds, fewer for MechanismIds). */
export function randomId(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A fresh six-digit one-time code. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A uuid derived from a string, so a user keeps the same `UserId` across runs. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** JSON answer with the headers a tenant sends (§1.4). */
export function jsonReply(envelope: Envelope, setCookies: string[] = [], status = 200): HttpReply {
  const headers: Record<string, string | string[]> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-cache, no-store, must-revalidate',
    pragma: 'no-cache',
    expires: '-1',
    'x-cfy-tx-id': randomUUID(),
    'x-centrify-native-client': 'true',
  };
  if (setCookies.length > 0) headers['set-cookie'] = setCookies;
  return { status, headers, body: JSON.stringify(envelope) };
}

/** Plain JSON (for the control API, which has no envelope). */
export function plainJson(value: unknown, status = 200): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(value, null, 2),
  };
}

/** An HTML answer. */
export function htmlReply(status: number, body: string, extra: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...extra }, body };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An IIS-style error page; unknown paths get `404 - File or directory not found.` (§6). */
export function iisErrorPage(status: number, title: string, detail: string): string {
  const t = escapeHtml(`${status} - ${title}`);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${t}</title></head>
<body><div id="header"><h1>Server Error</h1></div>
<div id="content"><fieldset><h2>${t}</h2><h3>${escapeHtml(detail)}</h3></fieldset></div>
</body></html>`;
}

export const NOT_FOUND_PAGE = iisErrorPage(
  404,
  'File or directory not found.',
  'The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.',
);

/** The sign-in page a browser would get: what a client sees when it hits a portal or proxy instead of the API. */
export const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign In</title></head>
<body><div id="login"><h1>Sign In</h1><form method="post" action="/login">
<label>User name <input name="username" autocomplete="username"></label>
<button type="submit">Next</button></form></div></body></html>`;

/** `Set-Cookie` value for an HttpOnly, path-wide cookie (no `Secure`: the simulator speaks plain HTTP). */
export function setCookie(name: string, value: string): string {
  return `${name}=${value}; Path=/; HttpOnly`;
}

/** `Set-Cookie` value that removes a cookie. */
export function clearCookie(name: string): string {
  return `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly`;
}

/** All values of every cookie in a Cookie header (a jar bug may send one name twice). */
export function parseCookies(header: string | string[] | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    cookies.set(name, [...(cookies.get(name) ?? []), value]);
  }
  return cookies;
}

/** Host name of a Host header, lower case, without port or IPv6 brackets. */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}
