/**
 * Routing for the control routes under `/_sim` (not part of any product API,
 * never recorded): a table of routes per simulator, the cross-origin guard,
 * form-button redirects, and the generic fault and switch endpoints.
 */
import { parseFault } from './faults.js';
import { type HttpReply, htmlReply, parseJson, plainJson, redirectReply } from './http.js';
import type { SimFault, SimFaultOptions } from './types.js';

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

export type ControlHandler<T> = (target: T, params: string[], req: ControlRequest) => HttpReply;

export interface ControlRoute<T> {
  method: string;
  pattern: RegExp;
  handler: ControlHandler<T>;
  /** A button on the page posts here: answer an HTML form post with a redirect back to the page. */
  button?: boolean;
}

/** Pattern fragment for a user name path parameter. */
export const USER_PARAM = '([^/]+)';

/** `{ok: true}`. */
export const okReply = (): HttpReply => plainJson({ ok: true });

/** Dispatches a control request through a route table; 404 JSON when nothing matches. */
export function dispatchControl<T>(target: T, routes: ReadonlyArray<ControlRoute<T>>, req: ControlRequest): HttpReply {
  if (req.method === 'POST' && crossOrigin(req.headers)) return plainJson({ error: 'cross-origin request refused' }, 403);
  for (const route of routes) {
    const match = route.pattern.exec(req.subPath);
    if (!match) continue;
    if (route.method !== req.method) continue;
    const params = match.slice(1).map((p) => safeDecode(p ?? ''));
    const reply = route.handler(target, params, req);
    return route.button && isFormPost(req.headers) ? redirectReply(req.mount) : reply;
  }
  return plainJson({ error: 'not found' }, 404);
}

/** `POST …/api/faults {fault, path?, times?}` (`times: null` = every matching request). */
export function postFault(target: { injectFault(fault: SimFault, opts?: SimFaultOptions): void }, req: ControlRequest): HttpReply {
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

/** `POST …/api/switches {partial}` → the switches after the change. */
export function postSwitches<S>(
  target: { setSwitches(partial: Partial<S>): void },
  parse: (input: unknown) => Partial<S> | string,
  current: () => S,
  req: ControlRequest,
): HttpReply {
  const parsed = parse(parseJson(req.bodyText));
  if (typeof parsed === 'string') return plainJson({ error: parsed }, 400);
  target.setSwitches(parsed);
  return plainJson(current());
}

/** What the control routes every simulator has need from it. */
export interface SimulatorControlTarget<S> {
  state(): { switches: S };
  approvePush(username: string): boolean;
  denyPush(username: string): boolean;
  unlock(username: string): void;
  setSwitches(partial: Partial<S>): void;
  injectFault(fault: SimFault, opts?: SimFaultOptions): void;
  clearFaults(): void;
  reset(): void;
}

/** How a simulator fills in {@link commonControlRoutes}. */
export interface CommonControlRoutes<S, T extends SimulatorControlTarget<S>> {
  /** The HTML control page; `mount` is its path (target of the forms). */
  page: (target: T, mount: string) => string;
  parseSwitches: (input: unknown) => Partial<S> | string;
  /** The page has a Reset button: a form post to `reset` redirects back to the page. */
  resetButton?: boolean;
}

/**
 * The routes every simulator has: the page, `api/state`, push approve/deny,
 * unlock, switches, faults and reset. A simulator appends its own.
 */
export function commonControlRoutes<S, T extends SimulatorControlTarget<S>>(options: CommonControlRoutes<S, T>): Array<ControlRoute<T>> {
  const { page, parseSwitches, resetButton = false } = options;
  return [
    { method: 'GET', pattern: /^\/?$/, handler: (t, _p, r) => htmlReply(200, page(t, r.mount), { 'cache-control': 'no-store' }) },
    { method: 'GET', pattern: /^\/api\/state$/, handler: (t) => plainJson(t.state()) },
    { method: 'POST', pattern: new RegExp(`^/api/push/${USER_PARAM}/approve$`), handler: (t, [u = '']) => plainJson({ ok: t.approvePush(u) }), button: true },
    { method: 'POST', pattern: new RegExp(`^/api/push/${USER_PARAM}/deny$`), handler: (t, [u = '']) => plainJson({ ok: t.denyPush(u) }), button: true },
    { method: 'POST', pattern: new RegExp(`^/api/unlock/${USER_PARAM}$`), handler: (t, [u = '']) => (t.unlock(u), okReply()), button: true },
    { method: 'GET', pattern: /^\/api\/switches$/, handler: (t) => plainJson(t.state().switches) },
    { method: 'POST', pattern: /^\/api\/switches$/, handler: (t, _p, r) => postSwitches(t, parseSwitches, () => t.state().switches, r) },
    { method: 'POST', pattern: /^\/api\/faults$/, handler: (t, _p, r) => postFault(t, r) },
    { method: 'DELETE', pattern: /^\/api\/faults$/, handler: (t) => (t.clearFaults(), okReply()) },
    { method: 'POST', pattern: /^\/api\/reset$/, handler: (t) => (t.reset(), okReply()), button: resetButton },
  ];
}

/** `{channel: code}` of the channels that have a last code (for the `api/code/:user` answers). */
export function codesByChannel<M extends string>(lastCode: (channel: M) => string | undefined, channels: readonly M[]): Record<string, string> {
  return Object.fromEntries(
    channels.flatMap((channel) => {
      const code = lastCode(channel);
      return code === undefined ? [] : [[channel, code]];
    }),
  );
}

/**
 * `{username, [field]: value}` for a per-user value the simulator produces on
 * demand (an authenticator code, a key's OTP), or 404 `{error: missing}` when
 * producing it throws (the user has no such factor).
 */
export function userValueReply(username: string, field: string, produce: () => string, missing: string): HttpReply {
  try {
    return plainJson({ username, [field]: produce() });
  } catch {
    return plainJson({ error: missing }, 404);
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
