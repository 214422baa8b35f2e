/**
 * `GET /admin/v1/Me` with a user access token: the user's SCIM record, shaped like the docs
 * page's example (section "Generating Access Token Using Authentication API", Step 4 "Obtain
 * User Information"): note `meta.resourceType: "Me"` and `meta.location` under `/admin/v1/Me/`.
 */
import type { HttpReply } from '../shared/http.js';
import type { Ctx } from './context.js';
import { hexId } from './factors.js';
import type { IdcsSimUser } from './types.js';
import { nameParts } from './users.js';
import { scimError, scimReply } from './wire.js';

/** The stable SCIM `id` of a user (32 hex digits, like Oracle's). */
export function scimUserId(user: IdcsSimUser): string {
  return hexId(`idcs/user/${user.username.toLowerCase()}`);
}

function appRef(url: string, name: string): Record<string, string> {
  const value = hexId(`idcs/app/${name}`);
  return { type: 'App', display: name, value, $ref: `${url}/admin/v1/Apps/${value}` };
}

/** The record (`created` / `lastModified`: when the simulator started). */
export function scimUser(user: IdcsSimUser, url: string, createdAt: string): Record<string, unknown> {
  const id = scimUserId(user);
  const { givenName, familyName } = nameParts(user);
  return {
    idcsCreatedBy: appRef(url, 'idcssm'),
    id,
    meta: { created: createdAt, lastModified: createdAt, resourceType: 'Me', location: `${url}/admin/v1/Me/${id}` },
    active: true,
    displayName: user.displayName,
    idcsLastModifiedBy: appRef(url, 'idcssso'),
    userName: user.username,
    'urn:ietf:params:scim:schemas:oracle:idcs:extension:user:User': { isFederatedUser: false },
    emails: [
      { verified: false, primary: false, secondary: false, value: user.email, type: 'recovery' },
      { verified: false, primary: true, secondary: false, value: user.email, type: 'work' },
    ],
    'urn:ietf:params:scim:schemas:oracle:idcs:extension:userState:User': { locked: { on: false } },
    name: { formatted: `${givenName} ${familyName}`.trim(), familyName, givenName },
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:oracle:idcs:extension:user:User',
      'urn:ietf:params:scim:schemas:oracle:idcs:extension:userState:User',
    ],
  };
}

/**
 * The endpoint. UNVERIFIED: the answers to a token that is not a user's (app token, unknown,
 * expired: 401) and to an app without access to `Me` (`meEndpoint: false`: 403), and their wording.
 */
export function meEndpoint(ctx: Ctx, authorization: string | undefined, createdAt: string): HttpReply {
  const subject = ctx.accessTokens.subjectOf(authorization);
  if (!subject) return scimError(401, 'The access token is missing, not valid or expired.');
  if (subject.kind !== 'user') return scimError(401, 'The access token does not belong to a user.');
  if (!ctx.switches.meEndpoint) return scimError(403, 'The application is not authorized to access the Me endpoint.');
  const user = ctx.users.find((u) => u.username.toLowerCase() === subject.userKey);
  if (!user) return scimError(401, 'The access token does not belong to a user.');
  return scimReply(scimUser(user, ctx.url(), createdAt));
}
