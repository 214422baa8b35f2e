/**
 * The start of a sign-in: the `GET` and the user name / password `credSubmit`.
 */
import type { HttpReply } from '../shared/http.js';
import { CAUSES, invalidValue, missingParameter } from './causes.js';
import { type Ctx, challenge, countFailure, end, findUser, obj, reply, retry, str } from './context.js';
import { hexId, keyOf } from './factors.js';
import type { Flow } from './flows.js';
import type { IdcsSimUser } from './types.js';
import { type AuthBody, authReply, newEcId } from './wire.js';

const USERNAME_PASSWORD = { credentials: ['username', 'password'] };

/**
 * Identity providers of the `socialIdps` switch: Google as in the collection's Step 1 responses,
 * and a SAML one as on the docs page ("Authenticating with an External SAML Identity Provider",
 * Step 1, which shows it without `idpId`; UNVERIFIED: the simulator gives it one, since
 * the next step needs it).
 */
function configuredIdps(): AuthBody[] {
  return [
    { idpId: hexId('idcs/idp/google'), idpName: 'Google', idpType: 'Social' },
    { idpId: hexId('idcs/idp/saml'), idpName: 'ExampleSAML', idpType: 'Saml' },
  ];
}

/** The first answer's fields: docs page "Generating Access Token…", Step 1 (or, with social IdPs, the collection's Step 1 responses). */
function firstChallenge(ctx: Ctx): AuthBody {
  if (ctx.switches.socialIdps) {
    return {
      nextOp: ['credSubmit', 'chooseIDP'],
      nextAuthFactors: ['USERNAME_PASSWORD', 'IDP'],
      USERNAME_PASSWORD,
      IDP: { configuredIDPs: configuredIdps(), credentials: ['idpId', 'idpType'] },
    };
  }
  return { nextOp: ['credSubmit'], nextAuthFactors: ['USERNAME_PASSWORD'], USERNAME_PASSWORD };
}

/** `GET /sso/v1/sdk/authenticate?appName=…`: a new flow (`appName` is optional, per the docs page). */
export function begin(ctx: Ctx, appName: string | null): HttpReply {
  if (appName !== null && appName.toLowerCase() !== ctx.client.appName.toLowerCase()) {
    // UNVERIFIED: the HTTP status.
    return authReply({ status: 'failed', ecId: newEcId(), cause: [CAUSES.invalidAppName] }, 400);
  }
  const flow = ctx.flows.create();
  if (ctx.switches.usernameFirst) {
    // UNVERIFIED: the shape; Oracle's sample client (idcsAuthnSDK.js initAuthentication) looks for nextAuthFactors "USERNAME".
    flow.step = 'username';
    return challenge(ctx, flow, { nextOp: ['credSubmit'], nextAuthFactors: ['USERNAME'], USERNAME: { credentials: ['username'] } });
  }
  return challenge(ctx, flow, firstChallenge(ctx));
}

/** User name first (UNVERIFIED exchange): remember the name, ask for the password. Unknown names are not revealed. */
export function submitUsername(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  const factor = str(body.authFactor);
  if (factor && factor !== 'USERNAME') return retry(ctx, flow, 400, invalidValue('authFactor', factor, ['USERNAME']));
  const username = str(obj(body.credentials).username).trim();
  if (!username) return retry(ctx, flow, 400, missingParameter('username'));
  flow.identified = username;
  flow.step = 'password';
  return challenge(ctx, flow, firstChallenge(ctx));
}

/** Docs page "Authenticating with User Name and Password", Step 2 (and its error example). */
export function submitPassword(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  const factor = str(body.authFactor);
  if (factor && factor !== 'USERNAME_PASSWORD') return retry(ctx, flow, 400, invalidValue('authFactor', factor, ['USERNAME_PASSWORD']));
  const credentials = obj(body.credentials);
  const name = str(credentials.username).trim() || flow.identified || '';
  const user = findUser(ctx, name);
  if (flow.identified !== undefined && user !== findUser(ctx, flow.identified)) return wrongPassword(ctx, flow, undefined);
  const password = credentials.password;
  if (typeof password !== 'string' || password === '') return retry(ctx, flow, 400, missingParameter('password'));
  // UNVERIFIED: a locked account answers AUTH-3002 whatever the password.
  if (user && (user.locked || ctx.failures.isLocked(keyOf(user)))) return end(ctx, flow, CAUSES.locked);
  if (!user || password !== user.password) return wrongPassword(ctx, flow, user);
  if (user.passwordExpired) return end(ctx, flow, CAUSES.passwordExpired);
  if (user.mustChangePassword) return end(ctx, flow, CAUSES.mustChangePassword);
  flow.user = user;
  // UNVERIFIED: a trust token kept from an earlier login, sent as a top-level `trustToken`, skips MFA.
  if (ctx.trustTokens.isValidFor(body.trustToken, keyOf(user))) flow.mfaDone = true;
  return ctx.proceed(flow);
}

/**
 * HTTP 401 AUTH-3001 with a fresh requestState and no nextOp (docs page, Step 2 error example;
 * collection "Authentication Without MFA" Step 2); with `passwordFailureNextOp`, the
 * account-recovery example's variant that repeats the password challenge. At the lockout
 * threshold: AUTH-3002 and the flow ends.
 */
function wrongPassword(ctx: Ctx, flow: Flow, user: IdcsSimUser | undefined): HttpReply {
  if (user && countFailure(ctx, user)) return end(ctx, flow, CAUSES.locked);
  const fields: AuthBody = ctx.switches.passwordFailureNextOp ? { ...flow.challenge } : {};
  return reply(ctx, flow, 'failed', { cause: [CAUSES.wrongPassword], ...fields }, 401);
}
