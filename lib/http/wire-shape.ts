/**
 * The shape of an upstream exchange without any of its values: which keys a JSON body has
 * and what type (and length) each value is, which fields a form has, how long a text body
 * is. This is what the `passport-multistep:wire` log prints, so that someone whose tenant
 * answers differently from what the providers expect can paste it into a support ticket.
 *
 * What may appear: object keys and form/query/cookie names that look like identifiers (a
 * hostile upstream could put a secret in a key, so anything else is `<key>`), value types,
 * string and array lengths, and the value of booleans (`Success: false` is the most useful
 * fact about a CyberArk answer, and one bit says nothing about a user's secrets). What never
 * appears: a string, a number, or any part of a name that is not identifier-like.
 *
 * Every walk is bounded (depth, keys per object, elements per array, nodes in all) so a
 * hostile or huge body costs little and yields a short line; `…` marks where it was cut.
 */

/** How far a shape description goes before it says `…`. */
export interface ShapeLimits {
  /** Nesting levels of objects and arrays described; deeper values are `…`. */
  depth: number;
  /** Keys described per object; further keys are `…`. */
  width: number;
  /** Elements of one array examined for the union of their shapes. */
  elements: number;
  /** Values visited in the whole body; once spent, the rest is `…`. */
  nodes: number;
}

/** Enough for every answer the three APIs give (the largest has about 120 values), little for a hostile one. */
export const defaultShapeLimits: Readonly<ShapeLimits> = Object.freeze({ depth: 8, width: 40, elements: 50, nodes: 400 });

/** A key or field name printed as is; at most 64 characters, starting like an identifier. */
const safeKeyPattern = /^[A-Za-z_$][\w$.:-]{0,63}$/;
/** Cookie names may start with a dot or a digit (`.ASPXAUTH`), otherwise as {@link safeKeyPattern}. */
const safeCookieNamePattern = /^[\w$.:-]{1,64}$/;
/** A path segment printed as is (the paths come from configuration and the providers, but a base URL could carry anything). */
const safeSegmentPattern = /^[\w$.:@~-]{1,64}$/;

/** Stands for a name that is not printed. */
export const hiddenName = '<key>';

/** `name` if it is identifier-like and short, otherwise {@link hiddenName}. */
export function safeName(name: string): string {
  return safeKeyPattern.test(name) ? name : hiddenName;
}

// ---------------------------------------------------------------- the shape model

interface Range { min: number; max: number }

/**
 * The union of the shapes seen at one place (one key of all elements of an array, say):
 * at most one entry per JSON type, merged, so the description stays as small as the schema.
 */
interface Shape {
  object?: { keys: Map<string, Shape>; cut: boolean };
  array?: { length: Range; element: Shape | undefined; cut: boolean };
  string?: Range;
  number?: true;
  booleans?: { true: boolean; false: boolean };
  null?: true;
  /** Not described: too deep, or the node budget was spent. */
  cut?: true;
}

interface Walk { limits: ShapeLimits; nodesLeft: number }

function range(n: number): Range {
  return { min: n, max: n };
}

function widen(a: Range, b: Range): Range {
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** The union of two shapes (neither is modified). */
function merge(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Shape = {};
  if (a.object || b.object) {
    const keys = new Map(a.object?.keys);
    for (const [key, shape] of b.object?.keys ?? []) keys.set(key, merge(keys.get(key), shape)!);
    out.object = { keys, cut: Boolean(a.object?.cut || b.object?.cut) };
  }
  if (a.array || b.array) {
    const length = a.array && b.array ? widen(a.array.length, b.array.length) : (a.array ?? b.array)!.length;
    out.array = { length, element: merge(a.array?.element, b.array?.element), cut: Boolean(a.array?.cut || b.array?.cut) };
  }
  if (a.string || b.string) out.string = a.string && b.string ? widen(a.string, b.string) : (a.string ?? b.string);
  if (a.number || b.number) out.number = true;
  if (a.booleans || b.booleans) {
    out.booleans = { true: Boolean(a.booleans?.true || b.booleans?.true), false: Boolean(a.booleans?.false || b.booleans?.false) };
  }
  if (a.null || b.null) out.null = true;
  if (a.cut || b.cut) out.cut = true;
  return out;
}

/** The shape of a JSON-compatible value (`toJSON` and skipped `undefined` as JSON.stringify treats them). */
function shapeOf(value: unknown, depth: number, walk: Walk): Shape {
  if (walk.nodesLeft <= 0) return { cut: true };
  walk.nodesLeft--;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  switch (typeof value) {
    case 'string': return { string: range(value.length) };
    case 'number': case 'bigint': return { number: true };
    case 'boolean': return { booleans: { true: value, false: !value } };
    case 'object': break;
    default: return { null: true }; // undefined, a function or a symbol: JSON writes null (in arrays) or nothing
  }
  if (value === null) return { null: true };
  if (depth >= walk.limits.depth) return { cut: true };
  if (Array.isArray(value)) {
    let element: Shape | undefined;
    const limit = Math.min(value.length, walk.limits.elements);
    let examined = 0;
    for (; examined < limit && walk.nodesLeft > 0; examined++) element = merge(element, shapeOf(value[examined], depth + 1, walk));
    return { array: { length: range(value.length), element, cut: examined < value.length } };
  }
  const keys = new Map<string, Shape>();
  let described = 0;
  let cut = false;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const inner = (value as Record<string, unknown>)[key];
    if (inner === undefined || typeof inner === 'function' || typeof inner === 'symbol') continue; // JSON omits these
    if (described >= walk.limits.width || walk.nodesLeft <= 0) { cut = true; break; }
    described++;
    const name = safeName(key);
    keys.set(name, merge(keys.get(name), shapeOf(inner, depth + 1, walk))!);
  }
  return { object: { keys, cut } };
}

function renderRange(r: Range): string {
  return r.min === r.max ? String(r.min) : `${r.min}-${r.max}`;
}

/** One line: object and array first, then the scalar types, `|` between the members of a union. */
function render(shape: Shape | undefined): string {
  if (!shape) return '…';
  const members: string[] = [];
  if (shape.object) {
    const entries = [...shape.object.keys].map(([key, inner]) => `${key}: ${render(inner)}`);
    if (shape.object.cut) entries.push('…');
    members.push(`{${entries.join(', ')}}`);
  }
  if (shape.array) {
    const { length, element, cut } = shape.array;
    const inner = element ? render(element) + (cut ? ', …' : '') : cut ? '…' : '';
    members.push(`array(${renderRange(length)})${inner ? `[${inner}]` : ''}`);
  }
  if (shape.string) members.push(`string(${renderRange(shape.string)})`);
  if (shape.number) members.push('number');
  if (shape.booleans) members.push(shape.booleans.true && shape.booleans.false ? 'boolean' : String(shape.booleans.true));
  if (shape.null) members.push('null');
  if (shape.cut) members.push('…');
  return members.join(' | ');
}

// ---------------------------------------------------------------- what the wire log prints

/**
 * The shape of a JSON value, e.g. `{Success: true, Result: {SessionId: string(36), Challenges: array(2)[…]}}`.
 * @param limits where to stop (default {@link defaultShapeLimits}).
 */
export function describeJson(value: unknown, limits: ShapeLimits = defaultShapeLimits): string {
  return render(shapeOf(value, 0, { limits, nodesLeft: limits.nodes }));
}

/** The names and value lengths of form fields, e.g. `form {grant_type: string(42), assertion: string(812)}`. */
export function describeForm(fields: Iterable<[string, string]>, limits: ShapeLimits = defaultShapeLimits): string {
  const keys = new Map<string, Shape>();
  let cut = false;
  for (const [name, value] of fields) {
    if (keys.size >= limits.width && !keys.has(safeName(name))) { cut = true; break; }
    keys.set(safeName(name), merge(keys.get(safeName(name)), { string: range(value.length) })!);
  }
  return `form ${render({ object: { keys, cut } })}`;
}

/** Whether a body looks like an HTML page (a login page or a proxy's error page instead of the API's answer). */
export function looksLikeHtml(text: string, contentType: string): boolean {
  return /\bhtml\b/i.test(contentType) || /<(?:!doctype\s+html|html|head|body)\b/i.test(text.slice(0, 1024));
}

/**
 * A body as the wire log prints it: `json {…}` for JSON (or `invalid json(n)`), `form {…}`
 * for a form, otherwise only its length and whether it is HTML: `html(1234)`, `text(12)`, `empty`.
 */
export function describeBody(text: string, contentType: string, limits: ShapeLimits = defaultShapeLimits): string {
  if (text.length === 0) return 'empty';
  if (/\bjson\b/i.test(contentType)) {
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { return `invalid json(${text.length})`; }
    return `json ${describeJson(parsed, limits)}`;
  }
  if (/^\s*application\/x-www-form-urlencoded\b/i.test(contentType)) return describeForm(new URLSearchParams(text), limits);
  return `${looksLikeHtml(text, contentType) ? 'html' : 'text'}(${text.length})`;
}

/**
 * The path with the query's parameter names only, e.g. `/sso/v1/sdk/authenticate?appName=`.
 * Segments that are not plain words are `<segment>`: the path comes from configuration, but it is printed, so it is checked.
 */
export function describePath(url: URL): string {
  const path = url.pathname.split('/').map((segment) => (segment === '' || safeSegmentPattern.test(segment) ? segment : '<segment>')).join('/');
  const names = [...new Set(url.searchParams.keys())].slice(0, defaultShapeLimits.width).map((name) => `${safeName(name)}=`);
  return names.length > 0 ? `${path}?${names.join('&')}` : path;
}

/** The media type (and charset) of a Content-Type header; anything unusual is `<content-type>`. */
export function describeContentType(header: string): string {
  if (header.trim() === '') return 'no content-type';
  const [type = '', ...params] = header.toLowerCase().split(';').map((part) => part.trim());
  if (!/^[\w.+-]{1,64}\/[\w.+-]{1,64}$/.test(type)) return '<content-type>';
  const charset = params.find((p) => /^charset=[\w.:-]{1,32}$/.test(p));
  return charset ? `${type}; ${charset}` : type;
}

/** The names of the cookies a response sets, never their values or attributes: `2 [.ASPXAUTH, podFqdn]`. */
export function describeSetCookies(header: string | string[] | undefined): string | undefined {
  const cookies = header === undefined ? [] : Array.isArray(header) ? header : [header];
  if (cookies.length === 0) return undefined;
  const names = cookies.slice(0, defaultShapeLimits.width).map((cookie) => {
    const name = cookie.slice(0, Math.max(0, cookie.indexOf('='))).trim();
    return safeCookieNamePattern.test(name) ? name : hiddenName;
  });
  if (cookies.length > names.length) names.push('…');
  return `${cookies.length} [${names.join(', ')}]`;
}
