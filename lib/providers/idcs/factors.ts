/**
 * Authentication factors → normalized mechanisms, and what the provider keeps per mechanism.
 * Factor names, credential names and `enrolledDevices`: AuthAPIFactorsCredentials.md and the
 * getBackupFactors examples of the docs page. A response's `displayName` names the device or
 * address the code or push goes to ("Joe's iPhone", "+44XXXXXXXX213", "joeXXXXXXXXX@example.com"),
 * never the person. Local ids (`totp`, `sms-2`…) mean nothing upstream.
 */
import { applyPlainText, maskAddress, plainLabel, type Channel, type Destination } from '../../mechanism-text.js';
import type { JsonObject } from '../../provider.js';
import type { Mechanism } from '../../step.js';
import { devicesOf, factorObject, factorsOf, isObject, str, type IdcsResponse } from './wire.js';

/** What the provider keeps for one offered mechanism (in the session only). */
export interface StoredFactor extends JsonObject {
  /** The IDCS factor name (`TOTP`, `SMS`, …), or a pseudo one: `USERNAME_PASSWORD`, `ENROLL`, `SKIP`, `TOU`. */
  factor: string;
  deviceId?: string;
  /** For ENROLL: the factor being set up. */
  enrollFactor?: string;
  /** Local question id → IDCS questionId. */
  questionIds?: Record<string, string>;
  view: Mechanism & JsonObject;
}

/** Factors this provider can drive; others are shown as unavailable. */
const supported = new Set(['USERNAME_PASSWORD', 'TOTP', 'SMS', 'EMAIL', 'PUSH', 'SECURITY_QUESTIONS', 'BYPASSCODE']);
/** Factors whose choice makes IDCS send something (so choosing is an upstream call). */
export const sendingFactors = new Set(['SMS', 'EMAIL', 'PUSH']);

export function passwordFactor(): StoredFactor {
  const stored: StoredFactor = { factor: 'USERNAME_PASSWORD', view: { id: 'password', type: 'password', label: '', prompt: '' } };
  applyPlainText(stored.view, 'password');
  return stored;
}

/**
 * The mechanisms a response offers: one per enrolled device where Oracle lists devices.
 * Social and SAML identity providers (`IDP`) are left out: they need the browser to post a
 * form to /sso/v1/sdk/secure/idp with the requestState, which never leaves the server here.
 */
export function offeredFactors(response: IdcsResponse): StoredFactor[] {
  return factorsOf(response).filter((factor) => factor !== 'IDP').flatMap((factor) => {
    if (!supported.has(factor)) return [unsupported(factor)];
    if (factor === 'USERNAME_PASSWORD') return [passwordFactor()];
    const devices = devicesOf(response, factor);
    if (devices.length === 0) return [factorView(factor, undefined, response)];
    return devices.map((device, i) => factorView(factor, { index: i, ...device }, response));
  });
}

/** Whether a single-factor response asks for the code straight away (IDCS already sent it, or it is an app code). */
export function awaitsAnswer(response: IdcsResponse, factor: string): boolean {
  return devicesOf(response, factor).length === 0 && factor !== 'PUSH';
}

function unsupported(factor: string): StoredFactor {
  return { factor, view: { id: factor.toLowerCase().replace(/[^a-z0-9]+/g, '-'), type: 'unsupported', label: labelOf(factor), prompt: '' } };
}

function factorView(factor: string, device: { index: number; deviceId?: string; displayName?: string } | undefined, response: IdcsResponse): StoredFactor {
  const base = factor.toLowerCase().replace(/_/g, '-');
  const id = device && device.index > 0 ? `${base}-${device.index + 1}` : base;
  // Without a device list, the response's own displayName names the device in play.
  const where = device ? device.displayName : response.displayName;
  const stored: StoredFactor = { factor, view: { id, type: 'otp', label: labelOf(factor), prompt: '' } };
  if (device?.deviceId) stored.deviceId = device.deviceId;
  describeDevice(stored, where);
  if (factor === 'PUSH') stored.view.type = 'push';
  if (factor === 'SECURITY_QUESTIONS') {
    stored.view.type = 'question';
    const { questionIds, questions } = questionsOf(response, factor);
    stored.questionIds = questionIds;
    stored.view.questions = questions;
  }
  return stored;
}

/** IDCS factor names → the channel their plain label and prompt describe. */
const channels: Record<string, Channel> = {
  USERNAME_PASSWORD: 'password', SMS: 'sms', EMAIL: 'email', PHONE_CALL: 'voice', TOTP: 'app-code', PUSH: 'push',
  SECURITY_QUESTIONS: 'questions', BYPASSCODE: 'bypass-code', YUBICO_OTP: 'hardware-code', FIDO_AUTHENTICATOR: 'security-key',
};

/**
 * Where a factor's code or push goes. Oracle's SMS examples name a masked number
 * ("172XXXXX241") or a phone ("Joe's iPhone"); e-mail ones an address; app factors a device.
 */
function destinationOf(factor: string, where: string | undefined): Destination {
  if (!where) return {};
  const channel = channels[factor];
  return channel && maskAddress(channel, where) && (channel !== 'sms' || /[0-9X]{4,}/.test(where)) ? { address: where } : { device: where };
}

/**
 * Puts the plain label and prompt, and the address (one masked format) or device name, on a
 * mechanism. An enrollment keeps its own set-up wording and gets the address only.
 */
export function describeDevice(stored: StoredFactor, where: string | undefined): void {
  const factor = stored.enrollFactor ?? stored.factor;
  const destination = destinationOf(factor, where);
  const channel = channels[factor];
  if (stored.enrollFactor || !channel) {
    const masked = channel ? maskAddress(channel, destination.address) : undefined;
    if (masked) stored.view.maskedAddress = masked;
    if (destination.device) stored.view.device = destination.device;
    return;
  }
  applyPlainText(stored.view, channel, destination);
}

/** The questions of a SECURITY_QUESTIONS object (`questions: [{questionId, text, hint}]`). */
export function questionsOf(response: IdcsResponse, factor: string, limit = Infinity): { questionIds: Record<string, string>; questions: NonNullable<Mechanism['questions']> } {
  const list = factorObject(response, factor)?.questions;
  const questionIds: Record<string, string> = {};
  const questions = (Array.isArray(list) ? list.filter(isObject) : []).flatMap((q, i) => {
    const questionId = str(q.questionId);
    if (!questionId) return [];
    const local = `q${i + 1}`;
    questionIds[local] = questionId;
    const hint = str(q.hint);
    return [{ id: local, text: str(q.text) ?? `Question ${i + 1}`, ...(hint ? { hint } : {}) }];
  }).slice(0, limit);
  for (const local of Object.keys(questionIds)) if (!questions.some((q) => q.id === local)) delete questionIds[local];
  return { questionIds, questions };
}

/** Re-reads a factor's mechanism from a later response (e.g. a wrong answer that asks another question). */
export function refreshFactor(stored: StoredFactor, response: IdcsResponse): StoredFactor {
  if (stored.factor !== 'SECURITY_QUESTIONS' || !factorObject(response, 'SECURITY_QUESTIONS')) return stored;
  const { questionIds, questions } = questionsOf(response, 'SECURITY_QUESTIONS');
  const same = questions.length === stored.view.questions?.length && questions.every((q, i) => questionIds[q.id] === stored.questionIds?.[stored.view.questions![i]!.id]);
  if (questions.length === 0 || same) return stored;
  return { ...stored, questionIds, view: { ...stored.view, questions } };
}

export function labelOf(factor: string): string {
  const channel = channels[factor];
  if (channel) return plainLabel(channel);
  return ({ DUO_SECURITY: 'Duo Security' } as Record<string, string>)[factor] ?? factor.replace(/_/g, ' ').toLowerCase();
}
