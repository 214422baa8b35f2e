/**
 * PUSH at sign-in: the notification goes out with the password answer (preferred factor) or
 * when the device is chosen; the client polls with `credSubmit` until the user decides.
 * Oracle's sample client polls every 3000 ms (loginApp.js `submitPushPoll(3000)`).
 */
import type { HttpReply } from '../shared/http.js';
import { CAUSES } from './causes.js';
import { type Ctx, countFailure, end, mfaPassed, reply, trustedDeviceSettings } from './context.js';
import type { UserFactor } from './factors.js';
import type { Flow } from './flows.js';

const PUSH_OPS = ['credSubmit', 'getBackupFactors'];

/**
 * Sends the push: `status: "pending"`, AUTH-1108, `displayName` of the phone. From the password
 * submit it also names the factor (`nextAuthFactors: ["PUSH"]`, docs page "Authenticating with
 * User Name and Password and MFA", Step 2); from a device choice it does not (collection
 * "…Provide Device ID to Authenticate", "Polling Response").
 */
export function startPush(ctx: Ctx, flow: Flow, f: UserFactor, options: { listFactor: boolean }): HttpReply {
  flow.mfa.active = 'PUSH';
  flow.mfa.push = { status: 'pending', startedAt: Date.now(), polls: 0 };
  return reply(ctx, flow, 'pending', {
    displayName: f.displayName,
    ...(options.listFactor ? { nextAuthFactors: ['PUSH'] } : {}),
    cause: [CAUSES.pushPending],
    nextOp: PUSH_OPS,
    ...trustedDeviceSettings(flow.user!),
  });
}

/**
 * A poll (`{op: "credSubmit", requestState}`, with or without `authFactor: "PUSH"`): pending
 * (collection "Pending Response to Step 3", no `displayName`), the authnToken once approved,
 * or HTTP 401 AUTH-1007 once denied ("Failed Response … - Auth Failed"). UNVERIFIED: after a
 * denial the next `credSubmit` sends a new push.
 */
export function pollPush(ctx: Ctx, flow: Flow, f: UserFactor): HttpReply {
  flow.mfa.active = 'PUSH';
  const push = flow.mfa.push;
  if (!push) return startPush(ctx, flow, f, { listFactor: false });
  const user = flow.user!;
  if (push.status === 'approved') return mfaPassed(ctx, flow);
  if (push.status === 'denied') {
    flow.mfa.push = undefined;
    if (countFailure(ctx, user)) return end(ctx, flow, CAUSES.mfaLocked);
    return reply(ctx, flow, 'failed', {
      cause: [CAUSES.authenticationFailed],
      nextAuthFactors: ['PUSH'],
      nextOp: PUSH_OPS,
      ...trustedDeviceSettings(user),
      displayName: f.displayName,
    }, 401);
  }
  const auto = ctx.switches.pushAutoApproveAfterPolls;
  if (auto !== null && push.polls >= auto) return mfaPassed(ctx, flow);
  push.polls += 1;
  return reply(ctx, flow, 'pending', { cause: [CAUSES.pushPending], nextOp: PUSH_OPS, ...trustedDeviceSettings(user) });
}
