/** The outcome of one strategy run, as the companion routes answer it. */
import type { JsonObject } from './provider.js';
import type { AppUser } from './request.js';
import type { Transaction } from './transaction.js';

/** The outcome of one strategy run (used by the companion routes). */
export type RunOutcome =
  | { type: 'step'; tx: Transaction }
  | { type: 'cancelled'; tx: Transaction }
  | { type: 'success'; tx: Transaction; user: AppUser; info: object; logoutHandle?: JsonObject };
