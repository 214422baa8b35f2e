/** Validation of untrusted switch values (from options or the JSON control API). */

/** Tells whether a value is acceptable for one switch. */
export type SwitchChecker = (value: unknown) => boolean;

export const isBool: SwitchChecker = (v) => typeof v === 'boolean';
export const isNonNegative: SwitchChecker = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
export const isNonNegativeOrNull: SwitchChecker = (v) => v === null || isNonNegative(v);
/** null, or a number >= 1 (lockout thresholds). */
export const isAtLeastOneOrNull: SwitchChecker = (v) => v === null || (isNonNegative(v) && (v as number) >= 1);
export const isStringMap: SwitchChecker = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * A parser for one simulator's switches: returns the typed partial, or an
 * error message naming the first unknown key or bad value.
 */
export function switchParser<S extends object>(checkers: Record<keyof S, SwitchChecker>): (input: unknown) => Partial<S> | string {
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'switches must be a JSON object';
    for (const [key, value] of Object.entries(input)) {
      // Own keys only: `constructor` or `__proto__` must not reach Object.prototype.
      const check = Object.hasOwn(checkers, key) ? (checkers as Record<string, SwitchChecker>)[key] : undefined;
      if (!check) return `unknown switch "${key}"`;
      if (!check(value)) return `invalid value for switch "${key}"`;
    }
    return input as Partial<S>;
  };
}
