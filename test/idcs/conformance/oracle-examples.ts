/**
 * Typed access to oracle-examples.json: Oracle's own example responses of the IDCS
 * Authenticate API, plus the authnToken helpers the conformance harness needs.
 *
 * The table is derived from the vendored evidence (shared/vendor/idcs, see its README.md):
 * the Postman collection's saved responses, the docs page "Using the Authenticate API to
 * Develop a Custom Sign-in Page", the status-code and error-code catalogues. Each entry names
 * its source. Keys, nesting, `status`, cause codes and messages, HTTP status and the
 * presence/absence of every field are as in the example; only long opaque strings are
 * shortened: requestState/trustToken elided the way Oracle's docs do (`head.....tail`),
 * authnTokens rebuilt as Oracle-shaped JWTs (header `{kid,typ,alg}`, claims
 * `{session,iss,exp,iat,tenant}`, dummy signature), QR images replaced by a 1x1 PNG.
 * Entries marked `unverified` are not Oracle examples; their `note` says what they are built from.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OracleExample {
  /** Vendor file and request/section the example comes from. */
  source: string;
  httpStatus: number;
  /** JSON body, or the raw text of a non-JSON body (see `contentType`). */
  body: JsonObject | string;
  /** The request Oracle shows with it, as Oracle wrote it (placeholders kept). */
  request?: JsonObject;
  /** Only for non-JSON bodies. */
  contentType?: string;
  /** Not an Oracle example: built from other evidence, see `note`. */
  unverified?: boolean;
  note?: string;
}

const table = JSON.parse(readFileSync(new URL('./oracle-examples.json', import.meta.url), 'utf8')) as Record<string, OracleExample>;

/** Every example, by scenario id. */
export const oracleExamples: Readonly<Record<string, OracleExample>> = table;

/** One example; throws for an unknown id (a typo in a script). */
export function example(id: string): OracleExample {
  const found = Object.hasOwn(oracleExamples, id) ? oracleExamples[id] : undefined;
  if (!found) throw new Error(`no Oracle example "${id}" in oracle-examples.json`);
  return found;
}

/** A fresh copy of an example's JSON body. */
export function exampleBody(id: string): JsonObject {
  const { body } = example(id);
  if (typeof body === 'string') throw new Error(`Oracle example "${id}" has no JSON body`);
  return structuredClone(body);
}

export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signature: string;
}

/** Splits and decodes a JWS compact token (no signature check). */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`not a JWT: ${token.slice(0, 40)}…`);
  const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as JsonObject;
  return { header: part(parts[0]!), payload: part(parts[1]!), signature: parts[2]! };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An authnToken as IDCS issues it: the example's header and claims, with a new session,
 * `iat` = now and the example's lifetime (about 29 s). The signature is random bytes of an
 * RS256 signature's size: nobody here holds IDCS's key, so nothing may need to verify it.
 */
export function remintAuthnToken(exampleToken: string, nowMs = Date.now()): string {
  const { header, payload } = decodeJwt(exampleToken);
  const lifetime = typeof payload.exp === 'number' && typeof payload.iat === 'number' ? payload.exp - payload.iat : 29;
  const iat = Math.floor(nowMs / 1000);
  const claims = { ...payload, session: randomBytes(48).toString('base64'), iat, exp: iat + lifetime };
  return `${b64url(header)}.${b64url(claims)}.${randomBytes(256).toString('base64url')}`;
}
