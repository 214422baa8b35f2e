/**
 * The profile from the verified ID token's claims (AWS: "Understanding the identity (ID)
 * token"): `sub` (the user's stable id), `cognito:username` (the internal user name; the e-mail
 * or phone a user signs in with may be an alias), the OpenID standard claims the app client may
 * read (`email`, `name`, `given_name`, `family_name`, `middle_name`, `preferred_username`), custom
 * attributes (`custom:…`) and `cognito:groups`. Token bookkeeping claims are left out of `_json`.
 */
import type { JWTPayload } from 'jose';
import type { JsonObject, Profile } from '../../provider.js';

const bookkeeping = new Set(['aud', 'iss', 'exp', 'iat', 'nbf', 'jti', 'auth_time', 'token_use', 'event_id', 'origin_jti', 'at_hash', 'nonce']);

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export function profileFromClaims(claims: JWTPayload, provider: string): Profile {
  const sub = text(claims.sub)!;
  const username = text(claims['cognito:username']) ?? sub;
  const given = text(claims.given_name);
  const family = text(claims.family_name);
  const middle = text(claims.middle_name);
  const email = text(claims.email);
  const displayName = text(claims.name) ?? ([given, family].filter(Boolean).join(' ') || undefined) ?? text(claims.preferred_username) ?? email ?? username;
  const _json: JsonObject = {};
  for (const [key, value] of Object.entries(claims)) if (!bookkeeping.has(key)) _json[key] = value;
  return {
    provider,
    id: sub,
    username,
    displayName,
    ...(given || family || middle ? { name: { ...(family ? { familyName: family } : {}), ...(given ? { givenName: given } : {}), ...(middle ? { middleName: middle } : {}) } } : {}),
    ...(email ? { emails: [{ value: email, primary: true }] } : {}),
    _json,
  };
}
