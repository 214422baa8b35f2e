/** How an exhausted limit is reported: RATE_LIMITED (429) with the wait in `details.retryAfterSeconds`. */
import { MultiStepError } from '../errors.js';

/** What was limited, for the message. */
export type LimitedKind = 'sends' | 'guesses' | 'starts';

const messages: Record<LimitedKind, string> = {
  sends: 'Too many codes or notifications have been sent. Please wait before asking for another.',
  guesses: 'Too many failed sign-in attempts. Please wait before trying again.',
  starts: 'Too many sign-in attempts from your network. Please wait before trying again.',
};

/** The error for a limit that frees up in `msBeforeNext` milliseconds. */
export function rateLimited(kind: LimitedKind, msBeforeNext: number): MultiStepError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new MultiStepError('RATE_LIMITED', { message: messages[kind], details: { retryAfterSeconds } });
}
