/**
 * What the pieces of the authentication flow share (users, switches, stores), and the
 * few ways they answer: a challenge that continues the flow, a failure that allows a
 * retry, a failure that ends it, and the authnToken at the end.
 */
import type { CodeBook } from '../shared/codes.js';
import type { HttpReply } from '../shared/http.js';
import { type FailureCounter, findUserByName } from '../shared/lockout.js';
import { sixDigitCode } from '../shared/ids.js';
import type { Cause } from './causes.js';
import { type FactorDirectory, keyOf } from './factors.js';
import type { Flow, FlowStore, SentOtp } from './flows.js';
import type { RsaJwtSigner } from './jwt.js';
import type { AccessTokenStore, AuthnTokenStore, TrustTokenStore } from './tokens.js';
import type { IdcsSentCode, IdcsSimUser, IdcsSwitches } from './types.js';
import { type AuthBody, authReply, deadFailure, newEcId } from './wire.js';

/** One-time codes (SMS, e-mail) are valid this long (UNVERIFIED). */
export const CODE_LIFETIME_MS = 5 * 60_000;

/** The configured sign-in app. */
export interface ClientConfig {
  clientId: string;
  clientSecret: string;
  appName: string;
  tenant: string;
}

export interface Ctx {
  readonly users: readonly IdcsSimUser[];
  readonly client: ClientConfig;
  readonly switches: IdcsSwitches;
  readonly flows: FlowStore;
  readonly factors: FactorDirectory;
  readonly failures: FailureCounter;
  readonly inbox: CodeBook<IdcsSentCode['mechanism']>;
  readonly signer: RsaJwtSigner;
  readonly accessTokens: AccessTokenStore;
  readonly authnTokens: AuthnTokenStore;
  readonly trustTokens: TrustTokenStore;
  /** The simulator's base URL. */
  readonly url: () => string;
  /** expireCodes() generation. */
  codeGeneration: number;
  /** After MFA (or instead of it): enrollment, terms of use, the authnToken. Set by the engine. */
  proceed: (flow: Flow) => HttpReply;
}

export function findUser(ctx: Ctx, name: string): IdcsSimUser | undefined {
  return findUserByName(ctx.users, name);
}

/**
 * An answer that continues the flow: `status` and `ecId` first, then the fields, then a
 * fresh requestState. A `nextOp` among the fields becomes the operations accepted next.
 */
export function reply(ctx: Ctx, flow: Flow, status: 'success' | 'pending' | 'failed', fields: AuthBody, http = 200): HttpReply {
  if (Array.isArray(fields.nextOp)) flow.nextOp = fields.nextOp as string[];
  return authReply({ status, ecId: newEcId(), ...fields, requestState: ctx.flows.issue(flow) }, http);
}

/** A success that asks for something; remembered for the 422 answer to a missing `op`. */
export function challenge(ctx: Ctx, flow: Flow, fields: AuthBody): HttpReply {
  flow.challenge = fields;
  return reply(ctx, flow, 'success', fields);
}

/** `{status: "failed", ecId, cause, …fields, requestState}`: the client may try again. */
export function retry(ctx: Ctx, flow: Flow, http: number, cause: Cause, fields: AuthBody = {}): HttpReply {
  return reply(ctx, flow, 'failed', { cause: [cause], ...fields }, http);
}

/** A failure that ends the flow: no nextOp, no requestState. */
export function end(ctx: Ctx, flow: Flow, cause: Cause, http = 401): HttpReply {
  ctx.flows.drop(flow);
  return deadFailure(cause, http);
}

/**
 * `{authnToken, status: "success", ecId}` (+ `trustToken` when the user asked to trust the
 * device and the policy allows it): docs page "Generating Access Token…", Step 2; collection
 * "…Setting Trusted Device" responses.
 */
export function finish(ctx: Ctx, flow: Flow): HttpReply {
  // `createTokenLoop`: the answer of a verified enrollment (collection, Step 4 of each enrollment), again and again.
  if (ctx.switches.createTokenLoop) return challenge(ctx, flow, { nextOp: ['createToken', 'createSession', 'enrollment'] });
  const user = flow.user!;
  ctx.flows.drop(flow);
  ctx.failures.forget(keyOf(user));
  const authnToken = ctx.authnTokens.issue(keyOf(user));
  const trust = flow.mfaPerformed && flow.trustRequested && user.trustedDevice === true && trustDays(user) > 0;
  return authReply({
    authnToken,
    ...(trust ? { trustToken: ctx.trustTokens.issue(keyOf(user), trustDays(user)) } : {}),
    status: 'success',
    ecId: newEcId(),
  });
}

export function trustDays(user: IdcsSimUser): number {
  return user.trustDurationInDays ?? 15;
}

/** `trustedDeviceSettings` of factor steps, for users whose policy allows trusted devices. */
export function trustedDeviceSettings(user: IdcsSimUser): AuthBody {
  return user.trustedDevice ? { trustedDeviceSettings: { trustDurationInDays: trustDays(user) } } : {};
}

/** A new one-time code, recorded in the user's inbox. */
export function sendCode(ctx: Ctx, user: IdcsSimUser, channel: 'SMS' | 'EMAIL'): SentOtp {
  const code = { value: sixDigitCode(), sentAt: Date.now(), generation: ctx.codeGeneration };
  ctx.inbox.record(keyOf(user), { mechanism: channel, code: code.value, sentAt: code.sentAt });
  return code;
}

/** A typed code against a sent one (trimmed; expired codes never match). */
export function codeMatches(ctx: Ctx, sent: SentOtp | undefined, typed: unknown): boolean {
  if (!sent || sent.generation < ctx.codeGeneration || Date.now() - sent.sentAt > CODE_LIFETIME_MS) return false;
  return typeof typed === 'string' && typed.trim() === sent.value;
}

/** The second factor is proved: on to enrollment, terms of use or the authnToken. */
export function mfaPassed(ctx: Ctx, flow: Flow): HttpReply {
  flow.mfaDone = true;
  flow.mfaPerformed = true;
  flow.mfa.codes = {};
  flow.mfa.push = undefined;
  return ctx.proceed(flow);
}

/** Counts a failed attempt; true when the user is now locked out. */
export function countFailure(ctx: Ctx, user: IdcsSimUser): boolean {
  ctx.failures.add(keyOf(user));
  return ctx.failures.isLocked(keyOf(user));
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
