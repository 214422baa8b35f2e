/**
 * CyberArk Identity wire format: the response envelope and the few fields we read.
 * Keys are read case-insensitively because real clients have seen `PodFQDN`/`PodFqdn`
 * and `success`/`Success` (cyberark.md §7.12).
 */
import { MultiStepError } from '../../errors.js';

export type WireObject = Record<string, unknown>;

/** The common envelope of every JSON answer. */
export interface Envelope {
  success: boolean;
  result: WireObject | undefined;
  message: string | undefined;
  errorId: string | undefined;
}

/** A field by exact name, else by case-insensitive name. */
export function field(obj: WireObject | undefined, name: string): unknown {
  if (!obj) return undefined;
  if (Object.hasOwn(obj, name)) return obj[name];
  // Most misses are optional fields that are simply absent: compare only keys of the same length, allocating nothing else.
  const lower = name.toLowerCase();
  for (const key in obj) {
    if (key.length === name.length && Object.hasOwn(obj, key) && key.toLowerCase() === lower) return obj[key];
  }
  return undefined;
}

export function stringField(obj: WireObject | undefined, name: string): string | undefined {
  const value = field(obj, name);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function numberField(obj: WireObject | undefined, name: string): number | undefined {
  const value = field(obj, name);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export function objectField(obj: WireObject | undefined, name: string): WireObject | undefined {
  const value = field(obj, name);
  return isObject(value) ? value : undefined;
}

export function arrayField(obj: WireObject | undefined, name: string): unknown[] | undefined {
  const value = field(obj, name);
  return Array.isArray(value) ? value : undefined;
}

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the envelope shape; anything else is UPSTREAM_BAD_RESPONSE. `Result` may be absent on failure (§7.13). */
export function readEnvelope(body: unknown): Envelope {
  if (!isObject(body)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const success = field(body, 'success');
  if (typeof success !== 'boolean') throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const result = field(body, 'Result');
  if (result !== undefined && result !== null && !isObject(result)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  return {
    success,
    result: isObject(result) ? result : undefined,
    message: stringField(body, 'Message'),
    errorId: stringField(body, 'ErrorID'),
  };
}
