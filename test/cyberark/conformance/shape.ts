/**
 * Shape comparison of a CyberArk answer against a vendor file's: the same keys (recursively),
 * the same value types (null is a type: `ErrorID` is null on a success, a string on a failure),
 * the same HTTP status, and the same values where values are protocol facts (`success`,
 * `Summary`, `State`, `Version`, `IsSoftError`, `IdpOobAuthPinRequired`, a mechanism's `Name`
 * and `AnswerType`). Opaque values (SessionIds, MechanismIds, tokens, names) may differ.
 * Arrays: every element is compared with the file's element at the same place, or its last.
 */
import type { CyberArkExample } from './cyberark-examples.js';

export interface ShapeOptions {
  /** Keys (at any depth) either side may have or lack. Default: `Enrolled` (present on some of the files' mechanisms only). */
  optional?: readonly string[];
  /** Keys (at any depth) not compared at all (e.g. `Challenges`, compared mechanism by mechanism instead). */
  skip?: readonly string[];
  /** Further paths (`a.b`, `a[].b`) whose values must be equal. */
  exact?: readonly string[];
}

const alwaysExact = ['success', 'IsSoftError', 'Result.Summary', 'Result.State', 'Result.Version', 'Result.IdpOobAuthPinRequired', 'Name', 'AnswerType'];
const defaultOptional = ['Enrolled'];

type Kind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';
const kindOf = (value: unknown): Kind => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as Kind));
const generic = (path: string) => path.replace(/\[\d+\]/g, '[]');

/** Differences between a file's value and an actual one, as readable lines. */
export function shapeDiff(expected: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const optional = new Set([...defaultOptional, ...(options.optional ?? [])]);
  const skip = new Set(options.skip ?? []);
  const exact = new Set([...alwaysExact, ...(options.exact ?? [])]);
  const diffs: string[] = [];
  const walk = (want: unknown, got: unknown, path: string): void => {
    const [wk, gk] = [kindOf(want), kindOf(got)];
    if (wk !== gk) {
      diffs.push(`${path || '(body)'}: expected ${wk}, got ${gk}${gk === 'string' || gk === 'number' ? ` (${JSON.stringify(got)})` : ''}`);
      return;
    }
    const key = path.split('.').at(-1) ?? '';
    if (exact.has(generic(path)) || exact.has(key)) {
      if (JSON.stringify(want) !== JSON.stringify(got)) diffs.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      return;
    }
    if (wk === 'array') {
      const [wants, gots] = [want as unknown[], got as unknown[]];
      if (wants.length === 0) return;
      if (gots.length === 0) diffs.push(`${path}: expected a non-empty array`);
      gots.forEach((item, i) => walk(wants[Math.min(i, wants.length - 1)], item, `${path}[${i}]`));
      return;
    }
    if (wk === 'object') {
      const [w, g] = [want as Record<string, unknown>, got as Record<string, unknown>];
      const at = (k: string) => (path ? `${path}.${k}` : k);
      for (const k of Object.keys(w)) {
        if (skip.has(k)) continue;
        if (k in g) walk(w[k], g[k], at(k));
        else if (!optional.has(k)) diffs.push(`${at(k)}: missing`);
      }
      for (const k of Object.keys(g)) if (!(k in w) && !optional.has(k) && !skip.has(k)) diffs.push(`${at(k)}: not in the vendor file`);
    }
  };
  walk(expected, actual, '');
  return diffs;
}

export interface ActualResponse {
  status: number;
  contentType: string;
  body: unknown;
}

/** Everything that differs between an answer and a vendor file: HTTP status, content type, body shape. */
export function compareWithExample(example: CyberArkExample, actual: ActualResponse, options: ShapeOptions = {}): string[] {
  const diffs: string[] = [];
  if (actual.status !== example.httpStatus) diffs.push(`HTTP status: expected ${example.httpStatus}, got ${actual.status}`);
  if (!/^application\/json\b/i.test(actual.contentType)) diffs.push(`content-type: expected JSON, got ${actual.contentType}`);
  diffs.push(...shapeDiff(example.body, actual.body, options));
  return diffs;
}
