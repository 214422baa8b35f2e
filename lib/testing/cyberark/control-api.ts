/**
 * Control routes under `/_sim` (not part of the tenant API, never recorded):
 * the HTML "phone" page and a JSON API for tests running in other processes.
 */
import { renderControlPage } from './control-page.js';
import { parseFault } from './faults.js';
import { renderIdpPage } from './idp-page.js';
import { parseSwitches } from './switches.js';
import type { CyberArkSwitches, IdpLoginInfo, SentCode, SimFault, SimFaultOptions, SimulatorState } from './types.js';
import { type HttpReply, htmlReply, plainJson } from './wire.js';

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

/** A control request, already read. */
export interface ControlRequest {
  method: string;
  /** Path below the mount point, e.g. `/api/state`. */
  subPath: string;
  /** Path of the page itself, e.g. `/_sim`: target of form redirects. */
  mount: string;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

type Handler = (target: ControlTarget, params: string[], req: ControlRequest) => HttpReply;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  /** A button on the page posts here: answer an HTML form post with a redirect back to the page. */
  button?: boolean;
}

const USER = '([^/]+)';
const okReply = (): HttpReply => plainJson({ ok: true });

const routes: Route[] = [
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
  { method: 'POST', pattern: /^\/api\/switches$/, handler: postSwitches },
  { method: 'POST', pattern: /^\/api\/faults$/, handler: postFault },
  { method: 'DELETE', pattern: /^\/api\/faults$/, handler: (t) => (t.clearFaults(), okReply()) },
  { method: 'POST', pattern: /^\/api\/reset$/, handler: (t) => (t.reset(), okReply()) },
];

/** Dispatches a control request. */
export function handleControl(target: ControlTarget, req: ControlRequest): HttpReply {
  if (req.method === 'POST' && crossOrigin(req.headers)) return plainJson({ error: 'cross-origin request refused' }, 403);
  for (const route of routes) {
    const match = route.pattern.exec(req.subPath);
    if (!match) continue;
    if (route.method !== req.method) continue;
    const params = match.slice(1).map((p) => safeDecode(p ?? ''));
    const reply = route.handler(target, params, req);
    return route.button && isFormPost(req.headers) ? redirect(req.mount) : reply;
  }
  return plainJson({ error: 'not found' }, 404);
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

function postSwitches(target: ControlTarget, _params: string[], req: ControlRequest): HttpReply {
  const parsed = parseSwitches(parseJson(req.bodyText));
  if (typeof parsed === 'string') return plainJson({ error: parsed }, 400);
  target.setSwitches(parsed);
  return plainJson(target.state().switches);
}

function postFault(target: ControlTarget, _params: string[], req: ControlRequest): HttpReply {
  const body = parseJson(req.bodyText);
  if (typeof body !== 'object' || body === null) return plainJson({ error: 'expected {fault, path?, times?}' }, 400);
  const { fault: rawFault, path, times } = body as Record<string, unknown>;
  const fault = parseFault(rawFault);
  if (typeof fault === 'string') return plainJson({ error: fault }, 400);
  if (path !== undefined && typeof path !== 'string') return plainJson({ error: 'path must be a string' }, 400);
  // JSON has no Infinity: null means "every matching request".
  if (times !== undefined && times !== null && !(typeof times === 'number' && times >= 1)) {
    return plainJson({ error: 'times must be a number >= 1 (or null for always)' }, 400);
  }
  target.injectFault(fault, {
    ...(path !== undefined ? { path } : {}),
    times: times === null ? Infinity : (times ?? 1),
  });
  return okReply();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function header(headers: ControlRequest['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function isFormPost(headers: ControlRequest['headers']): boolean {
  return header(headers, 'content-type').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Browsers send Origin on cross-site form posts; refuse them so a web page cannot press the buttons. */
function crossOrigin(headers: ControlRequest['headers']): boolean {
  const origin = header(headers, 'origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host.toLowerCase() !== header(headers, 'host').toLowerCase();
  } catch {
    return true;
  }
}

function redirect(location: string): HttpReply {
  return { status: 303, headers: { location, 'content-type': 'text/plain; charset=utf-8' }, body: 'See Other' };
}
