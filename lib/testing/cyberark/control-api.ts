/**
 * Control routes under `/_sim` (not part of the tenant API, never recorded):
 * the HTML "phone" page and a JSON API for tests running in other processes.
 */
import {
  type ControlRequest,
  type ControlRoute,
  USER_PARAM as USER,
  dispatchControl,
  okReply,
  postFault,
  postSwitches,
} from '../shared/control.js';
import { type HttpReply, htmlReply, plainJson } from '../shared/http.js';
import { renderControlPage } from './control-page.js';
import { renderIdpPage } from './idp-page.js';
import { parseSwitches } from './switches.js';
import type { CyberArkSwitches, IdpLoginInfo, SentCode, SimFault, SimFaultOptions, SimulatorState } from './types.js';

export type { ControlRequest } from '../shared/control.js';

/** What the control routes need from the simulator. */
export interface ControlTarget {
  state(): SimulatorState;
  approvePush(username: string): boolean;
  denyPush(username: string): boolean;
  completeIdpLogin(username: string): boolean;
  denyIdpLogin(username: string): boolean;
  idpLogin(shortUrlId: string): IdpLoginInfo | undefined;
  completeIdpLoginById(shortUrlId: string): IdpLoginInfo | undefined;
  unlock(username: string): void;
  expireSessions(): void;
  lastCode(username: string, mechanism?: SentCode['mechanism']): string | undefined;
  setSwitches(partial: Partial<CyberArkSwitches>): void;
  injectFault(fault: SimFault, opts?: SimFaultOptions): void;
  clearFaults(): void;
  reset(): void;
}

const routes: Array<ControlRoute<ControlTarget>> = [
  { method: 'GET', pattern: /^\/?$/, handler: (t, _p, r) => htmlReply(200, renderControlPage(t.state(), r.mount), { 'cache-control': 'no-store' }) },
  { method: 'GET', pattern: /^\/api\/state$/, handler: (t) => plainJson(t.state()) },
  { method: 'GET', pattern: new RegExp(`^/api/code/${USER}$`), handler: codeOf },
  { method: 'POST', pattern: new RegExp(`^/api/push/${USER}/approve$`), handler: (t, [u = '']) => plainJson({ ok: t.approvePush(u) }), button: true },
  { method: 'POST', pattern: new RegExp(`^/api/push/${USER}/deny$`), handler: (t, [u = '']) => plainJson({ ok: t.denyPush(u) }), button: true },
  { method: 'POST', pattern: new RegExp(`^/api/idp/${USER}/complete$`), handler: completeIdp, button: true },
  { method: 'POST', pattern: new RegExp(`^/api/idp/${USER}/deny$`), handler: (t, [u = '']) => plainJson({ ok: t.denyIdpLogin(u) }), button: true },
  // The fake external IdP that federated users are redirected to (not under /api: a browser page).
  { method: 'GET', pattern: /^\/idp\/([^/]+)\/?$/, handler: (t, [id = ''], r) => idpPage(t.idpLogin(id), r) },
  { method: 'POST', pattern: /^\/idp\/([^/]+)\/?$/, handler: (t, [id = ''], r) => idpPage(t.completeIdpLoginById(id), r) },
  { method: 'POST', pattern: new RegExp(`^/api/unlock/${USER}$`), handler: (t, [u = '']) => (t.unlock(u), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-sessions$/, handler: (t) => (t.expireSessions(), okReply()) },
  { method: 'GET', pattern: /^\/api\/switches$/, handler: (t) => plainJson(t.state().switches) },
  { method: 'POST', pattern: /^\/api\/switches$/, handler: (t, _p, r) => postSwitches(t, parseSwitches, () => t.state().switches, r) },
  { method: 'POST', pattern: /^\/api\/faults$/, handler: (t, _p, r) => postFault(t, r) },
  { method: 'DELETE', pattern: /^\/api\/faults$/, handler: (t) => (t.clearFaults(), okReply()) },
  { method: 'POST', pattern: /^\/api\/reset$/, handler: (t) => (t.reset(), okReply()) },
];

/** Dispatches a control request. */
export function handleControl(target: ControlTarget, req: ControlRequest): HttpReply {
  return dispatchControl(target, routes, req);
}

function codeOf(target: ControlTarget, [username = '']: string[]): HttpReply {
  const byMechanism = Object.fromEntries(
    (['SMS', 'EMAIL', 'OTP', 'OOBAUTHPIN'] as const).flatMap((m) => {
      const code = target.lastCode(username, m);
      return code === undefined ? [] : [[m, code]];
    }),
  );
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
