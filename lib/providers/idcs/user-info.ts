/**
 * Who logged in. Oracle's authnTokens name no user (their example payloads hold `session`,
 * `iss: "authsdk"`, `exp`, `iat` and `tenant` only), so the profile comes the way the docs page's
 * use case "Generating Access Token Using Authentication API" shows: exchange the authnToken for
 * a user access token (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`,
 * `assertion=<authnToken>`; token endpoint and client authentication as in Oracle's Postman
 * collections), then read the user's SCIM record at `GET /admin/v1/Me`.
 */
import { MultiStepError } from '../../errors.js';
import type { UpstreamClient } from '../../http/upstream-client.js';
import { parseJsonBody } from '../../http/upstream-client.js';
import type { Logger } from '../../log.js';
import type { Profile, UpstreamTokens } from '../../provider.js';
import { requestToken, type ClientCredentials } from './token-endpoint.js';
import { isObject, str, type WireObject } from './wire.js';

export const jwtBearerGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface UserInfoSettings {
  client: ClientCredentials;
  meUrl: URL;
  /** Scope of the user token. */
  scope: string;
}

function configuration(hint: string): MultiStepError {
  return new MultiStepError('CONFIGURATION', { message: hint });
}

/** The user's access token for an authnToken. */
async function userToken(http: UpstreamClient, settings: UserInfoSettings, authnToken: string, log: Logger): Promise<UpstreamTokens & { accessToken: string }> {
  const answer = await requestToken(http, settings.client, { grant_type: jwtBearerGrant, scope: settings.scope, assertion: authnToken });
  if (answer.ok) {
    return { accessToken: answer.accessToken, ...(answer.tokenType ? { tokenType: answer.tokenType } : {}), ...(answer.expiresIn ? { expiresIn: answer.expiresIn } : {}) };
  }
  log('user token refused', { status: answer.status, error: answer.error ?? null });
  switch (answer.error) {
    case 'invalid_grant':
      // The authnToken lives about 30 seconds (Oracle's examples: exp = iat + 29): start again.
      throw new MultiStepError('LOGIN_NOT_COMPLETED', { details: { restart: true } });
    case 'unauthorized_client':
    case 'unsupported_grant_type':
    case 'invalid_client':
      throw configuration(`IDCS refused the JWT assertion grant (${answer.error}): enable the "JWT Assertion" grant type on the confidential app (Client configuration → Allowed grant types).`);
    case 'invalid_scope':
      throw configuration(`IDCS refused the scope "${settings.scope}" for the user token (invalid_scope): allow it for the app, or set \`userTokenScope\`.`);
    default:
      throw new MultiStepError(answer.status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_BAD_RESPONSE');
  }
}

/** The SCIM record of the user the token belongs to. */
async function me(http: UpstreamClient, settings: UserInfoSettings, accessToken: string, log: Logger): Promise<WireObject> {
  const response = await http.request({ method: 'GET', url: settings.meUrl, headers: { authorization: `Bearer ${accessToken}`, accept: 'application/scim+json, application/json' } });
  if (response.status === 401 || response.status === 403) {
    log('user record refused', { status: response.status });
    // UNVERIFIED: which app role Oracle requires for /admin/v1/Me with a user token ("Me" per the App Roles docs).
    throw configuration(`IDCS refused GET /admin/v1/Me (HTTP ${response.status}): give the confidential app access to the user's own record (the "Me" app role, or a scope that includes it).`);
  }
  if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
  const body = parseJsonBody(response);
  if (response.status !== 200 || !isObject(body) || !str(body.id) || !str(body.userName)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  return body;
}

/** Fields of the SCIM record that are about the record rather than the person, or that must not travel. */
const withheld = new Set(['password', 'meta', 'schemas', 'urn:ietf:params:scim:schemas:oracle:idcs:extension:userCredentials:User']);

/** SCIM User → Passport profile (`id`, `username`, `displayName`, `name`, `emails`). */
export function toProfile(record: WireObject): Profile {
  const profile: Profile = {
    provider: 'idcs',
    id: str(record.id)!,
    username: str(record.userName)!,
    _json: Object.fromEntries(Object.entries(record).filter(([key]) => !withheld.has(key))),
  };
  const name = isObject(record.name) ? record.name : undefined;
  const parts = { familyName: str(name?.familyName), givenName: str(name?.givenName), middleName: str(name?.middleName) };
  if (parts.familyName || parts.givenName || parts.middleName) {
    profile.name = Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined));
  }
  const displayName = str(record.displayName) ?? str(name?.formatted) ?? ([parts.givenName, parts.familyName].filter(Boolean).join(' ') || undefined);
  if (displayName) profile.displayName = displayName;
  const emails = Array.isArray(record.emails) ? record.emails.filter(isObject).flatMap((e) => {
    const value = str(e.value);
    if (!value) return [];
    return [{ value, ...(str(e.type) ? { type: str(e.type) } : {}), ...(typeof e.primary === 'boolean' ? { primary: e.primary } : {}) }];
  }) : [];
  // Primary first, as Passport apps usually read emails[0].
  emails.sort((a, b) => Number(b.primary === true) - Number(a.primary === true));
  if (emails.length > 0) profile.emails = emails;
  return profile;
}

/** authnToken → the user's token and profile. */
export async function fetchUser(http: UpstreamClient, settings: UserInfoSettings, authnToken: string, log: Logger): Promise<{ profile: Profile; tokens: UpstreamTokens }> {
  const tokens = await userToken(http, settings, authnToken, log);
  const record = await me(http, settings, tokens.accessToken, log);
  return { profile: toProfile(record), tokens: { ...tokens, authnToken } };
}
