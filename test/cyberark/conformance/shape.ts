/**
 * Shape comparison of a CyberArk answer against a vendor file's: the same keys (recursively),
 * the same value types (null is a type: `ErrorID` is null on a success, a string on a failure),
 * the same HTTP status, and the same values where values are protocol facts (`success`,
 * `Summary`, `State`, `Version`, `IsSoftError`, `IdpOobAuthPinRequired`, a mechanism's `Name`
 * and `AnswerType`). Opaque values (SessionIds, MechanismIds, tokens, names) may differ.
 * Arrays: every element is compared with the file's element at the same place, or its last.
 */
import { type ActualResponse, genericPath, shapeDiffWith } from '../../support/shape-diff.js';
import type { CyberArkExample } from './cyberark-examples.js';

export type { ActualResponse };

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

/** Differences between a file's value and an actual one, as readable lines. */
export function shapeDiff(expected: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const exact = new Set([...alwaysExact, ...(options.exact ?? [])]);
  return shapeDiffWith({
    source: 'the vendor file',
    optional: new Set([...defaultOptional, ...(options.optional ?? [])]),
    skip: new Set(options.skip ?? []),
    exact: (path, key) => exact.has(genericPath(path)) || exact.has(key),
    arrays: 'positional',
  }, expected, actual);
}

/** Everything that differs between an answer and a vendor file: HTTP status, content type, body shape. */
export function compareWithExample(example: CyberArkExample, actual: ActualResponse, options: ShapeOptions = {}): string[] {
  const diffs: string[] = [];
  if (actual.status !== example.httpStatus) diffs.push(`HTTP status: expected ${example.httpStatus}, got ${actual.status}`);
  if (!/^application\/json\b/i.test(actual.contentType)) diffs.push(`content-type: expected JSON, got ${actual.contentType}`);
  diffs.push(...shapeDiff(example.body, actual.body, options));
  return diffs;
}
