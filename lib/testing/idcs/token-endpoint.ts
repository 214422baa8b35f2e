/**
 * `POST /oauth2/v1/token`, HTTP Basic client authentication and a form body, as Oracle's
 * Postman collections call it (pl_* collections "Generate Access Token to Access Authn API",
 * "Get access token using ID Token"):
 * - `grant_type=client_credentials&scope=urn:opc:idm:__myscopes__`: the sign-in app's token;
 * - `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&scope=…&assertion=<authnToken>`: the
 *   user's token, `{access_token, token_type: "Bearer", expires_in: 7600}` (docs page
 *   "Generating Access Token Using Authentication API", Step 3).
 * Error bodies are RFC 6749 §5.2; UNVERIFIED: Oracle's `error_description` wording.
 */
import type { HttpReply } from '../shared/http.js';
import type { Ctx } from './context.js';
import { nameParts } from './users.js';
import { oauthReply } from './wire.js';

export const MY_SCOPES = 'urn:opc:idm:__myscopes__';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const error = (code: string, description: string, status = 400, extra: Record<string, string> = {}): HttpReply =>
  oauthReply({ error: code, error_description: description }, status, extra);

export function tokenEndpoint(ctx: Ctx, authorization: string | undefined, form: URLSearchParams): HttpReply {
  const client = basicCredentials(authorization) ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
  if (client.id !== ctx.client.clientId || client.secret !== ctx.client.clientSecret) {
    return error('invalid_client', 'Client authentication failed.', 401, { 'www-authenticate': 'Basic realm="identity"' });
  }
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials' && grant !== JWT_BEARER) return error('unsupported_grant_type', 'The grant type is not supported by this client.');
  // UNVERIFIED: the exact answer of an app without the "JWT Assertion" grant type.
  if (grant === JWT_BEARER && !ctx.switches.jwtAssertionGrant) {
    return error('unauthorized_client', `The client is not authorized to use the grant type ${JWT_BEARER}.`);
  }
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (!scopes.includes(MY_SCOPES)) return error('invalid_scope', `The requested scope is not valid; use ${MY_SCOPES}.`);
  if (grant === 'client_credentials') {
    const ttl = ctx.switches.accessTokenTtlSeconds;
    const token = ctx.accessTokens.issue({ kind: 'app' }, appClaims(ctx), ttl);
    return oauthReply({ access_token: token, token_type: 'Bearer', expires_in: ttl });
  }
  const assertion = form.get('assertion');
  if (!assertion) return error('invalid_request', 'The assertion parameter is missing.');
  const redeemed = ctx.authnTokens.redeem(assertion);
  if (redeemed === 'expired') return error('invalid_grant', 'The assertion has expired.');
  const user = redeemed === 'invalid' ? undefined : ctx.users.find((u) => u.username.toLowerCase() === redeemed.userKey);
  if (!user) return error('invalid_grant', 'The assertion is not valid.');
  const ttl = ctx.switches.userTokenTtlSeconds;
  const { givenName, familyName } = nameParts(user);
  const claims = { ...appClaims(ctx), sub: user.username, sub_type: 'user', user_displayname: user.displayName, user_given_name: givenName, user_family_name: familyName };
  const token = ctx.accessTokens.issue({ kind: 'user', userKey: user.username.toLowerCase() }, claims, ttl);
  return oauthReply({ access_token: token, token_type: 'Bearer', expires_in: ttl });
}

/** UNVERIFIED: the claims of Oracle's access tokens (clients treat them as opaque). */
function appClaims(ctx: Ctx): Record<string, unknown> {
  return { sub: ctx.client.clientId, sub_type: 'client', client_id: ctx.client.clientId, iss: `${ctx.url()}/`, aud: [ctx.url()], scope: MY_SCOPES, tenant: ctx.client.tenant };
}

/** `Authorization: Basic base64(id:secret)` (each part form-URL-encoded, RFC 6749 §2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
