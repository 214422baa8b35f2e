/** OAA factor keys → normalized mechanisms (oaa.md §4). */
import type { JsonObject } from '../../provider.js';
import type { Mechanism } from '../../step.js';
import type { Challenge } from './wire.js';

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

const labels: Record<string, string> = {
  challengeemail: 'Email code', challengesms: 'Text message (SMS) code', challengeomatotp: 'Authenticator app code',
  challengeyotp: 'YubiKey', challengeyubicootp: 'YubiKey', challengeomapush: 'Push notification',
  challengeomapushnumber: 'Push notification (number matching)', challengefido2: 'Security key (FIDO2)',
};

const prompts: Record<string, string> = {
  challengeemail: 'Enter the code sent to your email address.', challengesms: 'Enter the code sent to your phone.',
  challengeomatotp: 'Enter the code shown by your authenticator app.', challengeyotp: 'Touch your YubiKey to enter its code.',
  challengeyubicootp: 'Touch your YubiKey to enter its code.', challengeomapush: 'Approve the request on your device.',
};

export function factorView(challenge: Challenge): StoredFactor {
  const key = challenge.factorKey.toLowerCase();
  const kind = kindOf(challenge.factorKey);
  const view: Mechanism & JsonObject = {
    id: key.replace(/^challenge/, '') || key,
    type: kind === 'code' ? 'otp' : kind === 'push' ? 'push' : 'unsupported',
    label: labels[key] ?? challenge.factorKey.replace(/^Challenge/, ''),
    prompt: challenge.prompt ?? prompts[key] ?? '',
  };
  const address = challenge.attributes.email ?? challenge.attributes.phone ?? challenge.attributes.mobile;
  if (address) view.maskedAddress = address;
  return { factorKey: challenge.factorKey, view };
}
