/**
 * OAA transport faults: the bodies they carry (ingress error pages, the OAM
 * sign-in page, `/authn/v1` answers for truncation and padding) and a fault
 * queue keyed by resource name, because every OAA path ends in `/v1`.
 */
import { randomUUID } from 'node:crypto';
import { type FaultPages, FaultQueue } from '../shared/faults.js';
import type { SimFault, SimFaultOptions } from '../shared/types.js';
import { SIGN_IN_PAGE, ingressErrorPage } from './wire.js';

/**
 * The resource a path names, lower case, ignoring version segments:
 * `/oaa/runtime/authn/v1` → `authn`, `challengecounter/v1` → `challengecounter`, `authn` → `authn`.
 */
export function resourceOf(path: string): string {
  const segments = path.split('/').filter((s) => s !== '' && !/^v\d+$/i.test(s));
  return (segments.pop() ?? '').toLowerCase();
}

/** A {@link FaultQueue} whose `path` option and request paths are compared by {@link resourceOf}. */
export class OaaFaultQueue extends FaultQueue {
  override add(fault: SimFault, options: SimFaultOptions = {}): void {
    super.add(fault, options.path === undefined ? options : { ...options, path: resourceOf(options.path) });
  }

  override take(requestPath: string): SimFault | undefined {
    return super.take(resourceOf(requestPath));
  }
}

export const oaaFaultPages: FaultPages = {
  htmlPage: SIGN_IN_PAGE,
  errorPage: ingressErrorPage,
  truncatedJson: () =>
    JSON.stringify({
      correlationId: randomUUID(),
      nonce: randomUUID(),
      statusInfo: { status: 'pending identification' },
      challengeInfo: [{ challengeType: 'ChallengeEmail', prompts: ['Enter OTP sent to o***@example.com.'], challengeAttrMap: { email: 'o***@example.com' } }],
    }),
  paddedJson: (padding) =>
    JSON.stringify({ correlationId: randomUUID(), nonce: randomUUID(), statusInfo: { status: 'pending verification' }, padding }),
};
