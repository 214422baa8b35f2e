/**
 * A user's enrolled factors as the simulator serves them: device ids, display names
 * (masked phone numbers and addresses, device names), secrets, and the order of preference.
 */
import { createHash } from 'node:crypto';
import { base32Encode } from './totp.js';
import type { IdcsFactor, IdcsSecurityQuestion, IdcsSimUser } from './types.js';

/** One enrolled factor of one user (configured, or enrolled during the run). */
export interface UserFactor {
  factor: IdcsFactor;
  /** 32 lower-case hex digits, like Oracle's `enrolledDevices[].deviceId`. */
  deviceId: string;
  /** `displayName` of the device: masked phone or e-mail, or the phone's name. */
  displayName: string;
  /** TOTP: the shared secret (base32). */
  secret?: string;
  /** SECURITY_QUESTIONS: the questions with their answers. */
  questions?: IdcsSecurityQuestion[];
  enrolledDuringRun: boolean;
}

/**
 * The order Oracle lists factors in (`getBackupFactors` and the enrollment offer): every saved
 * example keeps PUSH, TOTP, SMS, EMAIL, BYPASSCODE, SECURITY_QUESTIONS in this order.
 */
export const WIRE_ORDER: readonly IdcsFactor[] = ['PUSH', 'TOTP', 'SMS', 'EMAIL', 'BYPASSCODE', 'SECURITY_QUESTIONS'];

export const DEFAULT_PHONE = '+15555550100';

/** A stable 32-hex device id. */
export function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

/**
 * A phone number as Oracle masks it: the first three and the last three characters, X between.
 * Fits `155XXXXX555` (phoneNumber `15555555555`), `172XXXXX241` and `+44XXXXXXX455`
 * (collection, SMS enrollment and SMS failure examples). UNVERIFIED: other saved examples show
 * one more X (`+44XXXXXXXX455`), so the exact count may differ.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return phone;
  return `${phone.slice(0, 3)}${'X'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}

/**
 * An address as Oracle masks it: the first three characters of the local part, then X
 * (`joeXXXXXXXXX@example.com` in the collection). UNVERIFIED: the number of X; here one per
 * hidden character, at least five (`sswXXXXX@oracle.com` on the docs page).
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return 'XXXXX';
  const local = email.slice(0, at);
  const shown = local.slice(0, Math.min(3, local.length));
  return `${shown}${'X'.repeat(Math.max(5, local.length - shown.length))}${email.slice(at)}`;
}

/** The TOTP secret of a user whose `totpSecret` is not set: derived from the user name, so it is stable. */
export function defaultTotpSecret(username: string): string {
  return base32Encode(createHash('sha1').update(`idcs-sim/totp/${username.toLowerCase()}`).digest());
}

/** The name of the user's phone (Oracle Mobile Authenticator). */
export function phoneName(user: IdcsSimUser): string {
  return user.deviceName ?? `${user.displayName.split(' ')[0] || user.username}'s iPhone`;
}

export const keyOf = (user: IdcsSimUser): string => user.username.toLowerCase();

/** The factors a user's configuration lists. TOTP and PUSH share the phone's device id, as in Oracle's examples. */
export function configuredFactors(user: IdcsSimUser): UserFactor[] {
  const key = keyOf(user);
  return user.factors.map((factor) => {
    const device = factor === 'TOTP' || factor === 'PUSH' ? 'OMA' : factor;
    const base = { factor, deviceId: hexId(`idcs/${key}/${device}`), enrolledDuringRun: false };
    switch (factor) {
      case 'SMS':
        return { ...base, displayName: maskPhone(user.phoneNumber ?? DEFAULT_PHONE) };
      case 'EMAIL':
        return { ...base, displayName: maskEmail(user.email) };
      case 'TOTP':
        return { ...base, displayName: phoneName(user), secret: user.totpSecret ?? defaultTotpSecret(user.username) };
      case 'PUSH':
        return { ...base, displayName: phoneName(user) };
      case 'SECURITY_QUESTIONS':
        return { ...base, displayName: factor, questions: user.questions ?? [] };
      case 'BYPASSCODE':
        return { ...base, displayName: factor };
    }
  });
}

/** Factors per user: configured, enrolled during the run, and a preferred one chosen during the run. */
export class FactorDirectory {
  private readonly enrolled = new Map<string, UserFactor[]>();
  private readonly preferredOverride = new Map<string, IdcsFactor>();

  /** The user's factors, preferred first, then in configuration / enrollment order (a factor appears once). */
  factorsOf(user: IdcsSimUser): UserFactor[] {
    const configured = configuredFactors(user);
    const extra = (this.enrolled.get(keyOf(user)) ?? []).filter((f) => !configured.some((c) => c.factor === f.factor));
    const all = [...configured, ...extra];
    const chosen = this.preferredOverride.get(keyOf(user));
    const first = all.find((f) => f.factor === chosen);
    return first ? [first, ...all.filter((f) => f !== first)] : all;
  }

  find(user: IdcsSimUser, factor: string): UserFactor | undefined {
    return this.factorsOf(user).find((f) => f.factor === factor);
  }

  preferred(user: IdcsSimUser): UserFactor | undefined {
    return this.factorsOf(user)[0];
  }

  /** `credentials.preferred: true` (collection "Setting the Default Factor Method"). */
  setPreferred(user: IdcsSimUser, factor: IdcsFactor): void {
    this.preferredOverride.set(keyOf(user), factor);
  }

  /** Keeps a factor enrolled during sign-in (replacing an earlier one of the same kind) until `clear()`. */
  enroll(user: IdcsSimUser, factor: UserFactor): void {
    const key = keyOf(user);
    const list = (this.enrolled.get(key) ?? []).filter((f) => f.factor !== factor.factor);
    this.enrolled.set(key, [...list, factor]);
  }

  enrolledDuringRun(user: IdcsSimUser): string[] {
    return (this.enrolled.get(keyOf(user)) ?? []).map((f) => f.factor);
  }

  clear(): void {
    this.enrolled.clear();
    this.preferredOverride.clear();
  }
}
