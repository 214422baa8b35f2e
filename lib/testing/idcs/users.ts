import { isValidTotpSecret } from './totp.js';
import type { IdcsFactor, IdcsSecurityQuestion, IdcsSimUser } from './types.js';

const FACTORS: ReadonlySet<string> = new Set<IdcsFactor>(['TOTP', 'SMS', 'EMAIL', 'PUSH', 'SECURITY_QUESTIONS', 'BYPASSCODE']);

/** Question ids and texts from Oracle's enrollment list (collection "…Security Questions Enrollment", Step 3). */
const QUESTIONS: IdcsSecurityQuestion[] = [
  { questionId: 'FirstPet', text: "What's your first pet's name?", answer: 'Rex', hint: 'dog and name' },
  { questionId: 'FirstTimeOnPlane', text: "Where'd you go the first time you flew?", answer: 'Leeds', hint: 'a town in Yorkshire' },
];

/**
 * Demo users of the simulated identity domain. Passwords are `<name>-pw`;
 * e-mail addresses `<name>@example.com` are accepted as user names too.
 *
 * - `ann`: password only
 * - `ben`: TOTP preferred (Oracle Mobile Authenticator on "Ben's iPhone"); backups EMAIL, BYPASSCODE `12345678`, SECURITY_QUESTIONS
 * - `cora`: SMS preferred (+14155556098, shown `+14XXXXXX098`), the code is sent with the password answer
 * - `dan`: PUSH preferred ("Dan's iPhone"), pending from the password answer; backup EMAIL
 * - `eve`: SECURITY_QUESTIONS (pet → `Rex`, first flight → `Leeds`; one asked at a time)
 * - `fay`: EMAIL preferred, the code is sent with the password answer
 * - `gus`: no factor yet, must enroll one (PUSH, TOTP, SMS, EMAIL or SECURITY_QUESTIONS)
 * - `hal`: no factor yet, may enroll one or skip with `createToken`
 * - `ida`: must accept the terms of use
 * - `jo`: locked (AUTH-3002)
 * - `kim`: password expired (AUTH-3004)
 * - `lea`: SMS preferred, trusted devices allowed (15 days); backups EMAIL and PUSH ("Lea's Pixel")
 */
export const idcsDemoUsers: IdcsSimUser[] = [
  { username: 'ann', password: 'ann-pw', displayName: 'Ann Archer', givenName: 'Ann', familyName: 'Archer', email: 'ann@example.com', factors: [] },
  {
    username: 'ben',
    password: 'ben-pw',
    displayName: 'Ben Baker',
    givenName: 'Ben',
    familyName: 'Baker',
    email: 'ben@example.com',
    factors: ['TOTP', 'EMAIL', 'BYPASSCODE', 'SECURITY_QUESTIONS'],
    totpSecret: 'MJSW4LLEMVWW6LLUN52HALLTMVRXEZLU',
    deviceName: "Ben's iPhone",
    bypassCode: '12345678',
    questions: QUESTIONS,
  },
  {
    username: 'cora',
    password: 'cora-pw',
    displayName: 'Cora Cole',
    givenName: 'Cora',
    familyName: 'Cole',
    email: 'cora@example.com',
    factors: ['SMS'],
    phoneNumber: '+14155556098',
  },
  {
    username: 'dan',
    password: 'dan-pw',
    displayName: 'Dan Dixon',
    givenName: 'Dan',
    familyName: 'Dixon',
    email: 'dan@example.com',
    factors: ['PUSH', 'EMAIL'],
    deviceName: "Dan's iPhone",
  },
  {
    username: 'eve',
    password: 'eve-pw',
    displayName: 'Eve Ellis',
    givenName: 'Eve',
    familyName: 'Ellis',
    email: 'eve@example.com',
    factors: ['SECURITY_QUESTIONS'],
    questions: QUESTIONS,
  },
  { username: 'fay', password: 'fay-pw', displayName: 'Fay Fisher', givenName: 'Fay', familyName: 'Fisher', email: 'fay@example.com', factors: ['EMAIL'] },
  {
    username: 'gus',
    password: 'gus-pw',
    displayName: 'Gus Grant',
    givenName: 'Gus',
    familyName: 'Grant',
    email: 'gus@example.com',
    factors: [],
    enrollment: 'required',
  },
  {
    username: 'hal',
    password: 'hal-pw',
    displayName: 'Hal Hughes',
    givenName: 'Hal',
    familyName: 'Hughes',
    email: 'hal@example.com',
    factors: [],
    enrollment: 'optional',
  },
  {
    username: 'ida',
    password: 'ida-pw',
    displayName: 'Ida Irving',
    givenName: 'Ida',
    familyName: 'Irving',
    email: 'ida@example.com',
    factors: [],
    termsOfUse: true,
  },
  { username: 'jo', password: 'jo-pw', displayName: 'Jo Jones', givenName: 'Jo', familyName: 'Jones', email: 'jo@example.com', factors: [], locked: true },
  {
    username: 'kim',
    password: 'kim-pw',
    displayName: 'Kim King',
    givenName: 'Kim',
    familyName: 'King',
    email: 'kim@example.com',
    factors: [],
    passwordExpired: true,
  },
  {
    username: 'lea',
    password: 'lea-pw',
    displayName: 'Lea Lambert',
    givenName: 'Lea',
    familyName: 'Lambert',
    email: 'lea@example.com',
    factors: ['SMS', 'EMAIL', 'PUSH'],
    phoneNumber: '+12025550142',
    deviceName: "Lea's Pixel",
    trustedDevice: true,
    trustDurationInDays: 15,
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

/** `givenName` / `familyName`, defaulting to the words of the display name. */
export function nameParts(user: IdcsSimUser): { givenName: string; familyName: string } {
  const [first = user.username, ...rest] = user.displayName.trim().split(/\s+/);
  return { givenName: user.givenName ?? first, familyName: user.familyName ?? rest.join(' ') };
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
    if (typeof user.displayName !== 'string') throw new TypeError(`${who}: displayName must be a string`);
    if (!Array.isArray(user.factors) || user.factors.some((f) => !FACTORS.has(f))) {
      throw new TypeError(`${who}: factors must list ${[...FACTORS].join(', ')}`);
    }
    if (new Set(user.factors).size !== user.factors.length) throw new TypeError(`${who}: a factor is listed twice`);
    if (user.factors.includes('SECURITY_QUESTIONS') && !user.questions?.length) throw new TypeError(`${who} offers SECURITY_QUESTIONS but has no questions`);
    for (const q of user.questions ?? []) {
      if (!q || typeof q.questionId !== 'string' || !q.questionId || typeof q.text !== 'string' || typeof q.answer !== 'string') {
        throw new TypeError(`${who}: every question needs questionId, text and answer strings`);
      }
    }
    if (user.factors.includes('BYPASSCODE') && !user.bypassCode) throw new TypeError(`${who} offers BYPASSCODE but has no bypassCode`);
    if (user.totpSecret !== undefined && !isValidTotpSecret(user.totpSecret)) throw new TypeError(`${who}: totpSecret must be base32 of at least 80 bits`);
    if (user.phoneNumber !== undefined && !/^\+\d{7,15}$/.test(user.phoneNumber)) throw new TypeError(`${who}: phoneNumber must be E.164, e.g. +14155556098`);
    if (user.enrollment !== undefined && user.enrollment !== 'required' && user.enrollment !== 'optional') {
      throw new TypeError(`${who}: enrollment must be "required" or "optional"`);
    }
    const days = user.trustDurationInDays;
    if (days !== undefined && !(Number.isInteger(days) && days >= 0)) throw new TypeError(`${who}: trustDurationInDays must be an integer >= 0`);
  }
}
