/**
 * Wire-level helpers of the IDCS simulator: ecIds, requestStates, the JSON
 * answers of `/sso/v1/sdk/authenticate` and `/oauth2/v1/token`, the `cause`
 * catalogue, and the HTML pages the identity domain serves for non-API answers.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { FaultPages } from '../shared/faults.js';
import { escapeHtml } from '../shared/html.js';
import type { HttpReply } from '../shared/http.js';

/** A JSON body of the authentication API. */
export type AuthBody = Record<string, unknown>;

/** One entry of `cause` (idcs.md §4). */
export interface Cause {
  code: string;
  message: string;
}

/**
 * Causes the simulator sends. Codes marked INFERRED are our choice where
 * idcs.md has no capture (a client should show `message` and treat unknown codes as failures).
 */
export const CAUSES = {
  wrongPassword: { code: 'AUTH-3001', message: 'You entered an incorrect user name or password.' },
  lockedOut: { code: 'AUTH-3002', message: 'Your account is locked. Contact your system administrator.' },
  adminLocked: { code: 'AUTH-1010', message: 'Your account is locked. Contact your system administrator.' },
  passwordExpired: { code: 'AUTH-3004', message: 'Your password has expired. Reset your password to sign in.' },
  pushPending: { code: 'AUTH-1108', message: 'Push notification pending' },
  wrongCode: { code: 'AUTH-1109', message: 'The passcode you entered is not valid. Try again.' },
  wrongAnswers: { code: 'AUTH-1109', message: 'One or more of your answers are not correct. Try again.' },
  wrongBypassCode: { code: 'AUTH-1109', message: 'The bypass code you entered is not valid. Try again.' },
  expiredCode: { code: 'AUTH-1112', message: 'The passcode has expired. Request a new one.' },
  invalidRequestState: { code: 'AUTH-1120', message: 'Invalid request state.' },
  /** INFERRED: a push the user rejected on the device. */
  pushDenied: { code: 'AUTH-1126', message: 'The push notification was denied on your device.' },
  /** INFERRED: the consent was not given at `acceptTOU`. */
  touDeclined: { code: 'AUTH-1131', message: 'You must accept the terms of use to sign in.' },
  /** INFERRED: the body is not a JSON object. */
  malformedJson: { code: 'AUTH-1001', message: 'The request body is not a valid JSON object.' },
} as const satisfies Record<string, Cause>;

/** INFERRED: an operation, factor or parameter the current step does not accept (HTTP 400, retry allowed). */
export function invalidRequest(detail: string): Cause {
  return { code: 'AUTH-1003', message: `Invalid request: ${detail}` };
}

/** INFERRED: the `appName` of the `GET` is not an app of the identity domain. */
export function unknownApp(appName: string): Cause {
  return { code: 'SSO-1002', message: `The application "${appName}" does not exist or is not active.` };
}

const ECID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789^_';

/** An execution-context id like `5fR1O171000000000` (8 characters, then nine zeros). */
export function newEcId(): string {
  let id = '';
  for (let i = 0; i < 8; i++) id += ECID_ALPHABET[randomInt(ECID_ALPHABET.length)];
  return `${id}000000000`;
}

/** Bytes of randomness in a requestState: about 1.5 KB of base64, like the captured one (seed 004). */
const REQUEST_STATE_BYTES = 1104;

/** A fresh opaque requestState (standard base64, as IDCS sends it). */
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

/** `{status: failed, ecId, cause}` with nothing to continue with (no nextOp, no requestState). */
export function deadFailure(cause: Cause, status = 401): HttpReply {
  return authReply({ status: 'failed', ecId: newEcId(), cause: [cause] }, status);
}

/** An OAuth answer of `/oauth2/v1/token`. */
export function oauthReply(body: Record<string, unknown>, status = 200, extra: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache', ...extra },
    body: JSON.stringify(body),
  };
}

function page(title: string, heading: string, detail: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
}

/**
 * A missing, unknown or expired access token: HTTP 401 with `Content-Type: text/html`
 * exactly (no charset), which is what Oracle's sample compares against (idcs.md §1).
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
    JSON.stringify({ status: 'success', ecId: newEcId(), nextOp: ['credSubmit'], nextAuthFactors: ['USERNAME_PASSWORD'], requestState: newRequestState() }),
  paddedJson: (padding) => JSON.stringify({ status: 'pending', ecId: newEcId(), cause: [CAUSES.pushPending], nextOp: ['credSubmit'], padding }),
};
