/**
 * The second factor: the preferred factor's challenge right after the password, answers
 * (`credSubmit` with or without `authFactor`), `getBackupFactors`, device choice and
 * `resendCode`. Pushes are in push.ts.
 */
import type { HttpReply } from '../shared/http.js';
import { CAUSES, type Cause, deviceNotFound, factorNotEnabled, invalidValue, missingParameter } from './causes.js';
import { type Ctx, challenge, codeMatches, countFailure, end, mfaPassed as passed, obj, reply, retry, sendCode, str, trustedDeviceSettings } from './context.js';
import { backupObject, challengeObject } from './factor-wire.js';
import { type UserFactor, WIRE_ORDER } from './factors.js';
import type { Flow } from './flows.js';
import { pollPush, startPush } from './push.js';
import { verifyTotp } from './totp.js';
import type { IdcsFactor, IdcsSecurityQuestion } from './types.js';
import type { AuthBody } from './wire.js';

const FACTOR_NAMES: readonly string[] = ['USERNAME_PASSWORD', 'PUSH', 'TOTP', 'EMAIL', 'SMS', 'BYPASSCODE', 'SECURITY_QUESTIONS'];

/** The `nextOp` of a factor's challenge (collection: SMS/EMAIL add resendCode; TOTP, SECURITY_QUESTIONS and PUSH do not). */
function factorOps(factor: IdcsFactor): string[] {
  return factor === 'SMS' || factor === 'EMAIL' ? ['credSubmit', 'getBackupFactors', 'resendCode'] : ['credSubmit', 'getBackupFactors'];
}

/** The security question asked now. */
export function currentQuestion(flow: Flow, f: UserFactor): IdcsSecurityQuestion | undefined {
  const questions = f.questions ?? [];
  const q = questions.length ? questions[flow.mfa.questionIndex % questions.length] : undefined;
  if (q) flow.mfa.asked.add(q.questionId);
  return q;
}

/**
 * Right after the password: the preferred factor (collection "…Set as the Default Method",
 * Step 2 of each factor). An SMS or e-mail code is sent at once; a push too (pending, AUTH-1108).
 */
export function offerPreferred(ctx: Ctx, flow: Flow, f: UserFactor): HttpReply {
  flow.step = 'mfa';
  flow.mfa.active = f.factor;
  if (f.factor === 'PUSH') return startPush(ctx, flow, f, { listFactor: true });
  if (f.factor === 'SMS' || f.factor === 'EMAIL') flow.mfa.codes[f.factor] = sendCode(ctx, flow.user!, f.factor);
  const displayed = f.factor === 'SECURITY_QUESTIONS' || f.factor === 'BYPASSCODE' ? {} : { displayName: f.displayName };
  return challenge(ctx, flow, {
    ...displayed,
    nextAuthFactors: [f.factor],
    [f.factor]: challengeObject(f, currentQuestion(flow, f)),
    nextOp: factorOps(f.factor),
    ...trustedDeviceSettings(flow.user!),
  });
}

/**
 * `getBackupFactors`: every enrolled factor with its devices (collection "…Get Backup Factors",
 * Step 3). Nothing is sent; the client picks with `authFactor` (+ `deviceId`).
 */
export function backupFactors(ctx: Ctx, flow: Flow): HttpReply {
  const user = flow.user!;
  const preferred = ctx.factors.preferred(user)?.factor;
  const list = listed(ctx, flow);
  flow.mfa.backupsListed = true;
  // UNVERIFIED: asking for the other factors withdraws a waiting push; choosing the PUSH device
  // then sends a new one (collection "…Provide Device ID to Authenticate": pending with displayName).
  flow.mfa.push = undefined;
  const fields: AuthBody = { nextAuthFactors: list.map((f) => f.factor) };
  for (const f of list) fields[f.factor] = backupObject(f, f.factor === preferred, f.factor === 'SECURITY_QUESTIONS' ? currentQuestion(flow, f) : undefined);
  return challenge(ctx, flow, { ...fields, nextOp: ['credSubmit', 'getBackupFactors'], ...trustedDeviceSettings(user) });
}

/** `resendCode` during sign-in: a new code, `nextAuthFactors` at the end (collection "Email Factor Authentication - Resend OTP"). */
export function resendCode(ctx: Ctx, flow: Flow): HttpReply {
  const factor = flow.mfa.active;
  if (factor !== 'SMS' && factor !== 'EMAIL') return retry(ctx, flow, 400, factorNotEnabled(String(factor)));
  flow.mfa.codes[factor] = sendCode(ctx, flow.user!, factor);
  return challenge(ctx, flow, { [factor]: { credentials: ['otpCode'] }, nextOp: factorOps(factor), nextAuthFactors: [factor] });
}

/** `credSubmit` in the MFA step. Without `authFactor` it answers the active factor (Oracle's examples omit it after the preferred challenge). */
export function submitFactor(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  const user = flow.user!;
  const given = body.authFactor;
  if (given !== undefined && (typeof given !== 'string' || !FACTOR_NAMES.includes(given))) {
    return retry(ctx, flow, 400, invalidValue('authFactor', given, FACTOR_NAMES));
  }
  const name = str(given) || flow.mfa.active;
  if (!name) return retry(ctx, flow, 400, missingParameter('authFactor'));
  const f = ctx.factors.find(user, name);
  if (!f) return retry(ctx, flow, 400, factorNotEnabled(name));
  const credentials = obj(body.credentials);
  if (credentials.deviceId !== undefined && credentials.deviceId !== f.deviceId) return retry(ctx, flow, 400, deviceNotFound(String(credentials.deviceId)));
  if (body.trustedDevice !== undefined) flow.trustRequested = body.trustedDevice === true;
  // Collection "Setting the Default Factor Method": `credentials.preferred: true` makes this factor the default.
  if (credentials.preferred === true) ctx.factors.setPreferred(user, f.factor);
  switch (f.factor) {
    case 'PUSH':
      return pollPush(ctx, flow, f);
    case 'SMS':
    case 'EMAIL':
      if (credentials.otpCode === undefined) return chooseDevice(ctx, flow, f);
      flow.mfa.active = f.factor;
      return codeMatches(ctx, flow.mfa.codes[f.factor], credentials.otpCode) ? passed(ctx, flow) : failed(ctx, flow, f, CAUSES.invalidPasscode);
    case 'TOTP':
      flow.mfa.active = 'TOTP';
      if (credentials.otpCode === undefined) return chooseDevice(ctx, flow, f);
      return verifyTotp(f.secret ?? '', credentials.otpCode) ? passed(ctx, flow) : failed(ctx, flow, f, CAUSES.invalidPasscode);
    case 'BYPASSCODE':
      flow.mfa.active = 'BYPASSCODE';
      return typeof credentials.bypassCode === 'string' && credentials.bypassCode.trim() === user.bypassCode
        ? passed(ctx, flow)
        : failed(ctx, flow, f, CAUSES.invalidPasscode);
    case 'SECURITY_QUESTIONS':
      flow.mfa.active = 'SECURITY_QUESTIONS';
      return answersMatch(flow, f, credentials.questions) ? passed(ctx, flow) : failed(ctx, flow, f, CAUSES.wrongAnswer, true);
  }
}

/**
 * A device chosen from the backup list (`credentials: {deviceId}` only): the code is sent and
 * the factor's object comes back with `displayName`, WITHOUT `nextAuthFactors` (collection
 * "…Provide the DeviceID to Obtain Factor Credentials"). UNVERIFIED for TOTP (no example: the
 * app needs nothing sent).
 */
function chooseDevice(ctx: Ctx, flow: Flow, f: UserFactor): HttpReply {
  flow.mfa.active = f.factor;
  if (f.factor === 'SMS' || f.factor === 'EMAIL') flow.mfa.codes[f.factor] = sendCode(ctx, flow.user!, f.factor);
  return challenge(ctx, flow, {
    displayName: f.displayName,
    [f.factor]: { credentials: ['otpCode'] },
    nextOp: factorOps(f.factor),
    ...trustedDeviceSettings(flow.user!),
  });
}

/** An answer to one of the questions asked in this flow (Oracle's sample client may answer the one it showed first). */
function answersMatch(flow: Flow, f: UserFactor, given: unknown): boolean {
  if (!Array.isArray(given)) return false;
  return given.some((item) => {
    const { questionId, answer } = obj(item);
    const q = (f.questions ?? []).find((x) => x.questionId === questionId);
    return q !== undefined && flow.mfa.asked.has(q.questionId) && typeof answer === 'string' && answer.trim().toLowerCase() === q.answer.trim().toLowerCase();
  });
}

/** Factors a failure or backup listing shows, in Oracle's order. */
function listed(ctx: Ctx, flow: Flow): UserFactor[] {
  const all = ctx.factors.factorsOf(flow.user!);
  return WIRE_ORDER.flatMap((name) => all.filter((f) => f.factor === name));
}

/**
 * HTTP 401 with the factor object, `nextOp`, `nextAuthFactors` and a fresh requestState
 * (collection "Error Example: MFA Authentication Failure": SMS with `displayName`). After
 * `getBackupFactors` the failure lists the user's factors like the collection's TOTP / bypass /
 * security-question failure examples (UNVERIFIED which ones: here all but PUSH). A wrong answer
 * moves on to the user's next question. At the lockout threshold: AUTH-1028, the flow ends.
 */
export function failed(ctx: Ctx, flow: Flow, f: UserFactor, cause: Cause, nextQuestion = false): HttpReply {
  if (countFailure(ctx, flow.user!)) return end(ctx, flow, CAUSES.mfaLocked);
  if (nextQuestion) flow.mfa.questionIndex += 1;
  const user = flow.user!;
  if (!flow.mfa.backupsListed) {
    return retry(ctx, flow, 401, cause, {
      [f.factor]: challengeObject(f, currentQuestion(flow, f)),
      nextOp: factorOps(f.factor),
      nextAuthFactors: [f.factor],
      ...trustedDeviceSettings(user),
      ...(f.factor === 'SECURITY_QUESTIONS' || f.factor === 'BYPASSCODE' ? {} : { displayName: f.displayName }),
    });
  }
  const list = listed(ctx, flow).filter((x) => x.factor !== 'PUSH');
  const fields: AuthBody = {};
  for (const x of list) fields[x.factor] = challengeObject(x, x.factor === 'SECURITY_QUESTIONS' ? currentQuestion(flow, x) : undefined);
  return reply(ctx, flow, 'failed', {
    cause: [cause],
    ...fields,
    nextOp: ['credSubmit', 'getBackupFactors'],
    nextAuthFactors: list.map((x) => x.factor),
    ...trustedDeviceSettings(user),
  }, 401);
}
