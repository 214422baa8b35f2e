/**
 * IDCS factors → normalized mechanisms, and what the provider keeps per mechanism.
 * Local ids are derived from the factor (`totp`, `sms`, `sms-2`…): they mean nothing upstream.
 */
import type { JsonObject } from '../../provider.js';
import type { Mechanism } from '../../step.js';
import { devicesOf, factorObject, isObject, type IdcsResponse } from './wire.js';

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

const supported = new Set(['USERNAME_PASSWORD', 'TOTP', 'SMS', 'EMAIL', 'PUSH', 'SECURITY_QUESTIONS', 'BYPASSCODE']);

export function passwordFactor(): StoredFactor {
  return { factor: 'USERNAME_PASSWORD', view: { id: 'password', type: 'password', label: 'Password', prompt: 'Enter your password' } };
}

/** The mechanisms a response offers for authentication (one per enrolled device where the factor has devices). */
export function offeredFactors(response: IdcsResponse): StoredFactor[] {
  return response.nextAuthFactors.flatMap((factor) => {
    if (!supported.has(factor)) {
      return [{ factor, view: { id: factor.toLowerCase().replace(/[^a-z0-9]+/g, '-'), type: 'unsupported', label: labelOf(factor), prompt: '' } }];
    }
    if (factor === 'USERNAME_PASSWORD') return [passwordFactor()];
    const devices = factor === 'SMS' || factor === 'EMAIL' || factor === 'PUSH' ? devicesOf(response, factor) : [];
    if (devices.length === 0) return [factorView(factor, undefined, response)];
    return devices.map((device, i) => factorView(factor, { index: i, ...device }, response));
  });
}

function factorView(factor: string, device: { index: number; deviceId?: string; displayName?: string } | undefined, response: IdcsResponse): StoredFactor {
  const base = factor.toLowerCase().replace(/_/g, '-');
  const id = device && device.index > 0 ? `${base}-${device.index + 1}` : base;
  const address = device?.displayName;
  const stored: StoredFactor = { factor, view: { id, type: 'otp', label: labelOf(factor, address), prompt: promptOf(factor) } };
  if (device?.deviceId) stored.deviceId = device.deviceId;
  if (address && (factor === 'SMS' || factor === 'EMAIL')) stored.view.maskedAddress = address;
  if (factor === 'PUSH') stored.view.type = 'push';
  if (factor === 'SECURITY_QUESTIONS') {
    stored.view.type = 'question';
    const questions = factorObject(response, factor)?.questions;
    const list = Array.isArray(questions) ? questions.filter(isObject) : [];
    stored.questionIds = {};
    stored.view.questions = list.flatMap((q, i) => {
      if (typeof q.questionId !== 'string') return [];
      const local = `q${i + 1}`;
      stored.questionIds![local] = q.questionId;
      return [{ id: local, text: typeof q.text === 'string' ? q.text : `Question ${i + 1}` }];
    });
  }
  return stored;
}

function labelOf(factor: string, address?: string): string {
  const labels: Record<string, string> = {
    TOTP: 'Authenticator app code', SMS: 'Text message (SMS)', EMAIL: 'Email', PUSH: 'Push notification',
    SECURITY_QUESTIONS: 'Security questions', BYPASSCODE: 'Bypass code', PHONE_CALL: 'Phone call',
    FIDO_AUTHENTICATOR: 'Security key', DUO_SECURITY: 'Duo Security', YUBICO_OTP: 'YubiKey',
  };
  const label = labels[factor] ?? factor.replace(/_/g, ' ').toLowerCase();
  return address ? `${label} to ${address}` : label;
}

function promptOf(factor: string): string {
  const prompts: Record<string, string> = {
    TOTP: 'Enter the code shown by your authenticator app.',
    SMS: 'Enter the code sent to your phone.',
    EMAIL: 'Enter the code sent to your email address.',
    PUSH: 'Approve the notification sent to your device.',
    SECURITY_QUESTIONS: 'Answer your security questions.',
    BYPASSCODE: 'Enter one of your bypass codes.',
  };
  return prompts[factor] ?? '';
}

/** The factors a user may enroll (idcs.md §3, T6), plus "Not now" when enrollment is optional. */
export function enrollmentChoices(response: IdcsResponse): StoredFactor[] {
  const choices: StoredFactor[] = [];
  for (const factor of response.nextAuthFactors) {
    if (factor === 'TOTP') {
      choices.push({ factor: 'ENROLL', enrollFactor: 'TOTP', view: { id: 'enroll-totp', type: 'otp', enroll: true, label: 'Authenticator app', prompt: 'Scan the QR code with your authenticator app, then enter the code it shows.' } });
    } else if (factor === 'SMS') {
      choices.push({
        factor: 'ENROLL', enrollFactor: 'SMS',
        view: {
          id: 'enroll-sms', type: 'phone-number', enroll: true, label: 'Text message (SMS)', prompt: 'Enter the mobile number to send codes to.',
          fields: [{ id: 'countryCode', label: 'Country code (e.g. +1)', inputMode: 'tel' }, { id: 'phoneNumber', label: 'Mobile number', inputMode: 'tel' }],
        },
      });
    } else if (factor === 'EMAIL') {
      choices.push({ factor: 'ENROLL', enrollFactor: 'EMAIL', view: { id: 'enroll-email', type: 'otp', enroll: true, label: 'Email', prompt: 'Enter the code sent to your email address.' } });
    }
  }
  if (response.enrollmentRequired === false && response.nextOp.includes('createToken')) {
    choices.push({ factor: 'SKIP', view: { id: 'skip', type: 'skip', label: 'Not now', prompt: 'Skip setting up another sign-in method.' } });
  }
  return choices;
}

/** Terms of use to accept (`acceptTOU`). */
export function termsOfUse(response: IdcsResponse): StoredFactor {
  const tou = response.raw.TOU;
  const text = isObject(tou) && typeof tou.text === 'string' ? tou.text : typeof tou === 'string' ? tou : 'Accept the terms of use to continue.';
  return { factor: 'TOU', view: { id: 'terms', type: 'consent', label: 'Terms of use', prompt: text } };
}

/** After `enrollment` of TOTP: the QR code and shared secret (INFERRED field names, see the README). */
export function totpEnrollmentView(stored: StoredFactor, response: IdcsResponse): StoredFactor {
  const totp = factorObject(response, 'TOTP');
  const qr = isObject(totp?.qrCode) ? totp.qrCode : undefined;
  const view: Mechanism & JsonObject = { ...stored.view };
  const imageType = typeof qr?.imageType === 'string' && /^image\/(png|svg\+xml|gif|jpeg)$/.test(qr.imageType) ? qr.imageType : undefined;
  if (imageType && typeof qr?.imageData === 'string' && /^[A-Za-z0-9+/=]+$/.test(qr.imageData)) view.qrCode = `data:${imageType};base64,${qr.imageData}`;
  const secret = totp?.sharedSecret ?? totp?.secret;
  if (typeof secret === 'string' && /^[A-Z2-7= ]{8,128}$/i.test(secret)) view.secret = secret;
  return { ...stored, view };
}
