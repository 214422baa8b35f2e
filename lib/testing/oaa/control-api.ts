/**
 * Control routes under `/_sim` (not part of the OAA API, never recorded): the
 * HTML "phone" page and a JSON API for tests and demo apps in other processes.
 */
import { type ControlRequest, type ControlRoute, USER_PARAM as USER, dispatchControl, okReply, postFault, postSwitches } from '../shared/control.js';
import { type HttpReply, htmlReply, plainJson } from '../shared/http.js';
import type { SimFault, SimFaultOptions } from '../shared/types.js';
import { renderOaaControlPage } from './control-page.js';
import { parseOaaSwitches } from './switches.js';
import type { OaaFinalizeRecord, OaaSimulatorState, OaaSwitches } from './types.js';

/** What the control routes need from the simulator. */
export interface OaaControlTarget {
  state(): OaaSimulatorState;
  approvePush(username: string): boolean;
  denyPush(username: string): boolean;
  lastCode(username: string, factor?: string): string | undefined;
  totpCode(username: string): string;
  yubicoOtp(username: string): string;
  lastContext(username: string): unknown;
  lastFinalize(username: string): OaaFinalizeRecord | undefined;
  unlock(username: string): void;
  expireSessions(): void;
  setSwitches(partial: Partial<OaaSwitches>): void;
  injectFault(fault: SimFault, opts?: SimFaultOptions): void;
  clearFaults(): void;
  reset(): void;
}

const routes: Array<ControlRoute<OaaControlTarget>> = [
  { method: 'GET', pattern: /^\/?$/, handler: (t, _p, r) => htmlReply(200, renderOaaControlPage(t.state(), r.mount), { 'cache-control': 'no-store' }) },
  { method: 'GET', pattern: /^\/api\/state$/, handler: (t) => plainJson(t.state()) },
  { method: 'GET', pattern: new RegExp(`^/api/code/${USER}$`), handler: codeOf },
  { method: 'GET', pattern: new RegExp(`^/api/totp/${USER}$`), handler: totpOf },
  // A touch of the YubiKey (each call is a new OTP); the page's button shows the result in the state.
  { method: 'GET', pattern: new RegExp(`^/api/yotp/${USER}$`), handler: yotpOf },
  { method: 'POST', pattern: new RegExp(`^/api/yotp/${USER}$`), handler: yotpOf, button: true },
  { method: 'GET', pattern: new RegExp(`^/api/context/${USER}$`), handler: (t, [u = '']) => plainJson({ username: u, context: t.lastContext(u) ?? null }) },
  { method: 'GET', pattern: new RegExp(`^/api/finalize/${USER}$`), handler: (t, [u = '']) => plainJson({ username: u, finalize: t.lastFinalize(u) ?? null }) },
  { method: 'POST', pattern: new RegExp(`^/api/push/${USER}/approve$`), handler: (t, [u = '']) => plainJson({ ok: t.approvePush(u) }), button: true },
  { method: 'POST', pattern: new RegExp(`^/api/push/${USER}/deny$`), handler: (t, [u = '']) => plainJson({ ok: t.denyPush(u) }), button: true },
  { method: 'POST', pattern: new RegExp(`^/api/unlock/${USER}$`), handler: (t, [u = '']) => (t.unlock(u), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-sessions$/, handler: (t) => (t.expireSessions(), okReply()), button: true },
  { method: 'GET', pattern: /^\/api\/switches$/, handler: (t) => plainJson(t.state().switches) },
  { method: 'POST', pattern: /^\/api\/switches$/, handler: (t, _p, r) => postSwitches(t, parseOaaSwitches, () => t.state().switches, r) },
  { method: 'POST', pattern: /^\/api\/faults$/, handler: (t, _p, r) => postFault(t, r) },
  { method: 'DELETE', pattern: /^\/api\/faults$/, handler: (t) => (t.clearFaults(), okReply()) },
  { method: 'POST', pattern: /^\/api\/reset$/, handler: (t) => (t.reset(), okReply()), button: true },
];

/** Dispatches a control request. */
export function handleOaaControl(target: OaaControlTarget, req: ControlRequest): HttpReply {
  return dispatchControl(target, routes, req);
}

/** `{username, code, byFactor}`: the last code sent, and the last one per channel. */
function codeOf(target: OaaControlTarget, [username = '']: string[]): HttpReply {
  const byFactor = Object.fromEntries(
    (['ChallengeEmail', 'ChallengeSMS'] as const).flatMap((f) => {
      const code = target.lastCode(username, f);
      return code === undefined ? [] : [[f, code]];
    }),
  );
  return plainJson({ username, code: target.lastCode(username) ?? null, byFactor });
}

/** `{username, code}`, or 404 when the user has no TOTP factor. */
function totpOf(target: OaaControlTarget, [username = '']: string[]): HttpReply {
  try {
    return plainJson({ username, code: target.totpCode(username) });
  } catch {
    return plainJson({ error: `user "${username}" has no ChallengeOMATOTP factor` }, 404);
  }
}

/** `{username, otp}` (a fresh YubiKey OTP), or 404 when the user has no YubiKey. */
function yotpOf(target: OaaControlTarget, [username = '']: string[]): HttpReply {
  try {
    return plainJson({ username, otp: target.yubicoOtp(username) });
  } catch {
    return plainJson({ error: `user "${username}" has no YubiKey factor` }, 404);
  }
}
