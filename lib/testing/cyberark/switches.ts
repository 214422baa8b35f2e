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
    sessionTtlMs: 300_000,
    latencyMs: 0,
    checkCookies: true,
  };
}

type Checker = (value: unknown) => boolean;

const isBool: Checker = (v) => typeof v === 'boolean';
const isNonNegative: Checker = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isNonNegativeOrNull: Checker = (v) => v === null || isNonNegative(v);
const isStringMap: Checker = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

const checkers: Record<keyof CyberArkSwitches, Checker> = {
  hideFailures: isBool,
  decoyUnknownUsers: isBool,
  oobAnswerType: (v) => v === 'StartTextOob' || v === 'Text',
  generatedAuthValue: isBool,
  autoApprovePushAfterPolls: isNonNegativeOrNull,
  podRedirects: isStringMap,
  lockoutAfterFailures: (v) => v === null || (isNonNegative(v) && (v as number) >= 1),
  noncommittal: isBool,
  sessionTtlMs: isNonNegative,
  latencyMs: isNonNegative,
  checkCookies: isBool,
};

/**
 * Validates untrusted partial switches (from the JSON control API or from options).
 * Returns the typed partial, or an error message naming the first bad key.
 */
export function parseSwitches(input: unknown): Partial<CyberArkSwitches> | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'switches must be a JSON object';
  for (const [key, value] of Object.entries(input)) {
    const check = (checkers as Record<string, Checker | undefined>)[key];
    if (!check) return `unknown switch "${key}"`;
    if (!check(value)) return `invalid value for switch "${key}"`;
  }
  return input as Partial<CyberArkSwitches>;
}

/** Applies a validated partial in place, so references held by callers (`sim.switches`) stay live. */
export function applySwitches(target: CyberArkSwitches, partial: Partial<CyberArkSwitches>): void {
  Object.assign(target, partial);
}
