/**
 * Control routes under `/_sim` (not part of the identity domain's API, never
 * recorded): the HTML "phone" page and a JSON API for tests in other processes.
 */
import { type ControlRequest, type ControlRoute, type SimulatorControlTarget, USER_PARAM as USER, codesByChannel, commonControlRoutes, dispatchControl, okReply } from '../shared/control.js';
import { type HttpReply, plainJson } from '../shared/http.js';
import { renderIdcsControlPage } from './control-page.js';
import { parseIdcsSwitches } from './switches.js';
import type { IdcsSentCode, IdcsSimulatorState, IdcsSwitches } from './types.js';

/** What the control routes need from the simulator. */
export interface IdcsControlTarget extends SimulatorControlTarget<IdcsSwitches> {
  state(): IdcsSimulatorState;
  lastCode(username: string, factor?: IdcsSentCode['mechanism']): string | undefined;
  totpCode(username: string): string;
  expireAccessTokens(): void;
  expireAuthnTokens(): void;
  expireRequestStates(): void;
  expireCodes(): void;
  scanEnrollment(username: string): boolean;
}

const routes: Array<ControlRoute<IdcsControlTarget>> = [
  ...commonControlRoutes<IdcsSwitches, IdcsControlTarget>({
    page: (t, mount) => renderIdcsControlPage(t.state(), mount),
    parseSwitches: parseIdcsSwitches,
    resetButton: true,
  }),
  { method: 'GET', pattern: new RegExp(`^/api/code/${USER}$`), handler: codeOf },
  { method: 'GET', pattern: new RegExp(`^/api/totp/${USER}$`), handler: totpOf },
  { method: 'POST', pattern: new RegExp(`^/api/enrollment/${USER}/scan$`), handler: (t, [u = '']) => plainJson({ ok: t.scanEnrollment(u) }), button: true },
  { method: 'POST', pattern: /^\/api\/expire-access-tokens$/, handler: (t) => (t.expireAccessTokens(), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-authn-tokens$/, handler: (t) => (t.expireAuthnTokens(), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-request-states$/, handler: (t) => (t.expireRequestStates(), okReply()), button: true },
  { method: 'POST', pattern: /^\/api\/expire-codes$/, handler: (t) => (t.expireCodes(), okReply()), button: true },
];

/** Dispatches a control request. */
export function handleIdcsControl(target: IdcsControlTarget, req: ControlRequest): HttpReply {
  return dispatchControl(target, routes, req);
}

/** `{username, code, byFactor}`: the last code sent, and the last one per channel. */
function codeOf(target: IdcsControlTarget, [username = '']: string[]): HttpReply {
  const byFactor = codesByChannel((f) => target.lastCode(username, f), ['SMS', 'EMAIL'] as const);
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
