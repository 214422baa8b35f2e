/**
 * OAA `/authn/v1` responses, read tolerantly. Most response field names are not publicly
 * confirmed (oaa.md §2.2, §7.1): every field is looked up through a list of candidate
 * names (configurable, documented guesses first), and statuses are compared after
 * normalizing case, spaces, underscores and hyphens.
 */
import { MultiStepError } from '../../errors.js';

export type WireObject = Record<string, unknown>;

/** Candidate paths (dot-separated) for each response field; the first present one wins. */
export interface OaaFieldNames {
  correlationId: string[];
  nonce: string[];
  status: string[];
  statusMessage: string[];
  challenges: string[];
  challengeType: string[];
  prompts: string[];
  attributes: string[];
}

export const defaultFieldNames: OaaFieldNames = {
  correlationId: ['correlationId', 'transactionId'],
  nonce: ['nonce'],
  status: ['statusInfo.status', 'status'],
  statusMessage: ['statusInfo.message', 'message'],
  challenges: ['challengeInfo', 'challenges'],
  challengeType: ['challengeType', 'factorKey'],
  prompts: ['prompts'],
  attributes: ['challengeAttrMap', 'attributes'],
};

/** Your names first, then the documented guesses, so either spelling is accepted. */
export function fieldNames(custom: Partial<OaaFieldNames> = {}): OaaFieldNames {
  const merged = { ...defaultFieldNames };
  for (const key of Object.keys(defaultFieldNames) as Array<keyof OaaFieldNames>) {
    merged[key] = [...new Set([...(custom[key] ?? []), ...defaultFieldNames[key]])];
  }
  return merged;
}

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(body: WireObject, path: string): unknown {
  let value: unknown = body;
  for (const part of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function first(body: WireObject, paths: string[]): unknown {
  for (const path of paths) {
    const value = at(body, path);
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

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

export interface OaaResponse {
  correlationId?: string;
  nonce?: string;
  /** Normalized status ('' when absent). */
  status: string;
  message?: string;
  challenges: Challenge[];
}

export function readResponse(body: unknown, names: OaaFieldNames): OaaResponse {
  if (!isObject(body)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const status = text(first(body, names.status));
  const list = first(body, names.challenges);
  const challenges = (Array.isArray(list) ? list : []).filter(isObject).flatMap((c): Challenge[] => {
    const factorKey = text(first(c, names.challengeType));
    if (!factorKey) return [];
    const prompts = first(c, names.prompts);
    const prompt = Array.isArray(prompts) ? text(prompts[0]) : text(prompts);
    const rawAttributes = first(c, names.attributes);
    const attributes: Record<string, string> = {};
    if (isObject(rawAttributes)) for (const [k, v] of Object.entries(rawAttributes)) if (typeof v === 'string') attributes[k] = v;
    return [{ factorKey, ...(prompt ? { prompt } : {}), attributes }];
  });
  const response: OaaResponse = { status: status ? normalizeStatus(status) : '', challenges };
  const correlationId = text(first(body, names.correlationId));
  const nonce = text(first(body, names.nonce));
  const message = text(first(body, names.statusMessage));
  if (correlationId) response.correlationId = correlationId;
  if (nonce) response.nonce = nonce;
  if (message) response.message = message;
  return response;
}
