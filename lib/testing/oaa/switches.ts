import { type SwitchChecker, isNonNegative, isNonNegativeOrNull, switchParser } from '../shared/switches.js';
import type { OaaOperation, OaaSwitches } from './types.js';

const OPERATIONS: readonly unknown[] = ['POST', 'Init', 'Validate', 'Finalize'] satisfies OaaOperation[];

/** A fresh copy of the default OAA switches. */
export function defaultOaaSwitches(): OaaSwitches {
  return {
    naming: 'documented',
    statusStyle: 'spaces',
    omitStatusOn: [],
    retryCount: 10,
    sessionTtlSeconds: 300,
    pushAutoApproveAfterPolls: null,
    latencyMs: 0,
    yubikeyFactorKey: 'ChallengeYOTP',
  };
}

const checkers: Record<keyof OaaSwitches, SwitchChecker> = {
  naming: (v) => v === 'documented' || v === 'legacy' || v === 'foreign',
  statusStyle: (v) => v === 'spaces' || v === 'upper' || v === 'foreign',
  omitStatusOn: (v) => Array.isArray(v) && v.every((op) => OPERATIONS.includes(op)) && new Set(v).size === v.length,
  retryCount: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
  sessionTtlSeconds: (v) => isNonNegative(v) && (v as number) > 0,
  pushAutoApproveAfterPolls: isNonNegativeOrNull,
  latencyMs: isNonNegative,
  yubikeyFactorKey: (v) => v === 'ChallengeYOTP' || v === 'ChallengeYubicoOTP',
};

/**
 * Validates untrusted partial switches (from the JSON control API or from options).
 * Returns the typed partial, or an error message naming the first bad key.
 */
export const parseOaaSwitches: (input: unknown) => Partial<OaaSwitches> | string = switchParser<OaaSwitches>(checkers);
