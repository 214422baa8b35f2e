/**
 * Enrolling a factor during sign-in: the choices IDCS offers (`nextOp` holds `enrollment`,
 * `nextAuthFactors` the factors, `mfaSettings.enrollmentRequired` whether it may be skipped),
 * and what the page shows once an enrollment started. Shapes: the docs page's "Enroll …"
 * use cases and the "Enrollment" requests of Oracle's Postman collection.
 */
import type { Mechanism } from '../../step.js';
import { describeDevice, labelOf, questionsOf, type StoredFactor } from './factors.js';
import { credentialNames, factorObject, isObject, str, type IdcsResponse } from './wire.js';

/** Factors this provider can enroll. Others are left out rather than shown as a dead choice. */
const enrollable = ['TOTP', 'PUSH', 'SMS', 'EMAIL', 'SECURITY_QUESTIONS'];

const choiceViews: Record<string, Omit<Mechanism, 'id' | 'enroll'>> = {
  TOTP: { type: 'otp', label: 'Authenticator app', prompt: 'Scan the QR code with your authenticator app, then enter the code it shows.' },
  PUSH: { type: 'push', label: 'Notifications to the Oracle Mobile Authenticator app', prompt: 'Scan the QR code with the Oracle Mobile Authenticator app.' },
  SMS: { type: 'phone-number', label: 'Text message (SMS)', prompt: 'Enter the mobile number to send codes to.' },
  EMAIL: { type: 'otp', label: 'E-mail', prompt: 'Enter the code sent to your e-mail address.' },
  SECURITY_QUESTIONS: { type: 'question', label: 'Security questions', prompt: 'Choose answers to your security questions.' },
};

/** The enrollment choices, plus "Not now" when enrollment is optional and IDCS offers createToken. */
export function enrollmentChoices(response: IdcsResponse): StoredFactor[] {
  const choices: StoredFactor[] = response.nextAuthFactors.filter((f) => enrollable.includes(f)).map((factor) => ({
    factor: 'ENROLL', enrollFactor: factor, view: { id: `enroll-${factor.toLowerCase().replace(/_/g, '-')}`, enroll: true, ...choiceViews[factor]! },
  }));
  const sms = choices.find((c) => c.enrollFactor === 'SMS');
  if (sms) sms.view.fields = phoneFields(response);
  if (response.enrollmentRequired !== true && response.nextOp.includes('createToken')) {
    choices.push({ factor: 'SKIP', view: { id: 'skip', type: 'skip', label: 'Not now', prompt: 'Skip setting up another sign-in method.' } });
  }
  return choices;
}

/**
 * The phone number inputs. Oracle's examples send `phoneNumber` alone ("15555555555"), or with
 * `countryCode` ("+44") where the SMS factor lists it among its credentials.
 */
function phoneFields(response: IdcsResponse): NonNullable<Mechanism['fields']> {
  const fields: NonNullable<Mechanism['fields']> = [];
  if (credentialNames(response, 'SMS').includes('countryCode')) fields.push({ id: 'countryCode', label: 'Country code (e.g. +44)', inputMode: 'tel' });
  fields.push({ id: 'phoneNumber', label: fields.length ? 'Mobile number' : 'Mobile number with country code (e.g. 15555555555)', inputMode: 'tel' });
  return fields;
}

/** What an enrollment in progress looks like to the page. */
export interface EnrollmentView {
  stored: StoredFactor;
  /** Verified by polling (the authenticator app registers itself) rather than by a typed answer. */
  pending: boolean;
}

/**
 * After `enrollment` of a factor: the step that proves it. The QR code and, for a TOTP secret,
 * the manual-entry key come from `qrCode` (`content`, `imageType`, `imageData`): an `otpauth://`
 * content carries the key in its `secret` parameter (offline TOTP); Oracle Mobile
 * Authenticator's `oraclemobileauthenticator://` content registers the app by itself and is
 * verified by polling (online TOTP, push).
 */
export function enrollmentView(chosen: StoredFactor, response: IdcsResponse): EnrollmentView {
  const factor = chosen.enrollFactor!;
  const object = factorObject(response, factor);
  const { fields: _phoneFields, ...base } = chosen.view;
  const stored: StoredFactor = { ...chosen, view: { ...base, type: 'otp', label: labelOf(factor) } };
  describeDevice(stored, response.displayName);
  const qr = isObject(object?.qrCode) ? object.qrCode : undefined;
  const content = str(qr?.content);
  const imageType = str(qr?.imageType);
  const imageData = str(qr?.imageData);
  if (imageType && /^image\/(png|gif|jpeg)$/.test(imageType) && imageData && /^[A-Za-z0-9+/=\r\n]+$/.test(imageData)) {
    stored.view.qrCode = `data:${imageType};base64,${imageData.replace(/[\r\n]/g, '')}`;
  }
  if (factor === 'SECURITY_QUESTIONS') {
    const settings = isObject(object?.secQuesSettings) ? object.secQuesSettings : undefined;
    const count = Number(settings?.numQuestionsToSetup);
    const { questionIds, questions } = questionsOf(response, factor, Number.isInteger(count) && count > 0 ? count : 3);
    const minLength = Number(settings?.minAnswerLength);
    stored.questionIds = questionIds;
    stored.view = { ...stored.view, type: 'question', questions, prompt: Number.isInteger(minLength) && minLength > 0 ? `Answer each question (at least ${minLength} characters).` : 'Answer each question.' };
    return { stored, pending: false };
  }
  if (factor === 'PUSH' || (content && !/^otpauth:/i.test(content))) {
    stored.view = { ...stored.view, type: factor === 'PUSH' ? 'push' : 'otp', prompt: 'Scan the QR code with the Oracle Mobile Authenticator app. This page continues once the app is set up.' };
    return { stored, pending: true };
  }
  if (content) {
    const secret = secretOf(content);
    if (secret) stored.view.secret = secret;
  }
  if (factor === 'SMS') stored.view.prompt = 'Enter the code sent to your phone.';
  if (factor === 'EMAIL') stored.view.prompt = 'Enter the code sent to your email address.';
  return { stored, pending: false };
}

/** The `secret` parameter of an `otpauth://totp/…?secret=…` URI (Key Uri Format), when well formed. */
function secretOf(content: string): string | undefined {
  try {
    const secret = new URL(content).searchParams.get('secret');
    return secret && /^[A-Z2-7]{8,128}=*$/i.test(secret) ? secret : undefined;
  } catch {
    return undefined;
  }
}
