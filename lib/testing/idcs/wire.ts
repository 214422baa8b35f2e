/**
 * Wire-level helpers of the IDCS simulator: ecIds, requestStates, the JSON answers
 * of `/sso/v1/sdk/authenticate`, `/oauth2/v1/token` and `/admin/v1/Me`, and the HTML
 * pages the identity domain's front end serves for non-API answers.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { FaultPages } from '../shared/faults.js';
import { escapeHtml } from '../shared/html.js';
import type { HttpReply } from '../shared/http.js';
import { CAUSES, type Cause } from './causes.js';

/** A JSON body of the authentication API. */
export type AuthBody = Record<string, unknown>;

const ECID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789^_';

/** An execution-context id like Oracle's `5fR1O171000000000` / `R^iCq16G000000000` (8 characters, then nine zeros). */
export function newEcId(): string {
  let id = '';
  for (let i = 0; i < 8; i++) id += ECID_ALPHABET[randomInt(ECID_ALPHABET.length)];
  return `${id}000000000`;
}

/** Bytes of randomness in a requestState: about 1.5 KB of base64, within the range of Oracle's saved ones (~400 to ~4000 characters). */
const REQUEST_STATE_BYTES = 1104;

/** A fresh opaque requestState (standard base64 with `+` and `/`, as in Oracle's examples). */
export function newRequestState(): string {
  return randomBytes(REQUEST_STATE_BYTES).toString('base64');
}

/** JSON answer with the headers the identity domain sends; the ecId also goes into `X-ORACLE-DMS-ECID`. */
export function authReply(body: AuthBody, status = 200): HttpReply {
  const headers: Record<string, string> = {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-cache, no-store, must-revalidate',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (typeof body.ecId === 'string') headers['x-oracle-dms-ecid'] = body.ecId;
  return { status, headers, body: JSON.stringify(body) };
}

/** `{status: "failed", ecId, cause}` with nothing to continue with, like Oracle's AUTH-3035 example (no nextOp, no requestState). */
export function deadFailure(cause: Cause, status = 401): HttpReply {
  return authReply({ status: 'failed', ecId: newEcId(), cause: [cause] }, status);
}

/**
 * A requestState the simulator does not know or that expired: 401 with the cause and a
 * requestState, as in the collection's "Error Example: Invalid or expired requestState"
 * (UNVERIFIED: what that requestState is good for; here it belongs to no sign-in).
 */
export function requestStateFailure(cause: Cause): HttpReply {
  return authReply({ status: 'failed', ecId: newEcId(), cause: [cause], requestState: newRequestState() }, 401);
}

/** An OAuth answer of `/oauth2/v1/token`. */
export function oauthReply(body: Record<string, unknown>, status = 200, extra: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache', ...extra },
    body: JSON.stringify(body),
  };
}

/** A SCIM answer of `/admin/v1/*` (UNVERIFIED: the exact content type). */
export function scimReply(body: Record<string, unknown>, status = 200): HttpReply {
  return { status, headers: { 'content-type': 'application/scim+json;charset=UTF-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/** A SCIM error (RFC 7644 §3.12; `status` is a string, as the SCIM errors Oracle's sample client reads). UNVERIFIED wording. */
export function scimError(status: number, detail: string): HttpReply {
  return scimReply({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, status: String(status) }, status);
}

function page(title: string, heading: string, detail: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}

/**
 * A missing, unknown or expired access token at the authenticate API: HTTP 401 with
 * `Content-Type: text/html` exactly, which is what Oracle's sample client compares against
 * (`idcsAuthnSDK.js`: "IDCS sends 401 status with HTML content when the access token expires").
 */
export function unauthorizedHtml(): HttpReply {
  return {
    status: 401,
    headers: { 'content-type': 'text/html', 'www-authenticate': 'Bearer realm="identity"' },
    body: page('401 Unauthorized', 'Unauthorized', 'The access token is missing, not valid or expired.'),
  };
}

/** An HTML error page in the style of the identity domain's front end. */
export function errorPage(status: number, reason: string): string {
  return page(`${status} ${reason}`, `${status} ${reason}`, 'The server could not process the request.');
}

export const NOT_FOUND_PAGE = errorPage(404, 'Not Found');

/** The hosted sign-in page: what a client gets when it reaches the browser UI instead of the API. */
export const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Oracle Identity Cloud Service Sign In</title></head>
<body><div id="signin"><h1>Sign In</h1><form method="post" action="/sso/v1/signin">
<label>User Name <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign In</button></form></div></body></html>`;

export const idcsFaultPages: FaultPages = {
  htmlPage: SIGN_IN_PAGE,
  errorPage,
  truncatedJson: () =>
    JSON.stringify({
      status: 'success',
      ecId: newEcId(),
      nextOp: ['credSubmit'],
      nextAuthFactors: ['USERNAME_PASSWORD'],
      USERNAME_PASSWORD: { credentials: ['username', 'password'] },
      requestState: newRequestState(),
    }),
  paddedJson: (padding) =>
    JSON.stringify({ status: 'pending', ecId: newEcId(), cause: [CAUSES.pushPending], nextOp: ['credSubmit', 'getBackupFactors'], padding }),
};
