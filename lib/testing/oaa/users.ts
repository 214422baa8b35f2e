/**
 * Demo users of the OAA simulator, and the resolved view of a user the engine
 * works with (defaults filled in, masked addresses, TOTP secret, YubiKey).
 */
import { stableUuid } from '../shared/ids.js';
import { defaultTotpSecret, isValidTotpSecret } from './otp.js';
import type { OaaFactorKey, OaaSimUser } from './types.js';
import { type YubiKeyConfig, derivedYubiKey, isValidYubiKeyConfig } from './yubico.js';

const FACTORS: ReadonlySet<string> = new Set<OaaFactorKey>([
  'ChallengeEmail',
  'ChallengeSMS',
  'ChallengeOMATOTP',
  'ChallengeOMAPUSH',
  'ChallengeYOTP',
  'ChallengeFIDO2',
]);

export const DEFAULT_GROUP = 'Default';
export const DEFAULT_PHONE = '+15555550100';

/**
 * Demo users (group `Default`). Passwords for {@link OaaSimulator.verifyPassword} are `<name>-pw`.
 *
 * - `olga`: Email OTP only (T1)
 * - `pete`: SMS OTP only, phone `***-***-1234`
 * - `quinn`: TOTP (Oracle Mobile Authenticator or any TOTP app) (T3)
 * - `rosa`: OMA push (T4)
 * - `sam`: a choice of Email, SMS and TOTP (T2)
 * - `tess`: YubiKey OTP (`ChallengeYOTP`, or `ChallengeYubicoOTP` with the `yubikeyFactorKey` switch)
 * - `uma`: no factor registered (`missing registration`, T7)
 * - `vic`: FIDO2 only (not answerable through the API: Validate is refused)
 * - `walt`: a low-risk rule lets him through (`authenticated` at the POST)
 */
export const oaaDemoUsers: OaaSimUser[] = [
  { username: 'olga', displayName: 'Olga Owens', factors: ['ChallengeEmail'] },
  { username: 'pete', displayName: 'Pete Parker', factors: ['ChallengeSMS'], phoneNumber: '+15555551234' },
  { username: 'quinn', displayName: 'Quinn Quayle', factors: ['ChallengeOMATOTP'], totpSecret: 'OFUWK3TOFVXWCYJNORXXI4BNONSWG4TF' },
  { username: 'rosa', displayName: 'Rosa Reyes', factors: ['ChallengeOMAPUSH'], deviceName: "Rosa's iPhone" },
  {
    username: 'sam',
    displayName: 'Sam Smith',
    factors: ['ChallengeEmail', 'ChallengeSMS', 'ChallengeOMATOTP'],
    phoneNumber: '+15555556789',
    totpSecret: 'ONQW2LLPMFQS25DPORYC243FMNZGK5A2',
  },
  { username: 'tess', displayName: 'Tess Turner', factors: ['ChallengeYOTP'] },
  { username: 'uma', displayName: 'Uma Underwood', factors: [] },
  { username: 'vic', displayName: 'Vic Vance', factors: ['ChallengeFIDO2'] },
  { username: 'walt', displayName: 'Walt Walker', factors: [], noChallenge: true },
];

/** A user with every default filled in. */
export interface ResolvedUser {
  readonly source: OaaSimUser;
  /** Lower-case user name: the key of every per-user map. */
  readonly key: string;
  readonly username: string;
  readonly group: string;
  readonly uniqueUserId: string;
  /** The `contextId` of `DELETE /challengecounter/v1`. */
  readonly contextId: string;
  readonly password: string;
  readonly displayName: string;
  readonly email: string;
  readonly phoneNumber: string;
  readonly deviceName: string;
  readonly factors: readonly OaaFactorKey[];
  readonly totpSecret: string | undefined;
  readonly yubikey: YubiKeyConfig | undefined;
  readonly noChallenge: boolean;
}

export function resolveUser(user: OaaSimUser): ResolvedUser {
  const key = user.username.toLowerCase();
  const group = user.group ?? DEFAULT_GROUP;
  return {
    source: user,
    key,
    username: user.username,
    group,
    uniqueUserId: user.uniqueUserId ?? stableUuid(`oaa/user/${group.toLowerCase()}/${key}`),
    contextId: stableUuid(`oaa/context/${group.toLowerCase()}/${key}`),
    password: user.password ?? `${user.username}-pw`,
    displayName: user.displayName ?? user.username,
    email: user.email ?? `${key}@example.com`,
    phoneNumber: user.phoneNumber ?? DEFAULT_PHONE,
    deviceName: user.deviceName ?? `${user.username}'s phone`,
    factors: [...user.factors],
    totpSecret: user.factors.includes('ChallengeOMATOTP') ? (user.totpSecret ?? defaultTotpSecret(user.username)) : undefined,
    yubikey: user.factors.includes('ChallengeYOTP') ? (user.yubikey ? { ...user.yubikey } : derivedYubiKey(user.username)) : undefined,
    noChallenge: user.noChallenge === true,
  };
}

/** `olga@example.com` → `o***@example.com` (oaa.md T1). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** `+15555551234` → `***-***-1234` (oaa.md T2). */
export function maskPhone(phone: string): string {
  return `***-***-${phone.replace(/\D/g, '').slice(-4)}`;
}

/** Deep copy, so a running simulator never shares mutable state with the caller's array. */
export function cloneOaaUsers(users: readonly OaaSimUser[]): OaaSimUser[] {
  return users.map((u) => ({ ...u, factors: [...u.factors], ...(u.yubikey ? { yubikey: { ...u.yubikey } } : {}) }));
}

/**
 * Rejects user lists the simulator could not serve faithfully, at start-up
 * rather than in the middle of a test.
 */
export function validateOaaUsers(users: readonly OaaSimUser[]): void {
  if (!Array.isArray(users)) throw new TypeError('users must be an array');
  const names = new Set<string>();
  const uniqueIds = new Set<string>();
  for (const user of users) {
    if (typeof user !== 'object' || user === null || typeof user.username !== 'string' || user.username.trim() === '') {
      throw new TypeError('OaaSimUser.username must be a non-empty string');
    }
    const who = `user "${user.username}"`;
    if (user.username !== user.username.trim()) throw new TypeError(`${who}: username must not start or end with spaces`);
    const key = user.username.toLowerCase();
    if (names.has(key)) throw new TypeError(`duplicate user name "${key}"`);
    names.add(key);
    for (const field of ['group', 'uniqueUserId', 'password', 'displayName', 'email', 'totpSecret', 'deviceName'] as const) {
      const value = user[field];
      if (value !== undefined && (typeof value !== 'string' || (field !== 'password' && value === ''))) {
        throw new TypeError(`${who}: ${field} must be a ${field === 'password' ? '' : 'non-empty '}string`);
      }
    }
    if (user.uniqueUserId !== undefined) {
      if (uniqueIds.has(user.uniqueUserId)) throw new TypeError(`duplicate uniqueUserId "${user.uniqueUserId}"`);
      uniqueIds.add(user.uniqueUserId);
    }
    if (!Array.isArray(user.factors) || user.factors.some((f: string) => !FACTORS.has(f))) {
      throw new TypeError(`${who}: factors must list ${[...FACTORS].join(', ')}`);
    }
    if (new Set(user.factors).size !== user.factors.length) throw new TypeError(`${who}: a factor is listed twice`);
    if (user.totpSecret !== undefined && !isValidTotpSecret(user.totpSecret)) throw new TypeError(`${who}: totpSecret must be base32 of at least 80 bits`);
    if (user.phoneNumber !== undefined && !/^\+\d{7,15}$/.test(user.phoneNumber)) throw new TypeError(`${who}: phoneNumber must be E.164, e.g. +15555551234`);
    if (user.yubikey !== undefined && !isValidYubiKeyConfig(user.yubikey)) {
      throw new TypeError(`${who}: yubikey must be {publicId: 12 modhex characters, privateId: 12 hex digits, aesKey: 32 hex digits}`);
    }
    if (user.noChallenge !== undefined && typeof user.noChallenge !== 'boolean') throw new TypeError(`${who}: noChallenge must be a boolean`);
  }
}
