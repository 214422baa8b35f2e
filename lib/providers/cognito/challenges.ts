/**
 * Cognito's challenges → steps. Names, parameters and the responses each takes: the
 * RespondToAuthChallenge reference ("ChallengeResponses") and InitiateAuth's "ChallengeName"
 * list in the Amazon Cognito user pools API reference.
 *
 * | challenge            | parameters used                                   | answered with                 |
 * |----------------------|---------------------------------------------------|-------------------------------|
 * | SMS_MFA              | CODE_DELIVERY_DESTINATION (masked, "+*******6098") | SMS_MFA_CODE                  |
 * | SMS_OTP (USER_AUTH)  | CODE_DELIVERY_DESTINATION                          | SMS_OTP_CODE                  |
 * | EMAIL_OTP            | CODE_DELIVERY_DESTINATION ("u***@e***")            | EMAIL_OTP_CODE                |
 * | SOFTWARE_TOKEN_MFA   | FRIENDLY_DEVICE_NAME (optional)                    | SOFTWARE_TOKEN_MFA_CODE       |
 * | SELECT_MFA_TYPE      | MFAS_CAN_CHOOSE (JSON array)                       | ANSWER = SMS_MFA / SOFTWARE_TOKEN_MFA / EMAIL_OTP |
 * | NEW_PASSWORD_REQUIRED| requiredAttributes (JSON array "userAttributes.x") | NEW_PASSWORD, userAttributes.x|
 * | MFA_SETUP            | MFAS_CAN_SETUP (JSON array)                        | after AssociateSoftwareToken + VerifySoftwareToken: USERNAME only |
 * | SELECT_CHALLENGE (USER_AUTH) | AvailableChallenges (a top-level list, not a parameter) | ANSWER = PASSWORD (+ PASSWORD) / PASSWORD_SRP (+ SRP_A) / EMAIL_OTP / SMS_OTP |
 * | PASSWORD, PASSWORD_SRP (USER_AUTH) | —                                            | PASSWORD / SRP_A              |
 *
 * AWS masks the destination itself; only the masked form is ever shown, in the library's one
 * format per kind (applyPlainText), e.g. "•••• 6098" (an e-mail's masked domain rarely survives:
 * then no address is shown).
 */
import { applyPlainText, type Channel } from '../../mechanism-text.js';
import { type Mechanism, type MechanismField, NEW_PASSWORD_FIELD } from '../../step.js';

/** What a mechanism answers upstream. */
export type Kind = 'password' | 'code' | 'new-password' | 'choose' | 'setup-totp';

/** A mechanism as kept in the state: its view, and what answering it sends. */
export interface StoredMechanism {
  kind: Kind;
  /** The challenge a code or new password answers, or the MFA type a choice names. */
  challenge?: string;
  /** NEW_PASSWORD_REQUIRED: the attribute names to send as `userAttributes.<name>`. */
  attributes?: string[];
  /** A choice: whether it answers SELECT_MFA_TYPE (an MFA method) or USER_AUTH's SELECT_CHALLENGE (a first factor). */
  selects?: 'SELECT_MFA_TYPE' | 'SELECT_CHALLENGE';
  view: Mechanism;
}

/** The ChallengeResponses key of each code challenge. */
export const codeKeys: Record<string, string> = {
  SMS_MFA: 'SMS_MFA_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
};

const channels: Record<string, Channel> = { SMS_MFA: 'sms', SMS_OTP: 'sms', EMAIL_OTP: 'email', SOFTWARE_TOKEN_MFA: 'app-code' };

/** The password; under USER_AUTH `challenge` says how it is proven (PASSWORD, or PASSWORD_SRP). */
export function passwordMechanism(challenge?: 'PASSWORD' | 'PASSWORD_SRP'): StoredMechanism {
  const view: Mechanism = { id: 'password', type: 'password', label: '', prompt: '' };
  applyPlainText(view, 'password');
  return { kind: 'password', ...(challenge ? { challenge } : {}), view };
}

/** Whether naming this method makes Cognito send a code (SMS or e-mail). */
export function sendsCode(challenge: string): boolean {
  return channels[challenge] === 'sms' || channels[challenge] === 'email';
}

/**
 * USER_AUTH's AvailableChallenges → the first factors offered: the password (one entry, proven
 * by SRP when PASSWORD_SRP is available: the password then never leaves this server), a code by
 * e-mail, a code by SMS. WEB_AUTHN (passkeys) needs the browser's WebAuthn API talking to
 * Cognito's relying party, which a server-side login cannot do: left out, as is anything unknown.
 */
export function userAuthChoices(available: string[]): StoredMechanism[] {
  const out: StoredMechanism[] = [];
  if (available.includes('PASSWORD_SRP') || available.includes('PASSWORD')) {
    out.push(passwordMechanism(available.includes('PASSWORD_SRP') ? 'PASSWORD_SRP' : 'PASSWORD'));
  }
  for (const type of ['EMAIL_OTP', 'SMS_OTP']) {
    if (!available.includes(type)) continue;
    const view: Mechanism = { id: `choose-${type.toLowerCase().replace(/_/g, '-')}`, type: 'otp', label: '', prompt: '' };
    applyPlainText(view, channels[type]!);
    out.push({ kind: 'choose', challenge: type, selects: 'SELECT_CHALLENGE', view });
  }
  return out;
}

/** The code step of SMS_MFA, SMS_OTP, EMAIL_OTP or SOFTWARE_TOKEN_MFA. */
export function codeMechanism(challenge: string, parameters: Record<string, string>): StoredMechanism {
  const channel = channels[challenge]!;
  const view: Mechanism = { id: challenge.toLowerCase().replace(/_/g, '-'), type: 'otp', label: '', prompt: '' };
  const destination = channel === 'app-code'
    ? { ...(parameters.FRIENDLY_DEVICE_NAME ? { device: parameters.FRIENDLY_DEVICE_NAME } : {}) }
    : { ...(parameters.CODE_DELIVERY_DESTINATION ? { address: parameters.CODE_DELIVERY_DESTINATION } : {}) };
  applyPlainText(view, channel, destination);
  return { kind: 'code', challenge, view };
}

/** SELECT_MFA_TYPE's choices (MFAS_CAN_CHOOSE). Unknown types are shown as unsupported. */
export function choiceMechanisms(mfaTypes: string[]): StoredMechanism[] {
  return mfaTypes.map((type) => {
    const view: Mechanism = { id: `choose-${type.toLowerCase().replace(/_/g, '-')}`, type: 'otp', label: '', prompt: '' };
    const channel = channels[type];
    if (channel) applyPlainText(view, channel);
    else Object.assign(view, { type: 'unsupported', label: type, prompt: 'This sign-in method cannot be used here.' });
    return { kind: 'choose', challenge: type, selects: 'SELECT_MFA_TYPE', view };
  });
}

/** The field id of the new password when the step has fields (required attributes): the step model's. */
export const newPasswordField = NEW_PASSWORD_FIELD;

const attributeLabels: Record<string, string> = {
  name: 'Full name', given_name: 'First name', family_name: 'Last name', middle_name: 'Middle name',
  nickname: 'Nickname', preferred_username: 'Preferred user name', email: 'E-mail address',
  phone_number: 'Phone number (e.g. +15555550123)', birthdate: 'Date of birth (YYYY-MM-DD)', gender: 'Gender',
  address: 'Address', locale: 'Locale', zoneinfo: 'Time zone', website: 'Web site', picture: 'Picture URL', profile: 'Profile URL',
};

/** The standard attributes (OpenID Connect claims) browsers know how to fill in. */
const attributeAutocomplete: Record<string, string> = {
  name: 'name', given_name: 'given-name', family_name: 'family-name', middle_name: 'additional-name', nickname: 'nickname',
  preferred_username: 'username', email: 'email', phone_number: 'tel', birthdate: 'bday', gender: 'sex', address: 'street-address',
  locale: 'language', website: 'url', picture: 'photo', profile: 'url',
};

/**
 * NEW_PASSWORD_REQUIRED: a new password, and one field per required attribute
 * (`requiredAttributes`, e.g. `["userAttributes.given_name"]`): then the answer is an object.
 */
export function newPasswordMechanism(requiredAttributes: string[]): StoredMechanism {
  const view: Mechanism = { id: 'new-password', type: 'new-password', label: '', prompt: '' };
  applyPlainText(view, 'new-password');
  const attributes = requiredAttributes.map((a) => a.replace(/^userAttributes\./, '')).filter((a) => /^[\w:.-]{1,64}$/.test(a));
  if (attributes.length > 0) {
    const fields: MechanismField[] = [{ id: newPasswordField, label: 'New password' }];
    for (const name of attributes) {
      const inputMode = name === 'email' ? 'email' : name === 'phone_number' ? 'tel' : 'text';
      const autocomplete = attributeAutocomplete[name];
      fields.push({ id: name, label: attributeLabels[name] ?? name.replace(/^custom:/, '').replace(/_/g, ' '), inputMode, ...(autocomplete ? { autocomplete } : {}) });
    }
    view.fields = fields;
  }
  return { kind: 'new-password', attributes, view };
}

/** MFA_SETUP with an authenticator app: the key (and QR code) AssociateSoftwareToken gave. */
export function totpSetupMechanism(secret: string, qrCode: string | undefined): StoredMechanism {
  const view: Mechanism = {
    id: 'setup-totp', type: 'otp', enroll: true, label: 'Authenticator app',
    prompt: 'Add this account to your authenticator app (scan the QR code or type the key), then enter the code it shows.',
    secret,
    ...(qrCode ? { qrCode } : {}),
  };
  return { kind: 'setup-totp', challenge: 'MFA_SETUP', view };
}

/** A JSON array of strings in a challenge parameter (MFAS_CAN_CHOOSE, requiredAttributes …). */
export function stringList(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
