/**
 * Federated users (cyberark.md §2.3, §3 row 4, T12): with the `OobIdPAuth` header the
 * tenant hands back a sign-in URL for the user's own IdP and an IdpLoginSessionId. The
 * user signs in there in another tab; we then either take the PIN the IdP page shows
 * (`OOBAUTHPIN`) or poll `/Security/OobAuthStatus` until it reports success.
 */
import { MultiStepError } from '../../errors.js';
import type { JsonObject } from '../../provider.js';
import type { Mechanism, ProviderStep } from '../../step.js';
import { hostAllowed } from './pod-redirect.js';
import { field, stringField, type WireObject } from './wire.js';

/** What the provider keeps for a federated login. */
export interface FederatedState extends JsonObject {
  loginSessionId: string;
  pinRequired: boolean;
  view: Mechanism & JsonObject;
}

/** The pseudo mechanism id the tenant expects for the PIN. */
export const pinMechanismId = 'OOBAUTHPIN';

/** Whether a Start result is a federated redirect. */
export function isFederated(result: WireObject | undefined): boolean {
  return Boolean(field(result, 'IdpRedirectUrl') || field(result, 'IdpRedirectShortUrl') || field(result, 'IdpLoginSessionId'));
}

/**
 * Reads the federated answer. Without an IdpLoginSessionId (no OobIdPAuth support) the
 * login can only happen as a browser redirect flow, which this library does not drive.
 */
export function readFederated(result: WireObject, current: URL, allowlist: readonly string[]): FederatedState {
  const loginSessionId = stringField(result, 'IdpLoginSessionId');
  const url = signInUrl(result, current, allowlist);
  if (!loginSessionId || !url) {
    throw new MultiStepError('MECHANISM_UNSUPPORTED', { message: 'This account signs in through an external identity provider.' });
  }
  const pinRequired = field(result, 'IdpOobAuthPinRequired') === true;
  const view: Mechanism & JsonObject = {
    id: 'idp',
    type: 'link',
    label: 'Sign in with your organization',
    prompt: pinRequired
      ? 'Open your organization’s sign-in page, sign in, then enter the PIN it shows.'
      : 'Open your organization’s sign-in page and sign in; this page continues by itself.',
    url,
    acceptsCode: pinRequired,
  };
  return { loginSessionId, pinRequired, view };
}

/**
 * The URL shown to the user. The short URL lives on the tenant (checked against the same
 * allowlist as pod redirects); the long one points at the external IdP, which we cannot
 * allowlist, so it is only accepted as https. Never a javascript: or data: URL.
 */
function signInUrl(result: WireObject, current: URL, allowlist: readonly string[]): string | undefined {
  const short = parseUrl(stringField(result, 'IdpRedirectShortUrl'));
  if (short && (short.host === current.host || hostAllowed(short, allowlist)) && isHttp(short, current)) return short.href;
  const long = parseUrl(stringField(result, 'IdpRedirectUrl'));
  if (long && long.protocol === 'https:') return long.href;
  return undefined;
}

function parseUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isHttp(url: URL, current: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && current.protocol === 'http:');
}

/** The pending step while the user signs in at their IdP. */
export function federatedStep(state: FederatedState): ProviderStep {
  return { kind: 'pending', mechanisms: [state.view] };
}

/**
 * A PIN-required login whose OobAuthStatus already says Success: the user signed in at their IdP,
 * but only the PIN proves that whoever types here is that user (the PIN is shown on the IdP page,
 * the OobAuthStatus success is not: a forwarded link would log the sender in). So the success and
 * its token are ignored, and the step becomes "type the PIN"; the PIN answer alone completes the login.
 */
export function pinEntryStep(state: FederatedState): ProviderStep {
  return {
    kind: 'answer',
    mechanisms: [{
      id: state.view.id,
      type: 'otp',
      label: 'PIN from your organization’s sign-in page',
      prompt: 'Enter the PIN your organization’s sign-in page shows.',
    }],
  };
}
