/**
 * Wire-level helpers: the response envelope, ids, cookies and the HTML pages
 * an IIS-hosted tenant serves for non-API answers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { HttpReply } from '../shared/http.js';
import { escapeHtml } from '../shared/html.js';

// Generic helpers moved to ../shared; re-exported for the CyberArk modules.
export type { HttpReply } from '../shared/http.js';
export { hostnameOf, htmlReply, parseCookies, plainJson } from '../shared/http.js';
export { escapeHtml } from '../shared/html.js';
export { randomId, sixDigitCode, stableUuid } from '../shared/ids.js';

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
