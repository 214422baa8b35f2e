/**
 * The bodies CyberArk-style transport faults carry (the fault queue and
 * writer live in `../shared/faults.ts`): IIS error pages, the portal sign-in
 * page, and API envelopes for truncation and padding.
 */
import type { FaultPages } from '../shared/faults.js';
import { LOGIN_PAGE, iisErrorPage, ok } from './wire.js';

export const cyberArkFaultPages: FaultPages = {
  htmlPage: LOGIN_PAGE,
  errorPage: (status, reason) => iisErrorPage(status, reason, 'The server encountered an error while processing the request.'),
  truncatedJson: () => JSON.stringify(ok({ Summary: 'StartNextChallenge' })),
  // A valid envelope padded to about the requested size (a client should cap what it reads, §7.16).
  paddedJson: (padding) => JSON.stringify(ok({ Summary: 'OobPending', Padding: padding })),
};
