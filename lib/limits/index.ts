/** Limits on sends, guesses and starts (see options.ts for what each one is). */
export { LoginLimits, type LimitSubject } from './limiters.js';
export { defaultLimits, resolveWindows } from './options.js';
export type { LimitsOptions, LimitWindow, SendLimits, GuessLimits, StartLimits } from './options.js';
export { isOutOfBand, sentOutOfBand, mayStartOutOfBand } from './out-of-band.js';
export { rateLimited } from './errors.js';
