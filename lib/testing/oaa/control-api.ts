/**
 * Control routes under `/_sim` (not part of the OAA API, never recorded): the
 * HTML "phone" page and a JSON API for tests and demo apps in other processes.
 */
import {
  type ControlRequest,
  type ControlRoute,
  type SimulatorControlTarget,
  USER_PARAM as USER,
  codesByChannel,
  commonControlRoutes,
  dispatchControl,
  okReply,
  userValueReply,
} from '../shared/control.js';
import { type HttpReply, plainJson } from '../shared/http.js';
import { renderOaaControlPage } from './control-page.js';
import { parseOaaSwitches } from './switches.js';
import type { OaaFinalizeRecord, OaaSimulatorState, OaaSwitches } from './types.js';

/** What the control routes need from the simulator. */
export interface OaaControlTarget extends SimulatorControlTarget<OaaSwitches> {
  state(): OaaSimulatorState;
  lastCode(username: string, factor?: string): string | undefined;
  totpCode(username: string): string;
  yubicoOtp(username: string): string;
  lastContext(username: string): unknown;
  lastFinalize(username: string): OaaFinalizeRecord | undefined;
  expireSessions(): void;
}

const routes: Array<ControlRoute<OaaControlTarget>> = [
  ...commonControlRoutes<OaaSwitches, OaaControlTarget>({
    page: (t, mount) => renderOaaControlPage(t.state(), mount),
    parseSwitches: parseOaaSwitches,
    resetButton: true,
  }),
  { method: 'GET', pattern: new RegExp(`^/api/code/${USER}$`), handler: codeOf },
  { method: 'GET', pattern: new RegExp(`^/api/totp/${USER}$`), handler: totpOf },
  // A touch of the YubiKey (each call is a new OTP); the page's button shows the result in the state.
  { method: 'GET', pattern: new RegExp(`^/api/yotp/${USER}$`), handler: yotpOf },
  { method: 'POST', pattern: new RegExp(`^/api/yotp/${USER}$`), handler: yotpOf, button: true },
  { method: 'GET', pattern: new RegExp(`^/api/context/${USER}$`), handler: (t, [u = '']) => plainJson({ username: u, context: t.lastContext(u) ?? null }) },
  { method: 'GET', pattern: new RegExp(`^/api/finalize/${USER}$`), handler: (t, [u = '']) => plainJson({ username: u, finalize: t.lastFinalize(u) ?? null }) },
  { method: 'POST', pattern: /^\/api\/expire-sessions$/, handler: (t) => (t.expireSessions(), okReply()), button: true },
];

/** Dispatches a control request. */
export function handleOaaControl(target: OaaControlTarget, req: ControlRequest): HttpReply {
  return dispatchControl(target, routes, req);
}

/** `{username, code, byFactor}`: the last code sent, and the last one per channel. */
function codeOf(target: OaaControlTarget, [username = '']: string[]): HttpReply {
  const byFactor = codesByChannel((f) => target.lastCode(username, f), ['ChallengeEmail', 'ChallengeSMS'] as const);
  return plainJson({ username, code: target.lastCode(username) ?? null, byFactor });
}

/** `{username, code}`, or 404 when the user has no TOTP factor. */
function totpOf(target: OaaControlTarget, [username = '']: string[]): HttpReply {
  return userValueReply(username, 'code', () => target.totpCode(username), `user "${username}" has no ChallengeOMATOTP factor`);
}

/** `{username, otp}` (a fresh YubiKey OTP), or 404 when the user has no YubiKey. */
function yotpOf(target: OaaControlTarget, [username = '']: string[]): HttpReply {
  return userValueReply(username, 'otp', () => target.yubicoOtp(username), `user "${username}" has no YubiKey factor`);
}
