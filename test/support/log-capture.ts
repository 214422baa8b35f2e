/**
 * Captures every `passport-multistep:*` debug line written during the test run (the `wire`
 * namespace's shapes included), and collects every secret the simulators saw (passwords,
 * codes, answers, SessionIds, requestStates, nonces, tokens, API keys) or handed out (the
 * ids and tokens in their answers, cookie values) so a root hook can check, once the whole
 * suite has run, that none of them ever reached a log line.
 */
import createDebug from 'debug';
import { format } from 'node:util';
import { SimServer } from '../../lib/testing/shared/server.js';
import type { HttpReply } from '../../lib/testing/shared/http.js';
import { globalAuditListeners } from '../../lib/audit/emitter.js';
import type { AuditEvent } from '../../lib/audit/events.js';

// One store per process: mocha's --require may load this file as a second module instance
// next to the one the tests import, and both must see the same lines and secrets.
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('passport-multistep.test.log-capture')] ??= {
  lines: [] as string[],
  secrets: new Set<string>(),
  replyWatchers: new Set<(reply: HttpReply) => void>(),
  events: [] as AuditEvent[],
}) as { lines: string[]; secrets: Set<string>; replyWatchers: Set<(reply: HttpReply) => void>; events: AuditEvent[] };

export const capturedLogs: string[] = shared.lines;

/** Secrets seen anywhere in the suite (filled by `collectSecrets` and from every simulator answer). */
export const suiteSecrets: Set<string> = shared.secrets;

/** Every audit event of every strategy in the suite (through lib/audit's internal process-wide listener set). */
export const capturedEvents: AuditEvent[] = shared.events;

// Registered once per process, whichever instance of this module loads first.
const eventsHooked = Symbol.for('passport-multistep.test.audit-capture');
if (!(globalThis as Record<symbol, unknown>)[eventsHooked]) {
  (globalThis as Record<symbol, unknown>)[eventsHooked] = true;
  globalAuditListeners.add((event) => { capturedEvents.push(event); });
}

/**
 * The captured events as the lines the secret check reads. Without `userId`: login.succeeded
 * carries the upstream user id on purpose, and the simulators' user ids (CyberArk's UserId,
 * the SCIM id) are in {@link suiteSecrets} because the debug log must never show them.
 */
export function auditEventLines(): string[] {
  return capturedEvents.map((event) => {
    // Also without the ids the library makes up (random request and transaction ids) and the
    // time: over thousands of events, a 6-digit code turns up inside a random hex id by chance.
    const { userId: _userId, requestId: _requestId, transactionId: _tx, time: _time, ...rest } = event as AuditEvent & { userId?: string; transactionId?: string };
    return JSON.stringify(rest);
  });
}

createDebug.enable('passport-multistep:*');
createDebug.log = (...args: unknown[]) => {
  capturedLogs.push(format(...(args as [unknown, ...unknown[]])));
};

/** Body fields whose values are secrets, in any provider's wire format (lower-case, no separators). */
const secretKeys = new Set([
  'sessionid', 'mechanismid', 'answer', 'password', 'otpcode', 'requeststate', 'nonce', 'correlationid', 'transactionid',
  'challengeanswer', 'bypasscode', 'trusttoken', 'clientsecret', 'idploginsessionid', 'assertion', 'authntoken', 'accesstoken',
]);

/**
 * Fields of the simulators' answers that hold ids or tokens they hand out, besides {@link secretKeys}:
 * CyberArk's `Token`, `Auth` and `UserId`, OAA's `contextId`, the SCIM `id` of IDCS's /Me. Answers only:
 * in requests `userId` is OAA's login name. Not ErrorID or ecId: those are logged on purpose, for a help desk.
 */
const replySecretKeys = new Set([...secretKeys, 'token', 'auth', 'userid', 'contextid', 'id', 'idtoken', 'refreshtoken']);

// Six or more characters, and not one character repeated ("000000" occurs by chance in ids).
const add = (value: unknown) => { if (typeof value === 'string' && value.length >= 6 && !/^(.)\1*$/.test(value)) suiteSecrets.add(value); };

/** Adds the strings under secret keys (and everything below them) anywhere in `value`. */
function walk(value: unknown, secret: boolean, keys: ReadonlySet<string>): void {
  if (typeof value === 'string') { if (secret) add(value); return; }
  if (Array.isArray(value)) { for (const item of value) walk(item, secret, keys); return; }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) walk(inner, secret || keys.has(key.toLowerCase().replace(/[-_]/g, '')), keys);
  }
}

/**
 * Adds the strings (or strings in an array) directly under a secret key anywhere in an answer.
 * Not everything below such a key, as for requests: IDCS describes its factors under their
 * names (`BYPASSCODE: {credentials: ['bypassCode']}`), and those are names, not secrets.
 */
function walkReply(value: unknown): void {
  if (Array.isArray(value)) { for (const item of value) walkReply(item); return; }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (replySecretKeys.has(key.toLowerCase().replace(/[-_]/g, ''))) {
      for (const item of Array.isArray(inner) ? inner : [inner]) add(item);
    }
    walkReply(inner);
  }
}

/** Records the secrets in one simulator answer: ids and tokens in a JSON body, Set-Cookie values. */
function collectReplySecrets(reply: HttpReply): void {
  const contentType = String(reply.headers['content-type'] ?? '');
  if (/\bjson\b/i.test(contentType)) {
    try { walkReply(JSON.parse(reply.body)); } catch { /* a truncated body is a fault, not an answer */ }
  }
  const setCookie = reply.headers['set-cookie'];
  for (const cookie of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
    add(cookie.split(';')[0]!.split('=').slice(1).join('=').trim());
  }
}

const replyWatchers = shared.replyWatchers;

/**
 * Calls `listener` with every answer any simulator writes until `stop()` (for tests that
 * check a log against every value the simulators sent, not only the secret ones).
 */
export function watchSimulatorReplies(listener: (reply: HttpReply) => void): { stop(): void } {
  replyWatchers.add(listener);
  return { stop: () => { replyWatchers.delete(listener); } };
}

// Every simulator answer (product API and control routes) goes through SimServer.write or
// writeSlowly: wrapping them sees what the simulators hand out without changing them. The
// flag keeps a second instance of this module from wrapping the same prototype twice.
const wrapped = Symbol.for('passport-multistep.test.reply-secrets');
const proto = SimServer.prototype as unknown as Record<string | symbol, unknown>;
if (!proto[wrapped]) {
  proto[wrapped] = true;
  for (const name of ['write', 'writeSlowly'] as const) {
    const original = SimServer.prototype[name] as (this: SimServer, res: unknown, reply: HttpReply, ...rest: unknown[]) => void;
    proto[name] = function (this: SimServer, res: unknown, reply: HttpReply, ...rest: unknown[]) {
      collectReplySecrets(reply);
      for (const watcher of replyWatchers) watcher(reply);
      return original.call(this, res, reply, ...rest);
    };
  }
}

/**
 * The secrets that occur in some captured line (the debug log, unless other lines are given).
 * Indexed by their first six characters (the shortest secret {@link collectSecrets} keeps), so
 * the check reads every line once instead of
 * once per secret: thousands of lines against thousands of secrets took seconds.
 */
export function leakedSecrets(lines: readonly string[] = capturedLogs): string[] {
  const probe = 6;
  const byPrefix = new Map<string, string[]>();
  const short: string[] = [];
  for (const secret of suiteSecrets) {
    if (secret.length < probe) { short.push(secret); continue; }
    const prefix = secret.slice(0, probe);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), secret]);
  }
  const leaks = new Set<string>(short.filter((secret) => lines.some((line) => line.includes(secret))));
  for (const line of lines) {
    for (let i = 0; i + probe <= line.length; i++) {
      const candidates = byPrefix.get(line.slice(i, i + probe));
      if (candidates) for (const secret of candidates) if (line.startsWith(secret, i)) leaks.add(secret);
    }
  }
  return [...leaks];
}

/** Records the secrets in a simulator's request log (bodies and Authorization/Cookie headers). */
export function collectSecrets(requests: ReadonlyArray<{ body?: unknown; headers?: Record<string, unknown> }>): void {
  for (const request of requests) {
    // A form body (the token endpoint's) as the object it encodes: password, assertion, client_secret…
    const form = typeof request.body === 'string' && /^[\w.%+-]+=/.test(request.body) ? Object.fromEntries(new URLSearchParams(request.body)) : undefined;
    walk(form ?? request.body, false, secretKeys);
    const auth = request.headers?.authorization;
    if (typeof auth === 'string') add(auth.replace(/^(Bearer|Basic)\s+/i, ''));
    const cookie = request.headers?.cookie;
    if (typeof cookie === 'string') for (const part of cookie.split(';')) add(part.split('=').slice(1).join('=').trim());
  }
}
