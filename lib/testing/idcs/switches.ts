import { type SwitchChecker, isAtLeastOneOrNull, isBool, isNonNegative, isNonNegativeOrNull, switchParser } from '../shared/switches.js';
import type { IdcsSwitches } from './types.js';

/** A fresh copy of the default IDCS switches (see {@link IdcsSwitches} for what each one does). */
export function defaultIdcsSwitches(): IdcsSwitches {
  return {
    usernameFirst: false,
    socialIdps: false,
    passwordFailureNextOp: false,
    strictRequestState: false,
    jwtAssertionGrant: true,
    meEndpoint: true,
    accessTokenTtlSeconds: 3600,
    userTokenTtlSeconds: 7600,
    requestStateTtlMs: 600_000,
    lockoutAfterFailures: 5,
    pushAutoApproveAfterPolls: null,
    latencyMs: 0,
    createTokenLoop: false,
  };
}

const checkers: Record<keyof IdcsSwitches, SwitchChecker> = {
  usernameFirst: isBool,
  socialIdps: isBool,
  passwordFailureNextOp: isBool,
  strictRequestState: isBool,
  jwtAssertionGrant: isBool,
  meEndpoint: isBool,
  accessTokenTtlSeconds: isNonNegative,
  userTokenTtlSeconds: isNonNegative,
  requestStateTtlMs: isNonNegative,
  lockoutAfterFailures: isAtLeastOneOrNull,
  pushAutoApproveAfterPolls: isNonNegativeOrNull,
  latencyMs: isNonNegative,
  createTokenLoop: isBool,
};

/**
 * Validates untrusted partial switches (from the JSON control API or from options).
 * Returns the typed partial, or an error message naming the first bad key.
 */
export const parseIdcsSwitches: (input: unknown) => Partial<IdcsSwitches> | string = switchParser<IdcsSwitches>(checkers);
