/**
 * IDCS / OCI IAM identity domain checks, the two calls every login begins with and neither
 * of which names a user: the sign-in app's client-credentials token
 * (`POST {url}/oauth2/v1/token`, HTTP Basic client id and secret) and the first
 * Authenticate API call with it (`GET {url}/sso/v1/sdk/authenticate?appName=…`), which
 * answers the sign-on policy's first step and a requestState that simply expires unused.
 * The token, the secret and the requestState are never reported.
 */
import type { IdcsOptions } from '../providers/idcs/provider.js';
import { oneLine } from './one-line.js';
import type { CheckContext } from './context.js';
import { jsonBody, mediaType, probe, type ProbeOutcome } from './probe.js';
import { failed, passed, skipped, type CheckResult } from './result.js';

/** What the IDCS checks need: the provider's own options (the rest of IdcsOptions is ignored). */
export type IdcsCheckOptions = Pick<IdcsOptions, 'url' | 'clientId' | 'clientSecret' | 'appName' | 'scope'>;

const myScopes = 'urn:opc:idm:__myscopes__';
const token = { id: 'idcs.token', title: 'Client credentials token' } as const;
const authenticate = { id: 'idcs.authenticate', title: 'Authenticate API' } as const;
const domainUrl = 'The URL must be the identity domain URL itself, e.g. https://idcs-0123456789abcdef.identity.oraclecloud.com (no console or sign-in page path).';

export async function checkIdcs(ctx: CheckContext, options: IdcsCheckOptions): Promise<CheckResult[]> {
  const issued = await tokenCheck(ctx, options);
  if (!issued.accessToken) return [issued.result, skipped(authenticate.id, authenticate.title, 'not checked: needs the client credentials token')];
  return [issued.result, await authenticateCheck(ctx, options, issued.accessToken)];
}

async function tokenCheck(ctx: CheckContext, options: IdcsCheckOptions): Promise<{ result: CheckResult; accessToken?: string }> {
  const { id, title } = token;
  const scope = options.scope ?? myScopes;
  // RFC 6749 §2.3.1, as the provider sends it: form-encode the id and secret before joining them.
  const basic = Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64');
  const outcome = await probe(ctx, {
    method: 'POST', url: new URL('oauth2/v1/token', ctx.base), headers: { authorization: `Basic ${basic}` },
    form: { grant_type: 'client_credentials', scope },
  });
  if (!outcome.ok) return { result: failed(id, title, outcome.failure.summary, outcome.failure.next, { ms: outcome.ms }) };
  const { status } = outcome.response;
  const body = object(jsonBody(outcome.response));
  const ms = { ms: outcome.ms };
  if (!body) return { result: unexpected(id, title, outcome, 'token endpoint') };
  const accessToken = typeof body.access_token === 'string' && body.access_token ? body.access_token : undefined;
  if (status === 200 && accessToken) {
    const expires = typeof body.expires_in === 'number' ? `, expires in ${body.expires_in} s` : '';
    return { accessToken, result: passed(id, title, `issued to client ${quote(options.clientId)} (scope ${scope}${expires})`, ms) };
  }
  const error = typeof body.error === 'string' && /^[a-z_]{1,64}$/.test(body.error) ? body.error : undefined;
  const seen = `(${error ?? 'no error code'}, HTTP ${status})`;
  switch (error) {
    case 'invalid_client':
      return { result: failed(id, title, `IDCS refused the client id or secret ${seen}`,
        'Check the client id (--client-id) and secret (IDCS_CLIENT_SECRET) against the confidential app\'s OAuth configuration; regenerate the secret if unsure, and make sure the app is activated.', ms) };
    case 'unauthorized_client':
    case 'unsupported_grant_type':
      return { result: failed(id, title, `the app may not use the Client Credentials grant ${seen}`,
        'In the confidential app\'s OAuth client configuration, allow the grant type Client Credentials (and JWT Assertion, for the user token at the end of a login), save, and activate the app.', ms) };
    case 'invalid_scope':
      return { result: failed(id, title, `IDCS refused the scope ${scope} ${seen}`,
        `Give the confidential app the Signin app role${options.scope ? `, or correct the \`scope\` option (default ${myScopes})` : ''}.`, ms) };
    default:
      return { result: failed(id, title, `IDCS issued no token ${seen}`, 'Look the request up in the identity domain\'s audit events for this client.', ms) };
  }
}

async function authenticateCheck(ctx: CheckContext, options: IdcsCheckOptions, accessToken: string): Promise<CheckResult> {
  const { id, title } = authenticate;
  const url = new URL('sso/v1/sdk/authenticate', ctx.base);
  if (options.appName) url.searchParams.set('appName', options.appName);
  const outcome = await probe(ctx, { method: 'GET', url, headers: { authorization: `Bearer ${accessToken}` } });
  if (!outcome.ok) return failed(id, title, outcome.failure.summary, outcome.failure.next, { ms: outcome.ms });
  const { status } = outcome.response;
  const ms = { ms: outcome.ms };
  const body = object(jsonBody(outcome.response));
  if (!body) {
    if (status === 401) {
      return failed(id, title, `the Authenticate API refused the app's fresh token (HTTP 401, ${mediaType(outcome.response)})`,
        'Give the confidential app the Signin app role (it lets the app call /sso/v1/sdk/authenticate), then activate the app again.', ms);
    }
    return unexpected(id, title, outcome, 'Authenticate API');
  }
  const cause = Array.isArray(body.cause) ? object(body.cause[0]) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const app = options.appName ? `app ${quote(options.appName)}` : 'no appName';
  if (code === 'AUTH-1118') {
    return failed(id, title, `IDCS does not know the app name ${quote(options.appName ?? '')} (AUTH-1118, HTTP ${status})`,
      'The app name (--app-name, `appName`) must be the display name of the app whose sign-on policy applies, exactly as the identity domain lists it under Applications; leave it out to use the default sign-on policy.', ms);
  }
  if (status >= 400 || body.status === 'failed' || code) {
    const message = typeof cause?.message === 'string' ? `: ${oneLine(cause.message)}` : '';
    return failed(id, title, `IDCS refused the first call for ${app} (${code ?? 'no code'}, HTTP ${status})${message}`,
      'Look the code up in Oracle\'s "Authentication API Error Codes"; check the app name and the app roles of the confidential app.', ms);
  }
  if (typeof body.requestState !== 'string' || !body.requestState) {
    return failed(id, title, `IDCS answered HTTP ${status} without a requestState`, `Unexpected for an identity domain. ${domainUrl}`, ms);
  }
  const factors = strings(body.nextAuthFactors);
  const first = factors.length > 0 ? `; first step: ${factors.join(', ')}` : '';
  return passed(id, title, `answered with a requestState for ${app}${options.appName ? '' : ' (default sign-on policy)'}${first}`, ms);
}

/** HTML, other non-JSON or a JSON non-object: the URL or something in front of it is wrong. */
function unexpected(id: string, title: string, outcome: Extract<ProbeOutcome, { ok: true }>, what: string): CheckResult {
  const { status } = outcome.response;
  const seen = `HTTP ${status}, ${mediaType(outcome.response)}`;
  const ms = { ms: outcome.ms };
  if (status >= 500) return failed(id, title, `the ${what} failed (${seen})`, 'The identity domain, or a proxy in front of it, is failing: try again later.', ms);
  if (status === 404) return failed(id, title, `no ${what} at this URL (${seen})`, domainUrl, ms);
  return failed(id, title, `the ${what} answered with something other than JSON (${seen})`, `A portal, proxy or login page answered instead. ${domainUrl}`, ms);
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function quote(text: string): string {
  return JSON.stringify(text);
}
