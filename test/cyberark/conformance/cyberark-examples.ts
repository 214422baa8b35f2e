/**
 * Typed access to cyberark-examples.json: responses CyberArk Identity clients keep as
 * recorded from (or modelled on) real tenants, copied from the vendored evidence
 * (shared/vendor/cyberark, see its README.md): conjur-cli-go's identity mocks and
 * jetstack-secure's testdata. Each entry names its source file and, where the client's own
 * test shows it, the request that client sends with it (`request`, as the client wrote it).
 * Keys, casing, `Summary`/`State` values, failure bodies and mechanism shapes are as in the
 * file; only conjur's QR image is shortened (see its `note`). Entries marked `unverified` are
 * not vendor files; their `note` says what they are built from.
 */
import { readFileSync } from 'node:fs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The CyberArk endpoints a replay serves (all `POST /Security/<endpoint>`). */
export type Endpoint = 'StartAuthentication' | 'AdvanceAuthentication' | 'OobAuthStatus' | 'WhoAmI' | 'CleanupAuthentication' | 'Logout';

export interface CyberArkExample {
  /** Vendor file (and the client test that uses it). */
  source: string;
  endpoint: Endpoint;
  httpStatus: number;
  body: JsonObject;
  /** The request the client sends with it, as its test spells it (placeholders in `<…>`). */
  request?: JsonObject;
  /** conjur's security-question answer request (start_auth_sq). */
  answerRequest?: JsonObject;
  /** Not a vendor file: built from other evidence, see `note`. */
  unverified?: boolean;
  note?: string;
}

const table = JSON.parse(readFileSync(new URL('./cyberark-examples.json', import.meta.url), 'utf8')) as Record<string, CyberArkExample>;

/** Every example, by id. */
export const cyberarkExamples: Readonly<Record<string, CyberArkExample>> = table;

/** One example; throws for an unknown id (a typo in a script). */
export function example(id: string): CyberArkExample {
  const found = Object.hasOwn(cyberarkExamples, id) ? cyberarkExamples[id] : undefined;
  if (!found) throw new Error(`no CyberArk example "${id}" in cyberark-examples.json`);
  return found;
}

/** A fresh copy of an example's body. */
export function exampleBody(id: string): JsonObject {
  return structuredClone(example(id).body);
}

/** The `Result` of an example (a copy); throws when it has none. */
export function exampleResult(id: string): JsonObject {
  const result = exampleBody(id).Result;
  if (!result || typeof result !== 'object' || Array.isArray(result)) throw new Error(`CyberArk example "${id}" has no Result object`);
  return result;
}

/** The mechanisms of challenge `index` of a package example (copies). */
export function exampleMechanisms(id: string, index: number): JsonObject[] {
  const challenges = exampleResult(id).Challenges as Array<{ Mechanisms: JsonObject[] }> | undefined;
  const challenge = challenges?.[index];
  if (!challenge) throw new Error(`CyberArk example "${id}" has no challenge ${index}`);
  return challenge.Mechanisms;
}
