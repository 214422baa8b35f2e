/** The LoginSuccess result → Passport profile and tokens (cyberark.md §2.6, §5). */
import { MultiStepError } from '../../errors.js';
import type { JsonObject, Profile, UpstreamTokens } from '../../provider.js';
import { field, numberField, objectField, stringField, type WireObject } from './wire.js';

/** The user fields copied into `profile._json`: an allowlist, so no credential field (known or future) lands in a session. */
const profileFields = ['UserId', 'User', 'DisplayName', 'EmailAddress', 'CustomerID', 'SystemID', 'UserDirectory', 'SourceDsType', 'AuthLevel', 'PodFqdn'];

export function toProfile(result: WireObject): Profile {
  const username = stringField(result, 'User');
  const id = stringField(result, 'UserId') ?? username;
  if (!id || !username) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const json: JsonObject = {};
  for (const key of profileFields) {
    const value = field(result, key);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') json[key] = value;
  }
  const profile: Profile = { provider: 'cyberark', id, username, _json: json };
  const displayName = stringField(result, 'DisplayName');
  if (displayName) profile.displayName = displayName;
  const email = stringField(result, 'EmailAddress');
  if (email) profile.emails = [{ value: email }];
  return profile;
}

export function toTokens(result: WireObject): UpstreamTokens {
  const oauth = objectField(result, 'OAuthTokens'); // Delinea returns OAuth tokens instead of Token
  const tokens: UpstreamTokens = {};
  const accessToken = stringField(result, 'Token') ?? stringField(oauth, 'access_token');
  const refreshToken = stringField(result, 'RefreshToken') ?? stringField(oauth, 'refresh_token');
  const idToken = stringField(oauth, 'id_token');
  const auth = stringField(result, 'Auth');
  const expiresIn = numberField(result, 'TokenLifetime') ?? numberField(oauth, 'expires_in');
  if (accessToken) tokens.accessToken = accessToken;
  if (refreshToken) tokens.refreshToken = refreshToken;
  if (idToken) tokens.idToken = idToken;
  if (auth) tokens.auth = auth; // the .ASPXAUTH value, also accepted as a Bearer token
  if (expiresIn !== undefined) tokens.expiresIn = expiresIn;
  return tokens;
}
