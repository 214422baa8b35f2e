/**
 * A user's enrolled factors as the simulator serves them: device ids, masked
 * addresses, and the per-factor objects of the wire format (idcs.md §2).
 */
import { createHash } from 'node:crypto';
import { stableUuid } from '../shared/ids.js';
import { base32Encode } from './totp.js';
import type { IdcsFactor, IdcsSimUser } from './types.js';

/** A phone number split the way the enrollment API takes it. */
export interface Phone {
  /** Digits only, e.g. `1`, `44`. */
  countryCode: string;
  /** National number, digits only. */
  national: string;
}

/** One enrolled factor of one user (configured, or enrolled during the run). */
export interface UserFactor {
  factor: IdcsFactor;
  deviceId: string;
  /** `enrolledDevices[].displayName`: masked phone or e-mail, or the device name. */
  displayName: string;
  /** TOTP: the shared secret (base32). */
  secret?: string;
  /** SMS: the phone. */
  phone?: Phone;
  enrolledDuringRun: boolean;
}

/** Country codes are one to three digits; this covers the usual test numbers (+1, +7, +44, +353, …). */
const THREE_DIGIT_PREFIXES = ['21', '22', '23', '24', '25', '26', '29', '35', '37', '38', '42', '50', '59', '67', '68', '69', '85', '88', '96', '97', '99'];

/** `+14155556098` → `{countryCode: '1', national: '4155556098'}`. */
export function parseE164(phone: string): Phone {
  const digits = phone.replace(/\D/g, '');
  const ccLength = digits.startsWith('1') || digits.startsWith('7') ? 1 : THREE_DIGIT_PREFIXES.some((p) => digits.startsWith(p)) ? 3 : 2;
  return { countryCode: digits.slice(0, ccLength), national: digits.slice(ccLength) };
}

/** `+1XXXXXX6098`: country code, then X for every national digit but the last four. */
export function maskPhone(phone: Phone): string {
  const { countryCode, national } = phone;
  return `+${countryCode}${'X'.repeat(Math.max(0, national.length - 4))}${national.slice(-4)}`;
}

/** `ben@example.com` → `b*****@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*****';
  return `${email[0]}*****${email.slice(at)}`;
}

/** The TOTP secret of a user whose `totpSecret` is not set: derived from the user name, so it is stable. */
export function defaultTotpSecret(username: string): string {
  return base32Encode(createHash('sha1').update(`idcs-sim/totp/${username.toLowerCase()}`).digest());
}

export const DEFAULT_PHONE = '+15555550100';

function deviceName(user: IdcsSimUser): string {
  return user.deviceName ?? `${user.displayName.split(' ')[0] ?? user.username}'s phone`;
}

/** The factors a user's configuration lists, with their devices. */
export function configuredFactors(user: IdcsSimUser): UserFactor[] {
  return user.factors.map((factor) => {
    const deviceId = stableUuid(`idcs/${user.username.toLowerCase()}/${factor}`);
    const base = { factor, deviceId, enrolledDuringRun: false };
    switch (factor) {
      case 'SMS': {
        const phone = parseE164(user.phoneNumber ?? DEFAULT_PHONE);
        return { ...base, displayName: maskPhone(phone), phone };
      }
      case 'EMAIL':
        return { ...base, displayName: maskEmail(user.email) };
      case 'TOTP':
        return { ...base, displayName: deviceName(user), secret: user.totpSecret ?? defaultTotpSecret(user.username) };
      case 'PUSH':
        return { ...base, displayName: deviceName(user) };
      default:
        return { ...base, displayName: factor };
    }
  });
}

/** The per-factor object of a challenge (`credentials`, `enrolledDevices`, `questions`). */
export function factorWire(user: IdcsSimUser, f: UserFactor): Record<string, unknown> {
  const devices = [{ deviceId: f.deviceId, displayName: f.displayName }];
  switch (f.factor) {
    case 'TOTP':
    case 'SMS':
    case 'EMAIL':
      return { credentials: ['otpCode'], enrolledDevices: devices };
    case 'PUSH':
      return { credentials: ['deviceId'], enrolledDevices: devices };
    case 'SECURITY_QUESTIONS':
      return { credentials: ['questions'], questions: (user.questions ?? []).map((q) => ({ questionId: q.questionId, text: q.text })) };
    case 'BYPASSCODE':
      return { credentials: ['bypassCode'] };
  }
}

/** Security answers are compared like a person would expect: trimmed, case-insensitive. */
function sameAnswer(given: unknown, expected: string): boolean {
  return typeof given === 'string' && given.trim().toLowerCase() === expected.trim().toLowerCase();
}

/** `credentials.questions: [{questionId, answer}]` must answer every question of the user correctly. */
export function checkAnswers(given: unknown, questions: NonNullable<IdcsSimUser['questions']>): boolean {
  if (!Array.isArray(given) || questions.length === 0) return false;
  const byId = new Map<string, unknown>();
  for (const item of given) {
    if (typeof item !== 'object' || item === null) return false;
    const { questionId, answer } = item as Record<string, unknown>;
    if (typeof questionId === 'string') byId.set(questionId, answer);
  }
  return questions.every((q) => sameAnswer(byId.get(q.questionId), q.answer));
}
