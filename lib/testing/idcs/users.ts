import { isValidTotpSecret } from './totp.js';
import type { IdcsFactor, IdcsSimUser } from './types.js';

const FACTORS: ReadonlySet<string> = new Set<IdcsFactor>(['TOTP', 'SMS', 'EMAIL', 'PUSH', 'SECURITY_QUESTIONS', 'BYPASSCODE']);

const QUESTIONS = [
  { questionId: 'FirstPetName', text: 'What was the name of your first pet?', answer: 'Rex' },
  { questionId: 'BirthCity', text: 'In which town were you born?', answer: 'Leeds' },
];

/**
 * Demo users of the simulated identity domain. Passwords are `<name>-pw`;
 * e-mail addresses `<name>@example.com` are accepted as user names too.
 *
 * - `ann`: password only (T1)
 * - `ben`: password, then TOTP (T2); backup factors EMAIL, BYPASSCODE `12345678` and SECURITY_QUESTIONS (T5)
 * - `cora`: password, then SMS to +1XXXXXX6098 (code already sent; resend, T3)
 * - `dan`: password, then PUSH (T4)
 * - `eve`: password, then two security questions (pet → `Rex`, town → `Leeds`)
 * - `fay`: user name first, then the password, then an EMAIL code
 * - `gus`: no factor yet: must enroll one (TOTP, SMS or EMAIL) after the password (T6)
 * - `hal`: no factor yet: may enroll one or skip with `createToken`
 * - `ida`: must accept the terms of use
 * - `jo`: locked by an administrator (AUTH-1010)
 * - `kim`: password expired (AUTH-3004)
 * - `lea`: password, then a choice of SMS, EMAIL or PUSH; trusted devices allowed
 */
export const idcsDemoUsers: IdcsSimUser[] = [
  { username: 'ann', password: 'ann-pw', displayName: 'Ann Archer', email: 'ann@example.com', factors: [] },
  {
    username: 'ben',
    password: 'ben-pw',
    displayName: 'Ben Baker',
    email: 'ben@example.com',
    factors: ['TOTP', 'EMAIL', 'BYPASSCODE', 'SECURITY_QUESTIONS'],
    totpSecret: 'MJSW4LLEMVWW6LLUN52HALLTMVRXEZLU',
    bypassCode: '12345678',
    questions: QUESTIONS,
  },
  {
    username: 'cora',
    password: 'cora-pw',
    displayName: 'Cora Cole',
    email: 'cora@example.com',
    factors: ['SMS'],
    phoneNumber: '+14155556098',
  },
  { username: 'dan', password: 'dan-pw', displayName: 'Dan Dixon', email: 'dan@example.com', factors: ['PUSH'], deviceName: "Dan's iPhone" },
  { username: 'eve', password: 'eve-pw', displayName: 'Eve Ellis', email: 'eve@example.com', factors: ['SECURITY_QUESTIONS'], questions: QUESTIONS },
  { username: 'fay', password: 'fay-pw', displayName: 'Fay Fisher', email: 'fay@example.com', factors: ['EMAIL'] },
  { username: 'gus', password: 'gus-pw', displayName: 'Gus Grant', email: 'gus@example.com', factors: [], enrollment: 'required' },
  { username: 'hal', password: 'hal-pw', displayName: 'Hal Hughes', email: 'hal@example.com', factors: [], enrollment: 'optional' },
  { username: 'ida', password: 'ida-pw', displayName: 'Ida Irving', email: 'ida@example.com', factors: [], termsOfUse: true },
  { username: 'jo', password: 'jo-pw', displayName: 'Jo Jones', email: 'jo@example.com', factors: [], locked: true },
  { username: 'kim', password: 'kim-pw', displayName: 'Kim King', email: 'kim@example.com', factors: [], passwordExpired: true },
  {
    username: 'lea',
    password: 'lea-pw',
    displayName: 'Lea Lambert',
    email: 'lea@example.com',
    factors: ['SMS', 'EMAIL', 'PUSH'],
    preferredFactorCount: 3,
    phoneNumber: '+12025550142',
    deviceName: "Lea's Pixel",
    trustedDevice: true,
  },
];

/** Deep copy, so a running simulator never shares mutable state with the caller's array. */
export function cloneIdcsUsers(users: readonly IdcsSimUser[]): IdcsSimUser[] {
  return users.map((u) => ({
    ...u,
    factors: [...u.factors],
    ...(u.questions ? { questions: u.questions.map((q) => ({ ...q })) } : {}),
  }));
}

/**
 * Rejects user lists the simulator could not serve faithfully, at start-up
 * rather than in the middle of a test.
 */
export function validateIdcsUsers(users: readonly IdcsSimUser[]): void {
  const seen = new Set<string>();
  for (const user of users) {
    const names = new Set([user.username, user.email].map((n) => (typeof n === 'string' ? n.trim().toLowerCase() : '')));
    for (const key of names) {
      if (!key) throw new TypeError('IdcsSimUser.username and IdcsSimUser.email must be non-empty strings');
      if (seen.has(key)) throw new TypeError(`duplicate user name "${key}"`);
      seen.add(key);
    }
    const who = `user "${user.username}"`;
    if (typeof user.password !== 'string') throw new TypeError(`${who}: password must be a string`);
    if (!Array.isArray(user.factors) || user.factors.some((f) => !FACTORS.has(f))) {
      throw new TypeError(`${who}: factors must list ${[...FACTORS].join(', ')}`);
    }
    if (new Set(user.factors).size !== user.factors.length) throw new TypeError(`${who}: a factor is listed twice`);
    const count = user.preferredFactorCount;
    if (count !== undefined && !(Number.isInteger(count) && count >= 1)) throw new TypeError(`${who}: preferredFactorCount must be an integer >= 1`);
    if (user.factors.includes('SECURITY_QUESTIONS') && !user.questions?.length) throw new TypeError(`${who} offers SECURITY_QUESTIONS but has no questions`);
    if (user.factors.includes('BYPASSCODE') && !user.bypassCode) throw new TypeError(`${who} offers BYPASSCODE but has no bypassCode`);
    if (user.totpSecret !== undefined && !isValidTotpSecret(user.totpSecret)) throw new TypeError(`${who}: totpSecret must be base32 of at least 80 bits`);
    if (user.phoneNumber !== undefined && !/^\+\d{7,15}$/.test(user.phoneNumber)) throw new TypeError(`${who}: phoneNumber must be E.164, e.g. +14155556098`);
    if (user.enrollment !== undefined && user.enrollment !== 'required' && user.enrollment !== 'optional') {
      throw new TypeError(`${who}: enrollment must be "required" or "optional"`);
    }
  }
}
