/**
 * The per-factor objects of the wire format (`"TOTP": {...}`, `"SMS": {...}`, …) in the three
 * places Oracle's examples show them: a challenge, the `getBackupFactors` listing, and a failure.
 */
import type { UserFactor } from './factors.js';
import type { IdcsSecurityQuestion } from './types.js';
import type { AuthBody } from './wire.js';

/** A question as the wire shows it: `{hint, questionId, text}` (hint only if there is one). */
export function questionWire(q: IdcsSecurityQuestion): AuthBody {
  return { ...(q.hint ? { hint: q.hint } : {}), questionId: q.questionId, text: q.text };
}

/**
 * The object of a factor being challenged, or repeated in a failure: e.g. `SMS: {credentials:
 * ["otpCode"]}` (collection "…SMS Set as the Default Method", Step 2 and its failure example),
 * `SECURITY_QUESTIONS: {credentials: ["questionId","answer"], questions: [one question]}`
 * ("…Security Questions Set as the Default Method", Step 2). PUSH has none.
 */
export function challengeObject(f: UserFactor, question: IdcsSecurityQuestion | undefined): AuthBody | undefined {
  switch (f.factor) {
    case 'TOTP':
    case 'SMS':
    case 'EMAIL':
      return { credentials: ['otpCode'] };
    case 'BYPASSCODE':
      return { credentials: ['bypassCode'] };
    case 'SECURITY_QUESTIONS':
      return { credentials: ['questionId', 'answer'], questions: question ? [questionWire(question)] : [] };
    case 'PUSH':
      return undefined;
  }
}

/**
 * The object of a factor in the `getBackupFactors` answer (collection "…Get Backup Factors",
 * "…When It Isn't the Default Method" Step 3, "Bypass Code Authentication" Step 3): device
 * factors list `enrolledDevices`; `preferred` is a credential of the factors that are not
 * preferred, and a flag of the preferred one (on its device, or on SECURITY_QUESTIONS itself).
 */
export function backupObject(f: UserFactor, preferred: boolean, question: IdcsSecurityQuestion | undefined): AuthBody {
  const device = { deviceId: f.deviceId, displayName: f.displayName, ...(preferred ? { preferred: true } : {}) };
  const choose = preferred ? ['deviceId'] : ['preferred', 'deviceId'];
  switch (f.factor) {
    case 'TOTP':
      return { credentials: ['otpCode', ...choose], enrolledDevices: [device] };
    case 'SMS':
    case 'EMAIL':
      return { credentials: choose, enrolledDevices: [device] };
    case 'PUSH':
      return { enrolledDevices: [device], credentials: choose };
    case 'BYPASSCODE':
      return { credentials: ['bypassCode'] };
    case 'SECURITY_QUESTIONS': {
      const questions = question ? [questionWire(question)] : [];
      return preferred
        ? { credentials: ['questionId', 'answer'], questions, preferred: true }
        : { credentials: ['questionId', 'answer', 'preferred'], questions };
    }
  }
}
