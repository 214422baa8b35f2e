/**
 * Shape comparison of a response against one of Oracle's examples: the same keys
 * (recursively), the same value types, the same HTTP status, `status` value and cause codes,
 * and the same presence/absence of `nextOp`/`nextAuthFactors`. Opaque values (requestStates,
 * tokens, ids, display names) may differ.
 */
import { type ActualResponse, genericPath, shapeDiffWith } from '../../support/shape-diff.js';
import { decodeJwt, type OracleExample } from './oracle-examples.js';

export type { ActualResponse };

/** The per-factor sections of an authenticate response. */
export const FACTOR_SECTIONS = ['USERNAME_PASSWORD', 'IDP', 'TOTP', 'SMS', 'EMAIL', 'PUSH', 'BYPASSCODE', 'SECURITY_QUESTIONS'] as const;

export interface ShapeOptions {
  /**
   * Top-level keys compared only when both sides have them: the factor sections of a list
   * (backup factors, a failure that lists every factor) depend on the user's factors.
   */
  sections?: readonly string[];
  /** Keys (at any depth) either side may have or lack. Default: `ecId`/`ecid` (Oracle shows them on some examples only) and `trustedDeviceSettings` (a tenant setting). */
  optional?: readonly string[];
  /** Keys taken out of `optional` for this comparison. */
  required?: readonly string[];
  /** Paths (`a.b`, `a[].b`) whose values must be equal. Always: `status`, `cause[].code`, `token_type`, `mfaSettings.enrollmentRequired`. */
  exact?: readonly string[];
  /** Compare `credentials` lists as sets (default true; Oracle's backup-factor lists vary, pass false there). */
  exactCredentials?: boolean;
}

const alwaysExact = ['status', 'cause[].code', 'token_type', 'mfaSettings.enrollmentRequired'];
const defaultOptional = ['ecId', 'ecid', 'trustedDeviceSettings'];

/** Differences between an example value and an actual one, as readable lines. */
export function shapeDiff(expected: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const exact = new Set([...alwaysExact, ...(options.exact ?? [])]);
  const exactCredentials = options.exactCredentials ?? true;
  return shapeDiffWith({
    source: "Oracle's example",
    optional: new Set([...defaultOptional, ...(options.optional ?? [])].filter((k) => !(options.required ?? []).includes(k))),
    sections: new Set(options.sections ?? []),
    exact: (path, key, kind) => exact.has(genericPath(path)) || (key === 'credentials' && exactCredentials && kind === 'array'),
    // Credential lists compare as sets.
    normalize: (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? JSON.stringify([...v].sort()) : JSON.stringify(v)),
    arrays: 'union',
  }, expected, actual);
}

/**
 * Everything that differs between a response and an Oracle example: HTTP status, content
 * type, body shape (see {@link shapeDiff}), `nextOp` (as a set), the sections named in
 * `nextAuthFactors` being present, and the authnToken's JWT header and claims.
 */
export function compareWithExample(example: OracleExample, actual: ActualResponse, options: ShapeOptions = {}): string[] {
  const diffs: string[] = [];
  if (actual.status !== example.httpStatus) diffs.push(`HTTP status: expected ${example.httpStatus}, got ${actual.status}`);
  if (typeof example.body === 'string') {
    if (!actual.contentType.toLowerCase().startsWith(example.contentType ?? 'text/html')) diffs.push(`content-type: expected ${example.contentType}, got ${actual.contentType}`);
    return diffs;
  }
  if (!/\bjson\b/i.test(actual.contentType)) diffs.push(`content-type: expected JSON, got ${actual.contentType}`);
  diffs.push(...shapeDiff(example.body, actual.body, options));
  const want = example.body;
  const got = (actual.body ?? {}) as Record<string, unknown>;
  if (Array.isArray(want.nextOp) && Array.isArray(got.nextOp)) {
    const a = [...(want.nextOp as string[])].sort().join(',');
    const b = [...(got.nextOp as string[])].sort().join(',');
    if (a !== b) diffs.push(`nextOp: expected [${want.nextOp.join(', ')}], got [${(got.nextOp as string[]).join(', ')}]`);
  }
  if (Array.isArray(got.nextAuthFactors)) {
    for (const factor of got.nextAuthFactors as string[]) {
      // Oracle lists a section for every factor that takes credentials (PUSH and EMAIL may come without one).
      if (factor in want && !(factor in got)) diffs.push(`nextAuthFactors names ${factor} but its section is missing`);
    }
  }
  if (typeof want.authnToken === 'string' && typeof got.authnToken === 'string') {
    try {
      const w = decodeJwt(want.authnToken);
      const g = decodeJwt(got.authnToken);
      diffs.push(...shapeDiff(w.header, g.header, { exact: ['alg', 'typ'] }).map((d) => `authnToken header ${d}`));
      diffs.push(...shapeDiff(w.payload, g.payload, { exact: ['iss'] }).map((d) => `authnToken claims ${d}`));
    } catch (error) {
      diffs.push(`authnToken: ${(error as Error).message}`);
    }
  }
  return diffs;
}
