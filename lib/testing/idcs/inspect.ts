/**
 * The simulated user's side, for tests and the control page: the phone's authenticator
 * codes, waiting pushes and enrollments, and what to approve, deny or scan.
 */
import { type Ctx, findUser } from './context.js';
import { keyOf } from './factors.js';
import type { Flow } from './flows.js';
import { totpAt } from './totp.js';
import type { IdcsPendingEnrollment, IdcsPendingPush } from './types.js';

/** The user's TOTP secret: the enrolled one, else one being enrolled in an open sign-in (the newest). */
export function totpSecret(ctx: Ctx, username: string): { secret: string; enrolling: boolean } | undefined {
  const user = findUser(ctx, username);
  if (!user) return undefined;
  const enrolled = ctx.factors.find(user, 'TOTP')?.secret;
  if (enrolled) return { secret: enrolled, enrolling: false };
  const pending = ctx.flows
    .open()
    .filter((f) => f.user === user && f.enroll?.pending?.factor === 'TOTP')
    .at(-1)?.enroll?.pending;
  return pending?.record.secret ? { secret: pending.record.secret, enrolling: true } : undefined;
}

/** Current TOTP code of every user who has (or is enrolling) an authenticator. */
export function totpSnapshot(ctx: Ctx): Record<string, { code: string; secret: string; enrolling: boolean }> {
  const out: Record<string, { code: string; secret: string; enrolling: boolean }> = {};
  for (const user of ctx.users) {
    const found = totpSecret(ctx, user.username);
    if (found) out[keyOf(user)] = { code: totpAt(found.secret, Date.now()), ...found };
  }
  return out;
}

export function pendingPushes(ctx: Ctx): IdcsPendingPush[] {
  return ctx.flows.open().flatMap((flow) => {
    const push = flow.mfa.push;
    if (push?.status !== 'pending' || !flow.user) return [];
    const device = ctx.factors.find(flow.user, 'PUSH');
    return [{ username: flow.user.username, deviceName: device?.displayName ?? 'phone', flow: flow.id.slice(0, 8), startedAt: push.startedAt, polls: push.polls }];
  });
}

/**
 * Approves or denies every push the user has waiting. Approving also completes a waiting PUSH
 * enrollment (the app registered and the user confirmed). @returns false when nothing was waiting.
 */
export function resolvePush(ctx: Ctx, username: string, decision: 'approved' | 'denied'): boolean {
  let found = false;
  for (const flow of userFlows(ctx, username)) {
    const enrolling = flow.enroll?.pending;
    if (decision === 'approved' && enrolling?.factor === 'PUSH' && !enrolling.scanned) {
      enrolling.scanned = true;
      found = true;
    }
    if (flow.mfa.push?.status !== 'pending') continue;
    flow.mfa.push.status = decision;
    found = true;
  }
  return found;
}

export function pendingEnrollments(ctx: Ctx): IdcsPendingEnrollment[] {
  return ctx.flows.open().flatMap((flow) => {
    const pending = flow.enroll?.pending;
    if (!pending || !flow.user) return [];
    return [{ username: flow.user.username, factor: pending.factor, mode: pending.mode, scanned: pending.scanned, flow: flow.id.slice(0, 8) }];
  });
}

/**
 * Oracle Mobile Authenticator scans the QR code of the user's online TOTP or PUSH enrollment and
 * registers; the client's next `credSubmit` poll then succeeds. @returns false when nothing waited.
 */
export function scanEnrollment(ctx: Ctx, username: string): boolean {
  let found = false;
  for (const flow of userFlows(ctx, username)) {
    const pending = flow.enroll?.pending;
    if (!pending || pending.mode !== 'online' || pending.scanned) continue;
    pending.scanned = true;
    found = true;
  }
  return found;
}

function userFlows(ctx: Ctx, username: string): Flow[] {
  const user = findUser(ctx, username);
  return user ? ctx.flows.open().filter((f) => f.user === user) : [];
}
