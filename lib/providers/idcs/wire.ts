/** IDCS authentication API responses (idcs.md §2), read defensively. */
import { MultiStepError } from '../../errors.js';

export type WireObject = Record<string, unknown>;

/** One enrolled device of a factor. */
export interface Device {
  deviceId?: string;
  displayName?: string;
}

/** The parts of a response the provider uses. */
export interface IdcsResponse {
  status: 'success' | 'pending' | 'failed';
  ecId?: string;
  displayName?: string;
  nextOp: string[];
  nextAuthFactors: string[];
  cause?: { code?: string; message?: string };
  requestState?: string;
  authnToken?: string;
  trustToken?: string;
  scenario?: string;
  enrollmentRequired?: boolean;
  trustDurationInDays?: number;
  /** The raw body, for per-factor objects (`TOTP`, `SMS`, …) and `TOU`. */
  raw: WireObject;
}

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function readResponse(body: unknown): IdcsResponse {
  if (!isObject(body)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const status = body.status;
  if (status !== 'success' && status !== 'pending' && status !== 'failed') throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const cause = Array.isArray(body.cause) && isObject(body.cause[0]) ? body.cause[0] : undefined;
  const mfa = isObject(body.mfaSettings) ? body.mfaSettings : undefined;
  const trusted = isObject(body.trustedDeviceSettings) ? body.trustedDeviceSettings : undefined;
  const days = trusted?.trustDurationInDays ?? trusted?.trustedDurationInDays;
  const response: IdcsResponse = {
    status,
    nextOp: strings(body.nextOp),
    nextAuthFactors: strings(body.nextAuthFactors),
    raw: body,
  };
  const fields = {
    ecId: str(body.ecId), displayName: str(body.displayName), requestState: str(body.requestState),
    authnToken: str(body.authnToken), trustToken: str(body.trustToken), scenario: str(body.scenario),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) (response as unknown as WireObject)[key] = value;
  if (cause) response.cause = { ...(str(cause.code) ? { code: str(cause.code) } : {}), ...(str(cause.message) ? { message: str(cause.message) } : {}) };
  if (typeof mfa?.enrollmentRequired === 'boolean') response.enrollmentRequired = mfa.enrollmentRequired;
  if (typeof days === 'number' && days > 0) response.trustDurationInDays = days;
  return response;
}

/** The per-factor object (`{credentials, enrolledDevices, questions, …}`), if present. */
export function factorObject(response: IdcsResponse, factor: string): WireObject | undefined {
  const value = response.raw[factor];
  return isObject(value) ? value : undefined;
}

export function devicesOf(response: IdcsResponse, factor: string): Device[] {
  const list = factorObject(response, factor)?.enrolledDevices;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((d) => ({
    ...(str(d.deviceId) ? { deviceId: str(d.deviceId) } : {}),
    ...(str(d.displayName) ? { displayName: str(d.displayName) } : {}),
  }));
}
