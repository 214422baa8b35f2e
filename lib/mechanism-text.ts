/**
 * Plain, consistent mechanism labels and one masked format per kind of address, whatever the
 * upstream sends ("UP", "OATH OTP Client", "Email... @example.com", "+14XXXXXX098",
 * "o***@example.com"): pages and JSON read the same for every provider. The upstream's own
 * wording stays available as `upstreamPrompt` for apps that want it.
 */
import type { Mechanism } from './step.js';

/** What a mechanism is, for its label: the channel, not the vendor's name for it. */
export type Channel =
  | 'password' | 'new-password' | 'sms' | 'email' | 'voice' | 'app-code' | 'push' | 'questions'
  | 'bypass-code' | 'hardware-code' | 'security-key' | 'terms';

const bullets = '••••';

/**
 * A phone number as "•••• 6098": the last digits the upstream shows (at most four), nothing
 * else. Undefined when the text shows no digit at its end (nothing safe to show).
 */
export function maskPhone(raw: string): string | undefined {
  const tail = /(\d{1,4})\D*$/.exec(raw)?.[1];
  return tail ? `${bullets} ${tail}` : undefined;
}

/**
 * An e-mail address as "•••@example.com": the domain only, the local part never (even a masked
 * one leaks its length and first letters). A bare domain ("example.com") is accepted too.
 */
export function maskEmail(raw: string): string | undefined {
  const at = raw.lastIndexOf('@');
  const domain = (at >= 0 ? raw.slice(at + 1) : raw).trim().replace(/[>)\].,;:]+$/, '');
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(domain) ? `•••@${domain.toLowerCase()}` : undefined;
}

/** The masked address for a channel, in the one format of its kind. */
export function maskAddress(channel: Channel, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (channel === 'email') return maskEmail(raw);
  if (channel === 'sms' || channel === 'voice') return maskPhone(raw);
  return undefined;
}

const labels: Record<Channel, (where?: string) => string> = {
  'password': () => 'Password',
  'new-password': () => 'New password',
  'sms': (where) => (where ? `Text message to ${where}` : 'Text message'),
  'email': (where) => (where ? `E-mail to ${where}` : 'E-mail'),
  'voice': (where) => (where ? `Phone call to ${where}` : 'Phone call'),
  'app-code': (where) => (where ? `Authenticator app code (${where})` : 'Authenticator app code'),
  'push': (where) => (where ? `Notification to ${where}` : 'Notification to your device'),
  'questions': () => 'Security questions',
  'bypass-code': () => 'Bypass code',
  'hardware-code': () => 'Security key code',
  'security-key': () => 'Security key',
  'terms': () => 'Terms of use',
};

const prompts: Record<Channel, (where?: string) => string> = {
  'password': () => 'Enter your password.',
  'new-password': () => 'Choose a new password.',
  'sms': (where) => (where ? `Enter the code sent by text message to ${where}.` : 'Enter the code sent to your phone.'),
  'email': (where) => (where ? `Enter the code sent to ${where}.` : 'Enter the code sent to your e-mail address.'),
  'voice': (where) => (where ? `Answer the call to ${where}.` : 'Answer the call to your phone.'),
  'app-code': () => 'Enter the code shown by your authenticator app.',
  'push': (where) => (where ? `Approve the notification sent to ${where}.` : 'Approve the notification sent to your device.'),
  'questions': () => 'Answer your security questions.',
  'bypass-code': () => 'Enter one of your bypass codes.',
  'hardware-code': () => 'Touch your security key to enter its code.',
  'security-key': () => 'Use your security key.',
  'terms': () => 'Accept the terms of use to continue.',
};

/** Where a code or notification goes, as shown: a masked address, or a device name ("Joe's iPhone"). */
export interface Destination {
  /** Raw address from the upstream (masked or not); shown only in the masked format. */
  address?: string;
  /** A device's name, shown as is (it names a device, never a person). */
  device?: string;
}

/**
 * Gives `view` the plain label and prompt of its channel and the one masked address format,
 * keeping the upstream's own prompt (when it had one) as `upstreamPrompt`.
 */
export function applyPlainText(view: Mechanism, channel: Channel, destination: Destination = {}, upstreamPrompt?: string): void {
  const maskedAddress = maskAddress(channel, destination.address);
  if (maskedAddress) view.maskedAddress = maskedAddress;
  else delete view.maskedAddress;
  if (destination.device) view.device = destination.device;
  const where = maskedAddress ?? destination.device;
  view.label = labels[channel](where);
  view.prompt = prompts[channel](where);
  if (upstreamPrompt && upstreamPrompt !== view.prompt) view.upstreamPrompt = upstreamPrompt;
}

/** The plain label of a channel (e.g. for a chooser entry built without a view). */
export function plainLabel(channel: Channel, where?: string): string {
  return labels[channel](where);
}
