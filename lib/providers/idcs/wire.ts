/**
 * Authenticate API responses, read tolerantly. Shapes: Oracle's docs page "Using the
 * Authenticate API to Develop a Custom Sign-in Page" (2025-01-14) and the example bodies of
 * Oracle's Postman collections (../shared/vendor/idcs). Oracle's examples do not always carry
 * `status` (the terms-of-use prompt has none) or `nextAuthFactors` (after choosing a device,
 * after a verified enrollment): neither is required here.
 */
import { MultiStepError } from '../../errors.js';

export type WireObject = Record<string, unknown>;

/** One enrolled device of a factor (`enrolledDevices` of a getBackupFactors answer). */
export interface Device {
  deviceId?: string;
  displayName?: string;
}

/** The parts of a response the provider uses. */
export interface IdcsResponse {
  status: 'success' | 'pending' | 'failed';
  httpStatus: number;
  ecId?: string;
  /** The device (or e-mail address, masked phone) the step is about: never the person. */
  displayName?: string;
  nextOp: string[];
  nextAuthFactors: string[];
  cause?: { code?: string; message?: string };
  requestState?: string;
  authnToken?: string;
  trustToken?: string;
  enrollmentRequired?: boolean;
  trustDurationInDays?: number;
  /** The raw body, for per-factor objects (`TOTP`, `SMS`, …) and `TOU`. */
  raw: WireObject;
}

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Keys of a response that are not factor objects even though they look like one. */
const notFactors = new Set(['TOU', 'IDP', 'USERNAME_PASSWORD', 'USERNAME']);

export function readResponse(body: unknown, httpStatus: number): IdcsResponse {
  if (!isObject(body)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const cause = Array.isArray(body.cause) && isObject(body.cause[0]) ? body.cause[0] : undefined;
  const status = body.status ?? (httpStatus >= 400 || (cause && !body.nextOp) ? 'failed' : 'success');
  if (status !== 'success' && status !== 'pending' && status !== 'failed') throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const mfa = isObject(body.mfaSettings) ? body.mfaSettings : undefined;
  const trusted = isObject(body.trustedDeviceSettings) ? body.trustedDeviceSettings : undefined;
  // The docs and collections spell trustDurationInDays; AuthAPIPayloadContracts.md spells trustedDurationInDays.
  const days = trusted?.trustDurationInDays ?? trusted?.trustedDurationInDays;
  const response: IdcsResponse = {
    status: httpStatus >= 400 ? 'failed' : status,
    httpStatus,
    nextOp: strings(body.nextOp),
    nextAuthFactors: strings(body.nextAuthFactors),
    raw: body,
  };
  const fields = {
    ecId: str(body.ecId), displayName: str(body.displayName), requestState: str(body.requestState),
    authnToken: str(body.authnToken), trustToken: str(body.trustToken),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (response as unknown as WireObject)[key] = value;
  if (cause) response.cause = { ...(str(cause.code) ? { code: str(cause.code) } : {}), ...(str(cause.message) ? { message: str(cause.message) } : {}) };
  if (typeof mfa?.enrollmentRequired === 'boolean') response.enrollmentRequired = mfa.enrollmentRequired;
  const dayCount = typeof days === 'string' ? Number(days) : days;
  if (typeof dayCount === 'number' && Number.isFinite(dayCount) && dayCount > 0) response.trustDurationInDays = dayCount;
  return response;
}

/** The per-factor object (`{credentials, enrolledDevices, questions, qrCode, …}`), if present. */
export function factorObject(response: IdcsResponse, factor: string): WireObject | undefined {
  const value = response.raw[factor];
  return isObject(value) ? value : undefined;
}

/** The `credentials` names a factor object lists (what the answer must carry). */
export function credentialNames(response: IdcsResponse, factor: string): string[] {
  return strings(factorObject(response, factor)?.credentials);
}

/**
 * The factors a response is about: `nextAuthFactors`, or, where Oracle leaves it out (a device
 * was chosen, an enrollment started), the factor objects present in the body.
 */
export function factorsOf(response: IdcsResponse): string[] {
  if (response.nextAuthFactors.length > 0) return response.nextAuthFactors;
  return Object.keys(response.raw).filter((key) => /^[A-Z][A-Z0-9_]+$/.test(key) && !notFactors.has(key)
    && Array.isArray(factorObject(response, key)?.credentials));
}

export function devicesOf(response: IdcsResponse, factor: string): Device[] {
  const list = factorObject(response, factor)?.enrolledDevices;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((d) => ({
    ...(str(d.deviceId) ? { deviceId: str(d.deviceId) } : {}),
    ...(str(d.displayName) ? { displayName: str(d.displayName) } : {}),
  }));
}
