/**
 * Wire-level helpers of the OAA simulator: the JSON replies, the error bodies
 * (`{responseCode, responseMessage}`, the "ModelAPIResponse" of the sibling
 * runtime APIs, oaa.md §2.5 and §6), the switchable namings of the
 * `/authn/v1` answer, and the HTML pages of the deployment's front end.
 */
import type { HttpReply } from '../shared/http.js';
import { CONTROL_PAGE_STYLE, escapeHtml } from '../shared/html.js';
import type { OaaStatus, OaaSwitches } from './types.js';

/** The code and message of a correct Validate (oaa.md §2.4: "ORA-40004 Authenticated"). */
export const AUTHENTICATED = { code: 'ORA-40004', message: 'Authenticated' } as const;

/** One offered challenge, before naming. */
export interface ChallengeEntry {
  /** Wire factor key. */
  key: string;
  prompts: string[];
  attributes: Record<string, string>;
}

/** An `/authn/v1` answer, before naming. */
export interface AuthnAnswer {
  correlationId: string;
  nonce: string;
  status: OaaStatus;
  code?: string;
  message?: string;
  /** Listed when present (an empty list too: `missing registration`). */
  challenges?: ChallengeEntry[];
  contextId?: string;
  /** The requested resource, on `authenticated` only. */
  resource?: string;
}

/** The `foreign` vocabulary: none of these is a documented status spelling. */
const FOREIGN_STATUS: Record<OaaStatus, string> = {
  authenticated: 'OK',
  'pending verification': 'AWAITING_ANSWER',
  'pending identification': 'CHOOSE_FACTOR',
  failed: 'REJECTED',
  error: 'FAULT',
  'missing registration': 'NO_FACTORS',
  'challenge blocked': 'LOCKED_OUT',
};

/** `pending verification` → `PENDING_VERIFICATION` (or the foreign word) when the switch says so. */
export function statusText(status: OaaStatus, style: OaaSwitches['statusStyle']): string {
  if (style === 'foreign') return FOREIGN_STATUS[status];
  return style === 'upper' ? status.toUpperCase().replace(/ /g, '_') : status;
}

/**
 * The answer in the naming the switches select (see {@link OaaSwitches.naming}); without any
 * status (object, code, message) when `omitStatus` is set.
 */
export function nameAnswer(answer: AuthnAnswer, switches: Pick<OaaSwitches, 'naming' | 'statusStyle'>, omitStatus = false): Record<string, unknown> {
  const status = omitStatus ? undefined : statusText(answer.status, switches.statusStyle);
  const code = omitStatus ? undefined : answer.code;
  const message = omitStatus ? undefined : answer.message;
  const optional = (fields: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (switches.naming === 'foreign') {
    return optional({
      sessionRef: answer.correlationId,
      nextNonce: answer.nonce,
      outcome: omitStatus ? undefined : optional({ state: status, reason: code, detail: message }),
      options: answer.challenges?.map((c) => ({ kind: c.key, texts: [...c.prompts], attrs: { ...c.attributes } })),
      ctx: answer.contextId === undefined ? undefined : { contextId: answer.contextId },
      target: answer.resource,
    });
  }
  if (switches.naming === 'legacy') {
    return optional({
      transactionId: answer.correlationId,
      nonce: answer.nonce,
      status,
      code,
      message,
      challenges: answer.challenges?.map((c) => ({ factorKey: c.key, prompts: [...c.prompts], attributes: { ...c.attributes } })),
      contextId: answer.contextId,
      resource: answer.resource,
    });
  }
  return optional({
    correlationId: answer.correlationId,
    nonce: answer.nonce,
    statusInfo: omitStatus ? undefined : optional({ status, code, message }),
    challengeInfo: answer.challenges?.map((c) => ({ challengeType: c.key, prompts: [...c.prompts], challengeAttrMap: { ...c.attributes } })),
    initContext: answer.contextId === undefined ? undefined : { contextId: answer.contextId },
    resource: answer.resource,
  });
}

/** JSON answer with the headers the runtime sends. */
export function oaaJson(body: unknown, status = 200, extra: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, no-store', pragma: 'no-cache', ...extra },
    body: JSON.stringify(body),
  };
}

/** `{responseCode, responseMessage}` with the given HTTP status. */
export function apiError(status: number, responseCode: string, responseMessage: string, extra: Record<string, string> = {}): HttpReply {
  return oaaJson({ responseCode, responseMessage }, status, extra);
}

/** HTTP 400 `{responseCode: 'OAA-400', responseMessage}` (oaa.md §6 working model). */
export function badRequest(message: string): HttpReply {
  return apiError(400, 'OAA-400', message);
}

/** Missing or wrong API key / Bearer token. */
export function unauthorized(): HttpReply {
  return apiError(401, '401', 'Unauthorized', { 'www-authenticate': 'Basic realm="oaa"' });
}

/** An nginx-style error page: OAA runs behind a Kubernetes ingress. */
export function ingressErrorPage(status: number, reason: string): string {
  const t = escapeHtml(`${status} ${reason}`);
  return `<html>\r\n<head><title>${t}</title></head>\r\n<body>\r\n<center><h1>${t}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

export const NOT_FOUND_PAGE = ingressErrorPage(404, 'Not Found');

/** The sign-in page a client gets when a proxy or a wrong URL sends it to the browser login. */
export const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Oracle Access Management</title></head>
<body><div id="signin"><h1>Sign In</h1><form method="post" action="/oam/server/auth_cred_submit">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign In</button></form></div></body></html>`;

/** The fake self-service enrolment page (`SpuiUrl`, `/oaa/rui`) that `missing registration` points users at. */
export function registrationPage(userId: string | null, factorKeys: readonly string[]): string {
  const hello = userId ? ` · signed in as <strong>${escapeHtml(userId)}</strong>` : '';
  const rows = factorKeys.map((k) => `<tr><td><code>${escapeHtml(k)}</code></td><td><button class="plain" type="button" disabled>Register</button></td></tr>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Oracle Advanced Authentication – My Authentication Factors</title><style>${CONTROL_PAGE_STYLE}
header{background:#3a2f28}button[disabled]{opacity:.5;cursor:default}</style></head>
<body><header><h1>My Authentication Factors</h1><p>Oracle Advanced Authentication self-service${hello}</p></header>
<main><section><h2>Register a challenge factor</h2>
<p>Register a factor to sign in with multi-factor authentication.</p>
<table><tr><th>Factor</th><th></th></tr>${rows}</table>
<p class="muted">OAA simulator: enrolment is not simulated; configure the user's factors in the simulator instead.</p>
</section></main></body></html>`;
}
