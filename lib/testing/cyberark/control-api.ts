/**
 * Control routes under `/_sim` (not part of the tenant API, never recorded):
 * the HTML "phone" page and a JSON API for tests running in other processes.
 */
import { type ControlRequest, type ControlRoute, type SimulatorControlTarget, USER_PARAM as USER, codesByChannel, commonControlRoutes, dispatchControl, okReply } from '../shared/control.js';
import { type HttpReply, htmlReply, plainJson } from '../shared/http.js';
import { renderControlPage } from './control-page.js';
import { renderIdpPage } from './idp-page.js';
import { parseSwitches } from './switches.js';
import type { CyberArkSwitches, IdpLoginInfo, SentCode, SimulatorState } from './types.js';

export type { ControlRequest } from '../shared/control.js';

/** What the control routes need from the simulator. */
export interface ControlTarget extends SimulatorControlTarget<CyberArkSwitches> {
  state(): SimulatorState;
  completeIdpLogin(username: string): boolean;
  denyIdpLogin(username: string): boolean;
  idpLogin(shortUrlId: string): IdpLoginInfo | undefined;
  completeIdpLoginById(shortUrlId: string): IdpLoginInfo | undefined;
  expireSessions(): void;
  lastCode(username: string, mechanism?: SentCode['mechanism']): string | undefined;
}

const routes: Array<ControlRoute<ControlTarget>> = [
  ...commonControlRoutes<CyberArkSwitches, ControlTarget>({ page: (t, mount) => renderControlPage(t.state(), mount), parseSwitches }),
  { method: 'GET', pattern: new RegExp(`^/api/code/${USER}$`), handler: codeOf },
  { method: 'POST', pattern: new RegExp(`^/api/idp/${USER}/complete$`), handler: completeIdp, button: true },
  { method: 'POST', pattern: new RegExp(`^/api/idp/${USER}/deny$`), handler: (t, [u = '']) => plainJson({ ok: t.denyIdpLogin(u) }), button: true },
  // The fake external IdP that federated users are redirected to (not under /api: a browser page).
  { method: 'GET', pattern: /^\/idp\/([^/]+)\/?$/, handler: (t, [id = ''], r) => idpPage(t.idpLogin(id), r) },
  { method: 'POST', pattern: /^\/idp\/([^/]+)\/?$/, handler: (t, [id = ''], r) => idpPage(t.completeIdpLoginById(id), r) },
  { method: 'POST', pattern: /^\/api\/expire-sessions$/, handler: (t) => (t.expireSessions(), okReply()) },
];

/** Dispatches a control request. */
export function handleControl(target: ControlTarget, req: ControlRequest): HttpReply {
  return dispatchControl(target, routes, req);
}

function codeOf(target: ControlTarget, [username = '']: string[]): HttpReply {
  const byMechanism = codesByChannel((m) => target.lastCode(username, m), ['SMS', 'EMAIL', 'OTP', 'OOBAUTHPIN'] as const);
  return plainJson({ username, code: target.lastCode(username) ?? null, byMechanism });
}

/** `{ok, pin}`: the PIN is the one just issued (null for users without PIN, or when nothing was pending). */
function completeIdp(target: ControlTarget, [username = '']: string[]): HttpReply {
  const done = target.completeIdpLogin(username);
  // Only PIN users ever get an OOBAUTHPIN code, and completing issues a fresh one.
  const pin = done ? (target.lastCode(username, 'OOBAUTHPIN') ?? null) : null;
  return plainJson({ ok: done, pin });
}

function idpPage(login: IdpLoginInfo | undefined, req: ControlRequest): HttpReply {
  return htmlReply(login ? 200 : 404, renderIdpPage(login, req.mount + req.subPath), { 'cache-control': 'no-store' });
}
