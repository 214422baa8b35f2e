/**
 * OAA `/authn/v1` answers, read tolerantly, and the request shapes Oracle's reference does not show.
 *
 * Not one `/authn/v1` response body is public (shared/vendor/oaa-evidence.md §0): every response
 * name and status spelling below is a guess ranked by the evidence, and each is marked
 * UNVERIFIED. Each one is looked up through a list of candidates (the app's own names first,
 * `responseFields` / `statusValues`), keys case-insensitively, statuses ignoring case, spaces,
 * underscores and hyphens. An answer this reader cannot place (no status, a status value in no
 * list, no factor where one is needed…) is "unreadable": the provider answers
 * UPSTREAM_BAD_RESPONSE and logs the field NAMES it saw, never a verdict about the user.
 */
export type WireObject = Record<string, unknown>;

/**
 * Candidate names (dot-separated paths, `*` = any object-valued property) of each response
 * field; the first one present wins. Keys match case-insensitively when no exact key exists.
 */
export interface OaaFieldNames {
  /** UNVERIFIED. `correlationId`: tutorial caption (evidence E1) + word-for-word request description (E3); `transactionId`: seed 003. */
  correlationId: string[];
  /** UNVERIFIED. `nonce`: tutorial caption (E1) + request description (E3). */
  nonce: string[];
  /**
   * UNVERIFIED. The status object's name is not shown (E2 property 1; its position argues against
   * `statusInfo`/`status`), so after `statusInfo.status` and a top-level `status` any object's `status` is tried.
   */
  status: string[];
  /** UNVERIFIED. The status code ("ORA-40004" for authenticated, E1), inside the same unnamed status object. */
  code: string[];
  /** UNVERIFIED. The status object's message (E2: "Error message generated…"); only read for a leading code. */
  statusMessage: string[];
  /** UNVERIFIED. `challengeInfo` is named in the schema outline (E2); `challenges` is an older guess. */
  challenges: string[];
  /** UNVERIFIED. The factor key of a `challengeInfo[]` entry: its name is not shown anywhere (E2). */
  challengeType: string[];
  /** UNVERIFIED. `prompts` is named in the outline (E2): an array of `Prompt` (strings or objects). */
  prompts: string[];
  /** UNVERIFIED. The text of a `Prompt` object (its properties are not shown). */
  promptText: string[];
  /** UNVERIFIED. `challengeAttrMap` is named in the outline (E2): "a map represented as an array of entries". */
  attributes: string[];
  /** UNVERIFIED. The name of an attribute entry, when the map is an array of entries. */
  attributeName: string[];
  /** UNVERIFIED. The value of an attribute entry, when the map is an array of entries. */
  attributeValue: string[];
  /** UNVERIFIED. Attribute naming the (masked) e-mail address of `ChallengeEmail`. */
  emailAttribute: string[];
  /** UNVERIFIED. Attribute naming the (masked) phone number of `ChallengeSMS`. */
  phoneAttribute: string[];
  /** UNVERIFIED. Attribute naming the push device. */
  deviceAttribute: string[];
  /** UNVERIFIED. The message of a 4xx answer (`AuthnAPIResponse`, properties not shown; sibling runtime APIs use `responseMessage`, E4). */
  errorMessage: string[];
  /** UNVERIFIED. The code of a 4xx answer (sibling runtime APIs: `responseCode`, E4); only logged. */
  errorCode: string[];
}

/** The response names the provider tries by default (every one UNVERIFIED, see {@link OaaFieldNames}). */
export const defaultFieldNames: OaaFieldNames = {
  correlationId: ['correlationId', 'transactionId'],
  nonce: ['nonce'],
  status: ['statusInfo.status', 'status', '*.status'],
  code: ['statusInfo.code', 'code', '*.code'],
  statusMessage: ['statusInfo.message', 'message'],
  challenges: ['challengeInfo', 'challenges'],
  challengeType: ['challengeType', 'factorKey', 'factorName'],
  prompts: ['prompts', 'prompt'],
  promptText: ['text', 'value', 'prompt', 'displayText'],
  attributes: ['challengeAttrMap', 'attributes'],
  attributeName: ['name', 'key'],
  attributeValue: ['value'],
  emailAttribute: ['email', 'emailAddress', 'mail'],
  phoneAttribute: ['phone', 'mobile', 'phoneNumber', 'sms'],
  deviceAttribute: ['deviceName', 'device'],
  errorMessage: ['responseMessage', 'message', '*.message'],
  errorCode: ['responseCode', 'code', '*.code'],
};

/** The seven statuses of the schema outline (E2), by meaning. */
export type OaaStatus =
  | 'authenticated' | 'pending verification' | 'pending identification' | 'failed' | 'error' | 'missing registration' | 'challenge blocked';

/**
 * Wire spellings of each status. The vocabulary is documented (E2) only in prose; its spelling on
 * the wire (`pending verification`, `PENDING_VERIFICATION`, `Authenticated`…) is UNVERIFIED.
 */
export interface OaaStatusValues {
  authenticated: string[];
  pendingVerification: string[];
  pendingIdentification: string[];
  failed: string[];
  error: string[];
  missingRegistration: string[];
  challengeBlocked: string[];
  /** UNVERIFIED. Codes (in the code field, or leading the message) that mean authenticated when no status is sent: `ORA-40004` (E1). */
  authenticatedCodes: string[];
}

/** The documented prose spellings (E2); compared ignoring case, spaces, underscores and hyphens. */
export const defaultStatusValues: OaaStatusValues = {
  authenticated: ['authenticated'],
  pendingVerification: ['pending verification'],
  pendingIdentification: ['pending identification'],
  failed: ['failed'],
  error: ['error'],
  missingRegistration: ['missing registration'],
  challengeBlocked: ['challenge blocked'],
  authenticatedCodes: ['ORA-40004'],
};

const statusOf: Record<Exclude<keyof OaaStatusValues, 'authenticatedCodes'>, OaaStatus> = {
  authenticated: 'authenticated',
  pendingVerification: 'pending verification',
  pendingIdentification: 'pending identification',
  failed: 'failed',
  error: 'error',
  missingRegistration: 'missing registration',
  challengeBlocked: 'challenge blocked',
};

/**
 * Request shapes Oracle's reference does not show. Each default is the documented form; every
 * alternative is UNVERIFIED.
 */
export interface OaaRequestFields {
  /**
   * UNVERIFIED. Where PUT Init names the chosen factor (dot paths). The reference shows only
   * `challengedata` (InitChallengeData, with `factorAttributes`), not the field naming the factor.
   * Default `['challengedata.factorKey']` (the preferences API's name for it); add `'challengeType'`
   * for a top-level copy.
   */
  initFactor: string[];
  /**
   * UNVERIFIED. Shape of `context.assuranceLevel`: the reference shows an object whose properties
   * are not listed. `name` (default) → `{"name": level}`, `id` → `{"id": level}`, `string` → the bare name.
   */
  assuranceLevel: 'name' | 'id' | 'string';
  /**
   * UNVERIFIED. `context` property for the client's IP address: described by the reference, name not
   * shown, so not sent by default (`null`). E.g. `'ipAddress'`.
   */
  ipAddress: string | null;
  /** UNVERIFIED. `context` property for the user agent; not sent by default (`null`). E.g. `'userAgent'`. (The `user-agent` header is forwarded in `context.headers` anyway.) */
  userAgent: string | null;
  /** UNVERIFIED. Names of an entry of `context.headers` and `context.userCookies` (the reference shows the arrays, not their entries). Default `{name, value}`. */
  pair: { name: string; value: string };
}

export const defaultRequestFields: OaaRequestFields = {
  initFactor: ['challengedata.factorKey'],
  assuranceLevel: 'name',
  ipAddress: null,
  userAgent: null,
  pair: { name: 'name', value: 'value' },
};

/** Your names first, then the documented guesses, so either spelling is accepted. */
export function fieldNames(custom: Partial<OaaFieldNames> = {}): OaaFieldNames {
  return mergeLists(defaultFieldNames, custom);
}

/** Your spellings first, then the documented ones. */
export function statusValues(custom: Partial<OaaStatusValues> = {}): OaaStatusValues {
  return mergeLists(defaultStatusValues, custom);
}

function mergeLists<T extends { [K in keyof T]: string[] }>(defaults: T, custom: Partial<T>): T {
  const merged = { ...defaults };
  for (const key of Object.keys(custom) as Array<keyof T>) {
    if (!Object.hasOwn(defaults, key)) throw new TypeError(`OAA provider: unknown name list \`${String(key)}\``);
  }
  for (const key of Object.keys(defaults) as Array<keyof T>) {
    const mine: unknown = custom[key];
    if (mine !== undefined && (!Array.isArray(mine) || mine.some((n) => typeof n !== 'string' || n === ''))) {
      throw new TypeError(`OAA provider: \`${String(key)}\` must be a list of non-empty strings`);
    }
    merged[key] = [...new Set([...((mine as string[] | undefined) ?? []), ...defaults[key]])] as T[keyof T];
  }
  return merged;
}

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own key of `object` named `name`: exactly, else case-insensitively. */
function key(object: WireObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

/** The values at `path` (`*` fans out over object-valued properties), in order. */
function* at(value: unknown, parts: string[]): Generator<unknown> {
  if (parts.length === 0) {
    yield value;
    return;
  }
  if (!isObject(value)) return;
  const [part, ...rest] = parts as [string, ...string[]];
  if (part === '*') {
    for (const child of Object.values(value)) if (isObject(child)) yield* at(child, rest);
    return;
  }
  const k = key(value, part);
  if (k !== undefined) yield* at(value[k], rest);
}

/** The first candidate path holding a value that `accept` takes, with the path it was found at. */
function first<T>(body: WireObject, paths: string[], accept: (value: unknown) => T | undefined): { value: T; path: string } | undefined {
  for (const path of paths) {
    for (const value of at(body, path.split('.'))) {
      const accepted = accept(value);
      if (accepted !== undefined) return { value: accepted, path };
    }
  }
  return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim().length > 0 ? value : undefined);
const list = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : undefined);

/** "pending verification" ≡ "PENDING_VERIFICATION" ≡ "Pending-Verification". */
export function normalizeStatus(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** One offered challenge. */
export interface Challenge {
  factorKey: string;
  prompt?: string;
  attributes: Record<string, string>;
}

/** An answer the provider could read. */
export interface OaaResponse {
  correlationId?: string;
  nonce?: string;
  status: OaaStatus;
  challenges: Challenge[];
  /** How many challenge entries the answer listed (readable or not). */
  challengeEntries: number;
  /** The answer's field names (never values), for the log when the caller cannot act on it. */
  fieldNames: string[];
}

/** Why an answer could not be read, and the field names it had (never values). */
export interface Unreadable {
  reason: 'not a JSON object' | 'no status' | 'unknown status' | 'no correlationId' | 'no challenges' | 'no factor names' | 'another correlationId';
  fields: string[];
  /** Where the unknown status was found. */
  statusField?: string;
}

export type ReadResult = { ok: true; response: OaaResponse } | { ok: false; unreadable: Unreadable };

/** Reads an `/authn/v1` answer; `ok: false` when its status cannot be placed. */
export function readResponse(body: unknown, names: OaaFieldNames, values: OaaStatusValues): ReadResult {
  if (!isObject(body)) return { ok: false, unreadable: { reason: 'not a JSON object', fields: [] } };
  const unreadable = (reason: Unreadable['reason'], statusField?: string): ReadResult =>
    ({ ok: false, unreadable: { reason, fields: fieldNamesOf(body), ...(statusField ? { statusField } : {}) } });

  let status: OaaStatus | undefined;
  const found = first(body, names.status, text);
  if (found) {
    status = statusFrom(found.value, values);
    if (!status) return unreadable('unknown status', found.path);
  } else {
    // No status field: a code alone may still say "authenticated" ("ORA-40004 Authenticated", E1).
    const code = first(body, names.code, text)?.value ?? leadingCode(first(body, names.statusMessage, text)?.value);
    const codes = new Set(values.authenticatedCodes.map((c) => c.trim().toUpperCase()));
    if (code && codes.has(code.trim().toUpperCase())) status = 'authenticated';
    else return unreadable('no status');
  }

  const entries = (first(body, names.challenges, list)?.value ?? []).filter(isObject);
  const challenges = entries.flatMap((entry): Challenge[] => {
    const factorKey = first(entry, names.challengeType, text)?.value;
    if (!factorKey) return [];
    const prompt = first(entry, names.prompts, (v) => promptOf(v, names))?.value;
    return [{ factorKey, ...(prompt ? { prompt } : {}), attributes: attributesOf(entry, names) }];
  });
  const response: OaaResponse = { status, challenges, challengeEntries: entries.length, fieldNames: fieldNamesOf(body) };
  const correlationId = first(body, names.correlationId, text)?.value;
  const nonce = first(body, names.nonce, text)?.value;
  if (correlationId) response.correlationId = correlationId;
  if (nonce) response.nonce = nonce;
  return { ok: true, response };
}

function statusFrom(value: string, values: OaaStatusValues): OaaStatus | undefined {
  const wanted = normalizeStatus(value);
  for (const [meaning, status] of Object.entries(statusOf) as Array<[keyof typeof statusOf, OaaStatus]>) {
    if (values[meaning].some((v) => normalizeStatus(v) === wanted)) return status;
  }
  return undefined;
}

/** "ORA-40004 Authenticated" → "ORA-40004". */
function leadingCode(message: string | undefined): string | undefined {
  return message ? /^\s*([A-Za-z]+-\d+)\b/.exec(message)?.[1] : undefined;
}

/** The first prompt's text: a string, or a `Prompt` object's text. */
function promptOf(value: unknown, names: OaaFieldNames): string | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  if (isObject(item)) return first(item, names.promptText, text)?.value;
  return text(item);
}

/** `challengeAttrMap` as a plain map: an object of strings, or an array of `{name, value}` entries. */
function attributesOf(entry: WireObject, names: OaaFieldNames): Record<string, string> {
  const raw = first(entry, names.attributes, (v) => (isObject(v) || Array.isArray(v) ? v : undefined))?.value;
  const out: Record<string, string> = {};
  if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  } else if (Array.isArray(raw)) {
    for (const item of raw.filter(isObject)) {
      const name = first(item, names.attributeName, text)?.value;
      const value = first(item, names.attributeValue, text)?.value;
      if (name && value && !Object.hasOwn(out, name)) out[name] = value;
    }
  }
  return out;
}

/** The message and code of a 4xx answer, when it has them. */
export function readError(body: unknown, names: OaaFieldNames): { message?: string; code?: string } {
  if (!isObject(body)) return {};
  const message = first(body, names.errorMessage, text)?.value;
  const code = first(body, names.errorCode, (v) => (typeof v === 'number' ? String(v) : text(v)))?.value;
  return { ...(message ? { message } : {}), ...(code ? { code } : {}) };
}

/** The first attribute among `candidates` (case-insensitive). */
export function attribute(attributes: Record<string, string>, candidates: string[]): string | undefined {
  for (const candidate of candidates) {
    const k = key(attributes, candidate);
    if (k !== undefined && text(attributes[k])) return attributes[k];
  }
  return undefined;
}

/** A key that is plainly a field name (not an id, address or token used as a key). */
const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;
const MAX_NAMES = 60;

/**
 * The field names of an answer, for the log: top-level keys, the keys of nested objects
 * (`statusInfo.status`) and of array entries (`challengeInfo[].challengeType`), two levels deep.
 * Values never; a key that does not look like a name is shown as `?`.
 */
export function fieldNamesOf(body: WireObject): string[] {
  const names = new Set<string>();
  const name = (k: string): string => (NAME.test(k) ? k : '?');
  const walk = (value: unknown, prefix: string, depth: number): void => {
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 5)) if (isObject(item)) walk(item, `${prefix}[]`, depth);
      return;
    }
    if (!isObject(value) || depth > 1) return;
    for (const [k, child] of Object.entries(value)) {
      if (names.size >= MAX_NAMES) return;
      const path = prefix ? `${prefix}.${name(k)}` : name(k);
      names.add(path);
      walk(child, path, depth + 1);
    }
  };
  walk(body, '', 0);
  return [...names];
}
