/**
 * Every user-facing string of the built-in pages, by key, for localisation
 * (`PagesOptions.strings`). Values are plain text: placeholders such as `{seconds}` are filled
 * in and the result is always HTML-escaped, so a translation can never inject markup.
 *
 * Keys:
 * - `error.<CODE>`: the message for each stable error code (see `ErrorCodes`), and
 *   `error.<CODE>.hint` for the few that say what to do next.
 * - `step.<kind>[.<variant>].heading`: the page heading of each step kind, by mechanism type
 *   (`step.answer.password.heading`, `step.pending.push.heading` …).
 * - `mechanism.<type>.label`: what the input or control of each mechanism type is called.
 * - `button.<action>`: one text per action, whatever the provider.
 */
import { type ErrorCode, ErrorCodes } from '../../errors.js';

const pageStrings = {
  // ---------------------------------------------------------------- document
  'document.title': '{heading} · {product}',
  'document.signingInAs': 'Signing in as {username}',
  'document.position': 'Step {index} of {count}',

  // ---------------------------------------------------------------- buttons and links (one per action)
  'button.continue': 'Continue',
  'button.verify': 'Verify',
  'button.changePassword': 'Change password',
  'button.accept': 'I accept',
  'button.decline': 'Decline',
  'button.cancel': 'Cancel sign-in',
  'button.tryAnotherWay': 'Try another way',
  'button.resend': 'Send a new code',
  'button.poll': 'Continue',
  'button.setUp': 'Set up {method}',
  'button.openSignInPage': 'Open your organization’s sign-in page',
  'link.startAgain': 'Start again',
  'link.continue': 'Continue',

  // ---------------------------------------------------------------- start page
  'start.heading': 'Sign in',
  'start.intro': 'Enter your user name to begin.',
  'start.username.label': 'User name',

  // ---------------------------------------------------------------- error page
  'page.error.heading': 'Something went wrong',

  // ---------------------------------------------------------------- step headings
  'step.select.heading': 'Verify it’s you',
  'step.select.legend': 'Choose how to verify',
  'step.select.enroll.heading': 'Set up a sign-in method',
  'step.select.enroll.legend': 'Choose a sign-in method to set up',

  'step.answer.heading': 'Enter your code',
  'step.answer.password.heading': 'Enter your password',
  'step.answer.new-password.heading': 'Choose a new password',
  'step.answer.otp.heading': 'Enter your code',
  'step.answer.question.heading': 'Security questions',
  'step.answer.phone-number.heading': 'Add your phone number',
  'step.answer.consent.heading': 'Terms of use',
  'step.answer.enroll.heading': 'Set up your authenticator app',

  'step.pending.push.heading': 'Waiting for approval',
  'step.pending.push.status': 'Waiting for you to approve…',
  'step.pending.push.stillStatus': 'Still waiting for you to approve…',
  'step.pending.push.stillHint': 'Nothing on your device? Check that it is online and open its authenticator app.',
  'step.pending.phone-call.heading': 'Answer the call',
  'step.pending.phone-call.status': 'Waiting for you to answer the call…',
  'step.pending.phone-call.stillStatus': 'Still waiting for you to answer the call…',
  'step.pending.phone-call.stillHint': 'No call yet? Check that your phone has signal and is not on silent.',
  'step.pending.link.heading': 'Check your e-mail',
  'step.pending.link.status': 'Waiting for you to open the link…',
  'step.pending.link.stillStatus': 'Still waiting for you to open the link…',
  'step.pending.link.stillHint': 'No e-mail yet? Check your spam folder.',
  'step.pending.federated.heading': 'Sign in with your organization',
  'step.pending.federated.status': 'Waiting for you to sign in…',
  'step.pending.federated.stillStatus': 'Still waiting for you to sign in…',
  'step.pending.federated.stillHint': 'Finish signing in on the page that opened.',
  'step.pending.federated.codeLabel': 'PIN shown after you sign in',
  'step.pending.enroll.heading': 'Set up your authenticator app',
  'step.pending.enroll.status': 'Waiting for your authenticator app…',
  'step.pending.enroll.stillStatus': 'Still waiting for your authenticator app…',
  'step.pending.enroll.stillHint': 'Scan the QR code with your authenticator app, or type the key into it.',
  'step.pending.stillAlternatives': 'You can also try another way, or cancel and start again.',
  'step.pending.stillCancel': 'You can also cancel and start again.',
  'step.pending.progress': 'Waiting {time}',
  'step.pending.progressChecks.one': 'Waiting {time} · checked once',
  'step.pending.progressChecks.other': 'Waiting {time} · checked {count} times',
  'step.pending.noscript': 'When you have done that, continue here.',
  'step.pending.codeHeading': 'Or enter the code',
  'step.pending.matchNumber': 'Tap this number on your device:',

  'step.done.heading': 'Signed in',
  'step.done.text': 'You are signed in.',
  'step.failed.heading': 'Sign-in failed',
  'step.failed.text': 'The sign-in cannot continue.',

  // ---------------------------------------------------------------- mechanisms
  'mechanism.password.label': 'Password',
  'mechanism.new-password.label': 'New password',
  'mechanism.otp.label': 'Verification code',
  'mechanism.push.label': 'Notification to your device',
  'mechanism.phone-call.label': 'Phone call',
  'mechanism.link.label': 'Link sent by e-mail',
  'mechanism.question.label': 'Answer',
  'mechanism.phone-number.label': 'Phone number',
  'mechanism.consent.label': 'Terms of use',
  'mechanism.skip.label': 'Not now',
  'mechanism.unsupported.label': 'Another sign-in method',
  'mechanism.unsupported.hint': 'Not available here',
  'mechanism.securityKey.hint': 'Not available here: security keys (FIDO2) cannot be used on this page',
  'mechanism.locked.hint': 'Not available here: locked after too many attempts',
  'mechanism.sentTo': 'Sent to {destination}',
  'mechanism.qrCode.alt': 'QR code to scan with your authenticator app',
  'mechanism.secret.label': 'Or type this key',
  'mechanism.rememberDevice': 'Remember this device',
  'mechanism.rememberDevice.days.one': 'Remember this device for 1 day',
  'mechanism.rememberDevice.days.other': 'Remember this device for {days} days',

  // ---------------------------------------------------------------- secondary actions
  'resend.question': 'Didn’t get it?',
  'resend.wait.one': 'You can ask for a new code in 1 second.',
  'resend.wait.other': 'You can ask for a new code in {seconds} seconds.',
  'alternatives.question': 'Can’t use this method?',

  // ---------------------------------------------------------------- errors the page script meets
  'error.network': 'Connection problem, retrying…',
  'error.unknown': 'Something went wrong.',
  'error.MECHANISM_UNSUPPORTED.hint': 'Register another method, such as an authenticator app, or ask your administrator.',
  'error.REGISTRATION_REQUIRED.hint': 'Your account has no sign-in method for this step yet. Ask your administrator how to register one.',
} as const;

/** The message of each error code, as the library's catalogue words it. */
const errorStrings = Object.fromEntries(
  (Object.keys(ErrorCodes) as ErrorCode[]).map((code) => [`error.${code}`, ErrorCodes[code].message]),
) as Record<`error.${ErrorCode}`, string>;

/** A key of the string catalogue. */
export type StringKey = keyof typeof pageStrings | `error.${ErrorCode}`;

/** The default (English) catalogue: every key the built-in pages use, with its text. */
export const defaultStrings: Readonly<Record<StringKey, string>> = Object.freeze({ ...pageStrings, ...errorStrings });

/** Every key of {@link defaultStrings}. */
export const stringKeys: readonly StringKey[] = Object.freeze(Object.keys(defaultStrings) as StringKey[]);

/** Values for a string's `{placeholders}`. */
export type StringValues = Record<string, string | number>;

/** The catalogue of one `createPages` call: the defaults with the app's overrides. */
export interface Strings {
  /** The text of `key`, placeholders filled in (not escaped: escape when writing HTML). */
  (key: StringKey, values?: StringValues): string;
  /** Whether the app gave its own text for `key` (then it wins over a more specific message). */
  overridden(key: StringKey): boolean;
}

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function fill(template: string, values: StringValues = {}): string {
  return template.replace(/\{([A-Za-z][\w-]*)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** The catalogue with `overrides`; throws on a key the pages do not know (a typo would silently do nothing). */
export function createStrings(overrides: Partial<Record<string, string>> = {}): Strings {
  const known = new Set<string>(stringKeys);
  const table: Record<string, string> = { ...defaultStrings };
  const own = new Set<string>();
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!known.has(key)) throw new TypeError(`pages.strings: unknown key "${key}" (the keys are listed in defaultStrings)`);
    if (typeof value !== 'string') throw new TypeError(`pages.strings["${key}"] must be a string`);
    table[key] = value;
    own.add(key);
  }
  const strings = ((key: StringKey, values?: StringValues) => fill(table[key] ?? key, values)) as Strings;
  strings.overridden = (key) => own.has(key);
  return strings;
}
