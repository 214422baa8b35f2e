/**
 * Shape comparison of a response against one of Oracle's examples: the same keys
 * (recursively), the same value types, the same HTTP status, `status` value and cause codes,
 * and the same presence/absence of `nextOp`/`nextAuthFactors`. Opaque values (requestStates,
 * tokens, ids, display names) may differ.
 */
import { decodeJwt, type OracleExample } from './oracle-examples.js';

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

type Kind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';
const kindOf = (value: unknown): Kind => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as Kind));
const generic = (path: string) => path.replace(/\[\d+\]/g, '[]');

/** Differences between an example value and an actual one, as readable lines. */
export function shapeDiff(expected: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const optional = new Set([...defaultOptional, ...(options.optional ?? [])].filter((k) => !(options.required ?? []).includes(k)));
  const sections = new Set(options.sections ?? []);
  const exact = new Set([...alwaysExact, ...(options.exact ?? [])]);
  const exactCredentials = options.exactCredentials ?? true;
  const diffs: string[] = [];

  const walk = (want: unknown, got: unknown, path: string): void => {
    const [wk, gk] = [kindOf(want), kindOf(got)];
    if (wk !== gk) {
      diffs.push(`${path || '(body)'}: expected ${wk}, got ${gk}${gk === 'string' || gk === 'number' ? ` (${JSON.stringify(got)})` : ''}`);
      return;
    }
    const key = path.split('.').at(-1)?.replace(/\[\]$/, '');
    if (exact.has(generic(path)) || (key === 'credentials' && exactCredentials && wk === 'array')) {
      const norm = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? JSON.stringify([...v].sort()) : JSON.stringify(v));
      if (norm(want) !== norm(got)) diffs.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      return;
    }
    if (wk === 'array') {
      const wants = want as unknown[];
      const gots = got as unknown[];
      if (wants.length === 0) return;
      if (gots.length === 0) {
        diffs.push(`${path}: expected a non-empty array`);
        return;
      }
      if (wants.every((w) => kindOf(w) === 'object')) {
        // Elements may differ in keys (e.g. a SAML IdP without idpId): every element needs the keys
        // all examples share and may have only keys some example has.
        const objects = wants as Array<Record<string, unknown>>;
        const all = new Set(objects.flatMap((o) => Object.keys(o)));
        const shared = [...all].filter((k) => objects.every((o) => k in o));
        gots.forEach((item, i) => {
          if (kindOf(item) !== 'object') { diffs.push(`${path}[${i}]: expected object, got ${kindOf(item)}`); return; }
          const record = item as Record<string, unknown>;
          for (const k of shared) if (!(k in record) && !optional.has(k)) diffs.push(`${path}[${i}].${k}: missing`);
          for (const k of Object.keys(record)) {
            if (!all.has(k)) { if (!optional.has(k)) diffs.push(`${path}[${i}].${k}: not in Oracle's example`); continue; }
            walk(objects.find((o) => k in o)![k], record[k], `${path}[${i}].${k}`);
          }
        });
        return;
      }
      gots.forEach((item, i) => walk(wants[0], item, `${path}[${i}]`));
      return;
    }
    if (wk === 'object') {
      const w = want as Record<string, unknown>;
      const g = got as Record<string, unknown>;
      const top = path === '';
      for (const k of Object.keys(w)) {
        if (k in g) walk(w[k], g[k], top ? k : `${path}.${k}`);
        else if (!optional.has(k) && !(top && sections.has(k))) diffs.push(`${top ? k : `${path}.${k}`}: missing`);
      }
      for (const k of Object.keys(g)) {
        if (!(k in w) && !optional.has(k) && !(top && sections.has(k))) diffs.push(`${top ? k : `${path}.${k}`}: not in Oracle's example`);
      }
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
