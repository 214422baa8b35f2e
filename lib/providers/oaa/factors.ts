/** OAA factor keys → normalized mechanisms (oaa.md §4), with the shared plain labels (lib/mechanism-text.ts). */
import { applyPlainText, type Channel } from '../../mechanism-text.js';
import type { JsonObject } from '../../provider.js';
import type { Mechanism } from '../../step.js';
import { attribute, type Challenge, type OaaFieldNames } from './wire.js';

/** What the provider keeps per offered factor. */
export interface StoredFactor extends JsonObject {
  factorKey: string;
  view: Mechanism & JsonObject;
}

/** How a factor is answered: a typed code (Validate with an answer) or an approval (Validate polling). */
export function kindOf(factorKey: string): 'code' | 'push' | 'unsupported' {
  const key = factorKey.toLowerCase();
  if (key.startsWith('challengeomapush')) return key === 'challengeomafidopush' ? 'unsupported' : 'push';
  if (['challengeemail', 'challengesms', 'challengeomatotp', 'challengeyotp', 'challengeyubicootp'].includes(key)) return 'code';
  return 'unsupported'; // FIDO2 needs a browser ceremony; anything unknown is never guessed at
}

/** What each factor is, for its label: the channel, not OAA's name for it. */
const channels: Record<string, Channel> = {
  challengeemail: 'email',
  challengesms: 'sms',
  challengeomatotp: 'app-code',
  challengeyotp: 'hardware-code',
  challengeyubicootp: 'hardware-code',
  challengefido2: 'security-key',
  challengeomafidopush: 'security-key',
  challengekba: 'questions',
};

/** The channel of a factor key; undefined for keys this library does not know. */
export function channelOf(factorKey: string): Channel | undefined {
  const key = factorKey.toLowerCase();
  return channels[key] ?? (key.startsWith('challengeomapush') ? 'push' : undefined);
}

/**
 * The mechanism for an offered challenge: the plain label and prompt of its channel, the one
 * masked format of its address ("•••@example.com", "•••• 1234"), the push device's name, and
 * OAA's own prompt ("Enter OTP sent to o***@example.com.") as `upstreamPrompt`.
 */
export function factorView(challenge: Challenge, names: OaaFieldNames): StoredFactor {
  const key = challenge.factorKey.toLowerCase();
  const kind = kindOf(challenge.factorKey);
  const view: Mechanism & JsonObject = {
    id: key.replace(/^challenge/, '') || key,
    type: kind === 'code' ? 'otp' : kind === 'push' ? 'push' : 'unsupported',
    label: challenge.factorKey.replace(/^Challenge/i, '') || challenge.factorKey,
    prompt: challenge.prompt ?? '',
  };
  const channel = channelOf(challenge.factorKey);
  if (channel) {
    const address = channel === 'email' ? attribute(challenge.attributes, names.emailAttribute)
      : channel === 'sms' ? attribute(challenge.attributes, names.phoneAttribute) : undefined;
    const device = channel === 'push' ? attribute(challenge.attributes, names.deviceAttribute) : undefined;
    applyPlainText(view, channel, { ...(address ? { address } : {}), ...(device ? { device } : {}) }, challenge.prompt);
  }
  return { factorKey: challenge.factorKey, view };
}
