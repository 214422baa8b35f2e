/**
 * The JSON shape walker of the conformance suites: the same keys (recursively), the same value
 * types (null is a type), and equal values where a vendor's rules say the value is a protocol
 * fact. Each vendor's shape.ts supplies its rules: which paths are exact, which keys optional or
 * skipped, which top-level sections depend on the user, and how arrays are compared.
 */

export type Kind = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined';
export const kindOf = (value: unknown): Kind => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as Kind));
/** `a[0].b` → `a[].b`. */
export const genericPath = (path: string) => path.replace(/\[\d+\]/g, '[]');

export interface ShapeRules {
  /** How a key the vendor's example lacks is reported: "not in <source>". */
  source: string;
  /** Keys (at any depth) either side may have or lack. */
  optional: ReadonlySet<string>;
  /** Keys (at any depth) not compared at all. */
  skip?: ReadonlySet<string>;
  /** Top-level keys compared only when both sides have them. */
  sections?: ReadonlySet<string>;
  /** Whether the value at `path` (last key `key`) must equal the example's; `normalize` it first if given. */
  exact(path: string, key: string, kind: Kind): boolean;
  normalize?(value: unknown): string;
  /**
   * Arrays: `positional` compares each element with the example's element at the same place (or
   * its last); `union` compares lists of objects by the keys all examples share (required) and
   * any example has (allowed), other lists against the first element.
   */
  arrays: 'positional' | 'union';
}

/** Differences between an example value and an actual one, as readable lines. */
export function shapeDiffWith(rules: ShapeRules, expected: unknown, actual: unknown): string[] {
  const diffs: string[] = [];
  const normalize = rules.normalize ?? ((v: unknown) => JSON.stringify(v));
  const at = (path: string, k: string) => (path ? `${path}.${k}` : k);

  const walk = (want: unknown, got: unknown, path: string): void => {
    const [wk, gk] = [kindOf(want), kindOf(got)];
    if (wk !== gk) {
      diffs.push(`${path || '(body)'}: expected ${wk}, got ${gk}${gk === 'string' || gk === 'number' ? ` (${JSON.stringify(got)})` : ''}`);
      return;
    }
    const key = (path.split('.').at(-1) ?? '').replace(/\[\d*\]$/, '');
    if (rules.exact(path, key, wk)) {
      if (normalize(want) !== normalize(got)) diffs.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      return;
    }
    if (wk === 'array') return walkArray(want as unknown[], got as unknown[], path);
    if (wk === 'object') {
      const [w, g] = [want as Record<string, unknown>, got as Record<string, unknown>];
      const lenient = (k: string) => rules.optional.has(k) || rules.skip?.has(k) || (path === '' && rules.sections?.has(k));
      for (const k of Object.keys(w)) {
        if (rules.skip?.has(k)) continue;
        if (k in g) walk(w[k], g[k], at(path, k));
        else if (!lenient(k)) diffs.push(`${at(path, k)}: missing`);
      }
      for (const k of Object.keys(g)) if (!(k in w) && !lenient(k)) diffs.push(`${at(path, k)}: not in ${rules.source}`);
    }
  };

  const walkArray = (wants: unknown[], gots: unknown[], path: string): void => {
    if (wants.length === 0) return;
    if (gots.length === 0) {
      diffs.push(`${path}: expected a non-empty array`);
      return;
    }
    if (rules.arrays === 'positional') {
      gots.forEach((item, i) => walk(wants[Math.min(i, wants.length - 1)], item, `${path}[${i}]`));
      return;
    }
    if (!wants.every((w) => kindOf(w) === 'object')) {
      gots.forEach((item, i) => walk(wants[0], item, `${path}[${i}]`));
      return;
    }
    // Elements may differ in keys (e.g. a SAML IdP without idpId): every element needs the keys
    // all examples share and may have only keys some example has.
    const objects = wants as Array<Record<string, unknown>>;
    const all = new Set(objects.flatMap((o) => Object.keys(o)));
    const shared = [...all].filter((k) => objects.every((o) => k in o));
    gots.forEach((item, i) => {
      if (kindOf(item) !== 'object') { diffs.push(`${path}[${i}]: expected object, got ${kindOf(item)}`); return; }
      const record = item as Record<string, unknown>;
      for (const k of shared) if (!(k in record) && !rules.optional.has(k)) diffs.push(`${path}[${i}].${k}: missing`);
      for (const k of Object.keys(record)) {
        if (!all.has(k)) { if (!rules.optional.has(k)) diffs.push(`${path}[${i}].${k}: not in ${rules.source}`); continue; }
        walk(objects.find((o) => k in o)![k], record[k], `${path}[${i}].${k}`);
      }
    });
  };

  walk(expected, actual, '');
  return diffs;
}

/** What a conformance test compares besides the body: status and content type. */
export interface ActualResponse {
  status: number;
  contentType: string;
  body: unknown;
}
