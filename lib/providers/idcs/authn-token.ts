/**
 * The final authnToken → Passport profile. The token arrives straight from IDCS over the
 * authenticated API connection, so its origin is the connection's; its claims are still
 * checked for shape and lifetime before anyone is logged in with them.
 */
import { MultiStepError } from '../../errors.js';
import type { Profile } from '../../provider.js';
import { isObject, type WireObject } from './wire.js';

/** Tolerated clock difference with IDCS. */
const skewSeconds = 60;

export function readClaims(token: string, now = Date.now()): WireObject {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  }
  if (!isObject(claims) || typeof claims.sub !== 'string' || claims.sub.length === 0) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + skewSeconds < seconds) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  if (typeof claims.iat === 'number' && claims.iat - skewSeconds > seconds) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  return claims;
}

export function toProfile(claims: WireObject, displayName: string | undefined): Profile {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const username = claims.sub as string;
  const profile: Profile = {
    provider: 'idcs',
    id: str(claims.user_id) ?? str(claims.sub_id) ?? username,
    username,
    _json: Object.fromEntries(Object.entries(claims).filter(([key]) => !['jti', 'nonce'].includes(key))),
  };
  const name = displayName ?? str(claims.user_displayname);
  if (name) profile.displayName = name;
  const email = str(claims.user_email) ?? str(claims.email);
  if (email) profile.emails = [{ value: email }];
  return profile;
}
