/**
 * Enrolling a factor during sign-in (`op: "enrollment"`), as in the collection's folder
 * "Authentication Using User Name/Password + MFA Enrollment" and the docs page section
 * "Authenticating with User Name and Password and Enrolling in MFA".
 */
import { randomUUID } from 'node:crypto';
import type { HttpReply } from '../shared/http.js';
import { CAUSES, deviceNotFound, factorNotEnabled, invalidPhone, invalidValue, missingParameter, opNotSupported } from './causes.js';
import { type Ctx, challenge, codeMatches, obj, reply, retry, sendCode, str } from './context.js';
import { hexId, maskEmail, maskPhone, phoneName } from './factors.js';
import type { Enrolling, Flow } from './flows.js';
import { SECURITY_QUESTION_CATALOGUE, SEC_QUES_SETTINGS, chosenQuestions } from './questions.js';
import { offlineTotpQr, omaQr } from './qr-codes.js';
import { newTotpSecret, verifyTotp } from './totp.js';
import type { IdcsEnrollableFactor } from './types.js';
import type { AuthBody } from './wire.js';

/** What the enrollment offer lists, in Oracle's order (Step 2 of each enrollment example; no BYPASSCODE, per the docs page). */
export const ENROLLABLE: readonly IdcsEnrollableFactor[] = ['PUSH', 'TOTP', 'SMS', 'EMAIL', 'SECURITY_QUESTIONS'];

const ENROLLED_OPS = ['createToken', 'createSession', 'enrollment'];

/** Enrollment is required and nothing was enrolled yet: the only way on is `enrollment`. */
function mustEnroll(flow: Flow): boolean {
  return flow.enroll !== undefined && flow.enroll.required && flow.enroll.done === 0;
}

/** `nextOp` while a factor is being enrolled: optional (collection "Enroll in More Than One Factor") or required ("EMAIL Enrollment", Step 3). */
function verifyOps(flow: Flow, resend: boolean): string[] {
  const more = resend ? ['resendCode'] : [];
  return mustEnroll(flow) ? ['credSubmit', ...more, 'enrollment'] : ['credSubmit', 'createToken', 'createSession', ...more, 'enrollment'];
}

function mfaSettings(flow: Flow): AuthBody {
  return { mfaSettings: { enrollmentRequired: flow.enroll?.required === true } };
}

/**
 * The factors to enroll (collection, "… Enrollment" folders, Step 2): `TOTP` and `SMS` objects
 * name what `op: "enrollment"` takes; `nextOp` is `["enrollment"]` only when enrollment is required.
 * After a factor was enrolled, the list comes without `mfaSettings` ("Enroll in More Than One Factor", Step 5).
 */
function options(ctx: Ctx, flow: Flow): AuthBody {
  const available = ENROLLABLE.filter((f) => !ctx.factors.find(flow.user!, f));
  return {
    nextAuthFactors: available,
    ...(available.includes('TOTP') ? { TOTP: { credentials: ['offlineTotp'] } } : {}),
    ...(available.includes('SMS') ? { SMS: { credentials: ['phoneNumber'] } } : {}),
    nextOp: mustEnroll(flow) ? ['enrollment'] : ENROLLED_OPS,
    ...(flow.enroll!.done === 0 ? mfaSettings(flow) : {}),
  };
}

/** After the password of a user with no factor whose policy asks for enrollment. */
export function offerEnrollment(ctx: Ctx, flow: Flow): HttpReply {
  flow.step = 'enroll';
  flow.enroll = { required: flow.user!.enrollment === 'required', done: 0, pending: undefined };
  return challenge(ctx, flow, options(ctx, flow));
}

/** `op: "enrollment"`: without `authFactor` the list again; with one, that factor's enrollment starts. */
export function startEnrollment(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  const user = flow.user!;
  const given = body.authFactor;
  if (given === undefined) return challenge(ctx, flow, options(ctx, flow));
  if (typeof given !== 'string' || !ENROLLABLE.includes(given as IdcsEnrollableFactor)) {
    return retry(ctx, flow, 400, given === 'BYPASSCODE' ? factorNotEnabled(given) : invalidValue('authFactor', given, ENROLLABLE));
  }
  const factor = given as IdcsEnrollableFactor;
  const credentials = obj(body.credentials);
  const deviceId = hexId(randomUUID());
  const base = { factor, deviceId, enrolledDuringRun: true };
  const begin = (pending: Omit<Enrolling, 'scanned'>, fields: AuthBody): HttpReply => {
    flow.enroll!.pending = { ...pending, scanned: false };
    return challenge(ctx, flow, { ...fields, ...mfaSettings(flow) });
  };
  switch (factor) {
    case 'EMAIL': {
      // "Initiate EMAIL Enrollment Request": the full address, the code already sent.
      const code = sendCode(ctx, user, 'EMAIL');
      return begin({ factor, mode: 'code', code, record: { ...base, displayName: maskEmail(user.email) } }, {
        displayName: user.email,
        EMAIL: { credentials: ['otpCode'] },
        nextOp: verifyOps(flow, true),
      });
    }
    case 'SMS': {
      // "Initiate SMS Enrollment Request": `phoneNumber` ("15555555555"), or `phoneNumber` + `countryCode` ("+44").
      const phone = enrollmentPhone(credentials);
      if (!phone) return retry(ctx, flow, 400, invalidPhone(`${str(credentials.countryCode)}${str(credentials.phoneNumber)}`));
      const code = sendCode(ctx, user, 'SMS');
      return begin({ factor, mode: 'code', code, record: { ...base, displayName: maskPhone(phone) } }, {
        displayName: maskPhone(phone),
        SMS: { credentials: ['otpCode'] },
        nextOp: verifyOps(flow, true),
      });
    }
    case 'TOTP': {
      const offline = credentials.offlineTotp === true;
      const secret = newTotpSecret();
      const qrCode = offline
        ? offlineTotpQr(user.username, ctx.client.tenant, deviceId, secret)
        : omaQr('TOTP', user.username, { issuer: ctx.client.tenant, deviceId, baseUrl: ctx.url(), tenant: ctx.client.tenant, signer: ctx.signer });
      return begin({ factor, mode: offline ? 'offline' : 'online', record: { ...base, displayName: phoneName(user), secret } }, {
        displayName: phoneName(user),
        TOTP: { credentials: ['otpCode'], qrCode },
        nextOp: verifyOps(flow, false),
      });
    }
    case 'PUSH': {
      // "Initiate PUSH Notification Enrollment Request": a qrCode and no credentials.
      const qrCode = omaQr('TOTP+PUSH', user.username, { issuer: ctx.client.tenant, deviceId, baseUrl: ctx.url(), tenant: ctx.client.tenant, signer: ctx.signer });
      return begin({ factor, mode: 'online', record: { ...base, displayName: phoneName(user) } }, {
        displayName: phoneName(user),
        PUSH: { qrCode },
        nextOp: verifyOps(flow, false),
      });
    }
    case 'SECURITY_QUESTIONS':
      return begin({ factor, mode: 'code', record: { ...base, displayName: factor, questions: [] } }, {
        SECURITY_QUESTIONS: { credentials: ['questionId', 'answer', 'hint'], secQuesSettings: SEC_QUES_SETTINGS, questions: SECURITY_QUESTION_CATALOGUE },
        nextOp: verifyOps(flow, false),
      });
  }
}

/** `credSubmit` while enrolling; Oracle's examples send no `authFactor` (the docs page: "the requestState contains it"). */
export function submitEnrollment(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  const pending = flow.enroll?.pending;
  if (!pending) return retry(ctx, flow, 400, opNotSupported(flow.nextOp));
  const factor = str(body.authFactor);
  if (factor && factor !== pending.factor) return retry(ctx, flow, 400, invalidValue('authFactor', factor, [pending.factor]));
  const credentials = obj(body.credentials);
  // Oracle's sample client sends the `Deviceid` of the QR code with the TOTP code.
  if (credentials.deviceId !== undefined && credentials.deviceId !== pending.record.deviceId) return retry(ctx, flow, 400, deviceNotFound(String(credentials.deviceId)));
  const wrongCode = (): HttpReply => retry(ctx, flow, 401, CAUSES.invalidPasscode, flow.challenge);
  switch (pending.factor) {
    case 'EMAIL':
    case 'SMS':
      if (credentials.otpCode === undefined) return retry(ctx, flow, 400, missingParameter('otpCode'));
      return codeMatches(ctx, pending.code, credentials.otpCode) ? enrolled(ctx, flow, pending, pending.record.displayName) : wrongCode();
    case 'TOTP':
      // UNVERIFIED for online TOTP: a typed code from the app is accepted as well as the app's own registration.
      if (credentials.otpCode !== undefined) return verifyTotp(pending.record.secret!, credentials.otpCode) ? enrolled(ctx, flow, pending, pending.record.displayName) : wrongCode();
      if (pending.mode === 'offline') return retry(ctx, flow, 400, missingParameter('otpCode'));
      if (pending.scanned) return enrolled(ctx, flow, pending, pending.record.displayName);
      // Docs page "…Enrolling in MFA", Step 4 "Pending Response Example".
      return reply(ctx, flow, 'pending', { cause: [CAUSES.enrollmentPending], nextOp: verifyOps(flow, false), ...mfaSettings(flow) });
    case 'PUSH':
      if (pending.scanned) return enrolled(ctx, flow, pending, pending.record.displayName);
      // Collection "PUSH Notification Enrollment", "Pending Response to Step 4".
      return reply(ctx, flow, 'pending', { displayName: pending.record.displayName, cause: [CAUSES.pushPending], nextOp: verifyOps(flow, false), ...mfaSettings(flow) });
    case 'SECURITY_QUESTIONS': {
      const chosen = chosenQuestions(credentials.questions);
      if (!Array.isArray(chosen)) return retry(ctx, flow, 400, chosen);
      pending.record.questions = chosen;
      return enrolled(ctx, flow, pending, undefined);
    }
  }
}

/**
 * The factor is kept: `{status: "success", displayName, nextOp: ["createToken","createSession",
 * "enrollment"], requestState}` with NO nextAuthFactors (collection, Step 4 of each enrollment).
 */
function enrolled(ctx: Ctx, flow: Flow, pending: Enrolling, displayName: string | undefined): HttpReply {
  ctx.factors.enroll(flow.user!, pending.record);
  flow.enroll!.done += 1;
  flow.enroll!.pending = undefined;
  flow.mfaPerformed = true;
  return challenge(ctx, flow, { ...(displayName ? { displayName } : {}), nextOp: ENROLLED_OPS });
}

/** `resendCode` while enrolling SMS or EMAIL (collection "SMS Enrollment Request - Resend SMS"). */
export function resendEnrollmentCode(ctx: Ctx, flow: Flow): HttpReply {
  const pending = flow.enroll?.pending;
  if (pending?.factor !== 'SMS' && pending?.factor !== 'EMAIL') return retry(ctx, flow, 400, opNotSupported(flow.nextOp));
  pending.code = sendCode(ctx, flow.user!, pending.factor);
  return challenge(ctx, flow, { [pending.factor]: { credentials: ['otpCode'] }, nextOp: verifyOps(flow, true), ...mfaSettings(flow), nextAuthFactors: [pending.factor] });
}

/** `createToken`: skips an optional enrollment, or ends it (collection "Skip MFA…", "Create Token After Enrollment is Complete"). */
export function createToken(ctx: Ctx, flow: Flow): HttpReply {
  if (mustEnroll(flow)) return retry(ctx, flow, 400, CAUSES.cannotSkipEnrollment);
  if (flow.enroll) flow.enroll.pending = undefined;
  flow.mfaDone = true;
  return ctx.proceed(flow);
}

/** `{phoneNumber: "15555555555"}` or `{phoneNumber: "1122334455", countryCode: "+44"}` → the number as displayed before masking. */
function enrollmentPhone(credentials: Record<string, unknown>): string | undefined {
  const national = str(credentials.phoneNumber).replace(/[\s().-]/g, '');
  const cc = str(credentials.countryCode).trim();
  if (cc) {
    const digits = cc.replace(/^\+/, '');
    return /^\d{1,3}$/.test(digits) && /^\d{4,14}$/.test(national) ? `+${digits}${national}` : undefined;
  }
  return /^\+?\d{7,15}$/.test(national) ? national : undefined;
}
