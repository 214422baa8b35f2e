/**
 * Control routes under `/_sim` (not part of the identity domain's API, never
 * recorded): the HTML "phone" page and a JSON API for tests in other processes.
 */
import { type ControlRequest, type ControlRoute, USER_PARAM as USER, dispatchControl, okReply, postFault, postSwitches } from '../shared/control.js';
import { type HttpReply, htmlReply, plainJson } from '../shared/http.js';
import type { SimFault, SimFaultOptions } from '../shared/types.js';
import { renderIdcsControlPage } from './control-page.js';
import { parseIdcsSwitches } from './switches.js';
import type { IdcsSentCode, IdcsSimulatorState, IdcsSwitches } from './types.js';

/** What the control routes need from the simulator. */
export interface IdcsControlTarget {
  state(): IdcsSimulatorState;
  approvePush(username: string): boolean;
  denyPush(username: string): boolean;
  lastCode(username: string, factor?: IdcsSentCode['mechanism']): string | undefined;
  totpCode(username: string): string;
  unlock(username: string): void;
  expireAccessTokens(): void;
  expireRequestStates(): void;
  expireCodes(): void;
  setSwitches(partial: Partial<IdcsSwitches>): void;
  injectFault(fault: SimFault, opts?: SimFaultOptions): void;
  clearFaults(): void;
  reset(): void;
}

const routes: Array<ControlRoute<IdcsControlTarget>> = [
  { method: 'GET', pattern: /^\/?$/, handler: (t, _p, r) => htmlReply(200, renderIdcsControlPage(t.state(), r.mount), { 'cache-control': 'no-store' }) },
  { method: 'GET', pattern: /^\/api\/state$/, handler: (t) => plainJson(t.state()) },
  { method: 'GET', pattern: new RegExp(`^/api/code/${USER}$`), handler: codeOf },
  { method: 'GET', pattern: new RegExp(`^/api/totp/${USER}$`), handler: totpOf },
  { method: 'POST', pattern: new RegExp(`^/api/push/${USER}/approve$`), handler: (t, [u = '']) => plainJson({ ok: t.approvePush(u) }), button: true },
  { method: 'POST', pattern: new RegExp(`^/api/push/${USER}/deny$`), handler: (t, [u = '']) => plainJson({ ok: t.denyPush(u) }), button: true },
  { method: 'POST', pattern: new RegExp(`^/api/unlock/${USER}$`), handler: (t, [u = '']) => (t.unlock(u), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-access-tokens$/, handler: (t) => (t.expireAccessTokens(), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-request-states$/, handler: (t) => (t.expireRequestStates(), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-codes$/, handler: (t) => (t.expireCodes(), okReply()), button: true },
  { method: 'GET', pattern: /^\/api\/switches$/, handler: (t) => plainJson(t.state().switches) },
  { method: 'POST', pattern: /^\/api\/switches$/, handler: (t, _p, r) => postSwitches(t, parseIdcsSwitches, () => t.state().switches, r) },
  { method: 'POST', pattern: /^\/api\/faults$/, handler: (t, _p, r) => postFault(t, r) },
  { method: 'DELETE', pattern: /^\/api\/faults$/, handler: (t) => (t.clearFaults(), okReply()) },
  { method: 'POST', pattern: /^\/api\/reset$/, handler: (t) => (t.reset(), okReply()), button: true },
];

/** Dispatches a control request. */
export function handleIdcsControl(target: IdcsControlTarget, req: ControlRequest): HttpReply {
  return dispatchControl(target, routes, req);
}

/** `{username, code, byFactor}`: the last code sent, and the last one per channel. */
function codeOf(target: IdcsControlTarget, [username = '']: string[]): HttpReply {
  const byFactor = Object.fromEntries(
    (['SMS', 'EMAIL'] as const).flatMap((f) => {
      const code = target.lastCode(username, f);
      return code === undefined ? [] : [[f, code]];
    }),
  );
  return plainJson({ username, code: target.lastCode(username) ?? null, byFactor });
}

/** `{username, code}`, or 404 when the user has no authenticator. */
function totpOf(target: IdcsControlTarget, [username = '']: string[]): HttpReply {
  try {
    return plainJson({ username, code: target.totpCode(username) });
  } catch {
    return plainJson({ error: `user "${username}" has no TOTP authenticator` }, 404);
  }
}
