import {
  type SwitchChecker,
  isAtLeastOneOrNull,
  isBool,
  isNonNegative,
  isNonNegativeOrNull,
  isStringMap,
  switchParser,
} from '../shared/switches.js';
import type { CyberArkSwitches } from './types.js';

/** A fresh copy of the default switches. */
export function defaultSwitches(): CyberArkSwitches {
  return {
    hideFailures: false,
    decoyUnknownUsers: true,
    oobAnswerType: 'StartTextOob',
    generatedAuthValue: false,
    autoApprovePushAfterPolls: null,
    podRedirects: {},
    lockoutAfterFailures: 5,
    noncommittal: false,
    newPackageLoop: false,
    pinLoginsSucceedOnPoll: false,
    sessionTtlMs: 300_000,
    latencyMs: 0,
    checkCookies: true,
  };
}

const checkers: Record<keyof CyberArkSwitches, SwitchChecker> = {
  hideFailures: isBool,
  decoyUnknownUsers: isBool,
  oobAnswerType: (v) => v === 'StartTextOob' || v === 'Text',
  generatedAuthValue: isBool,
  autoApprovePushAfterPolls: isNonNegativeOrNull,
  podRedirects: isStringMap,
  lockoutAfterFailures: isAtLeastOneOrNull,
  noncommittal: isBool,
  newPackageLoop: isBool,
  pinLoginsSucceedOnPoll: isBool,
  sessionTtlMs: isNonNegative,
  latencyMs: isNonNegative,
  checkCookies: isBool,
};

/**
 * Validates untrusted partial switches (from the JSON control API or from options).
 * Returns the typed partial, or an error message naming the first bad key.
 */
export const parseSwitches: (input: unknown) => Partial<CyberArkSwitches> | string = switchParser<CyberArkSwitches>(checkers);
