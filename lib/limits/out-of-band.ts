/** Which mechanisms reach the user out of band, and so cost money or attention when started. */
import type { ProviderContext } from '../provider.js';
import type { Mechanism, ProviderStep } from '../step.js';

/**
 * Push, phone call, e-mail link, and a code sent to an address (SMS, e-mail: `maskedAddress`,
 * or a code the upstream can send again). Codes from an authenticator app are not out of band.
 */
export function isOutOfBand(mechanism: Pick<Mechanism, 'type' | 'maskedAddress' | 'resendable'> | undefined): boolean {
  if (!mechanism) return false;
  if (mechanism.type === 'push' || mechanism.type === 'phone-call' || mechanism.type === 'link') return true;
  return mechanism.type === 'otp' && Boolean(mechanism.maskedAddress || mechanism.resendable);
}

/**
 * Whether an exchange that moved from `previous` to `next` sent something out of band: the
 * new step waits on an out-of-band mechanism and is new (not the same step again after a poll
 * or a wrong code), or the action was a resend.
 */
export function sentOutOfBand(previous: ProviderStep, next: ProviderStep, action: string): boolean {
  if (next.kind !== 'answer' && next.kind !== 'pending') return false;
  const mechanism = next.mechanisms.length === 1 ? next.mechanisms[0] : undefined;
  if (!isOutOfBand(mechanism)) return false;
  if (action === 'resend') return true;
  const before = previous.mechanisms.length === 1 ? previous.mechanisms[0] : undefined;
  return !(previous.kind === next.kind && before?.id === mechanism!.id && before.type === mechanism!.type);
}

/**
 * For providers: whether an out-of-band method may be started now without the user asking
 * (e.g. right after a password). When not, return the step that lets the user start it with
 * one click instead: that request then gets the limit's answer. True when the core sets no budget.
 */
export async function mayStartOutOfBand(ctx: Pick<ProviderContext, 'outOfBand'>): Promise<boolean> {
  return ctx.outOfBand ? ctx.outOfBand.allowed() : true;
}
