/**
 * Captures every `passport-multistep:*` debug line written during the test run, and
 * collects every secret the simulators saw (passwords, codes, answers, SessionIds,
 * requestStates, nonces, tokens, API keys) so a root hook can check, once the whole
 * suite has run, that none of them ever reached a log line.
 */
import createDebug from 'debug';
import { format } from 'node:util';

// One store per process: mocha's --require may load this file as a second module instance
// next to the one the tests import, and both must see the same lines and secrets.
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('passport-multistep.test.log-capture')] ??= {
  lines: [] as string[],
  secrets: new Set<string>(),
}) as { lines: string[]; secrets: Set<string> };

export const capturedLogs: string[] = shared.lines;

/** Secrets seen anywhere in the suite (filled by `collectSecrets`). */
export const suiteSecrets: Set<string> = shared.secrets;

createDebug.enable('passport-multistep:*');
createDebug.log = (...args: unknown[]) => {
  capturedLogs.push(format(...(args as [unknown, ...unknown[]])));
};

/** Body fields whose values are secrets, in any provider's wire format (lower-case, no separators). */
const secretKeys = new Set([
  'sessionid', 'mechanismid', 'answer', 'password', 'otpcode', 'requeststate', 'nonce', 'correlationid', 'transactionid',
  'challengeanswer', 'bypasscode', 'trusttoken', 'clientsecret', 'idploginsessionid', 'assertion', 'authntoken', 'accesstoken',
]);

/** Records the secrets in a simulator's request log (bodies and Authorization/Cookie headers). */
export function collectSecrets(requests: ReadonlyArray<{ body?: unknown; headers?: Record<string, unknown> }>): void {
  // Six or more characters, and not one character repeated ("000000" occurs by chance in ids).
  const add = (value: unknown) => { if (typeof value === 'string' && value.length >= 6 && !/^(.)\1*$/.test(value)) suiteSecrets.add(value); };
  const walk = (value: unknown, secret: boolean): void => {
    if (typeof value === 'string') { if (secret) add(value); return; }
    if (Array.isArray(value)) { for (const item of value) walk(item, secret); return; }
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, secret || secretKeys.has(key.toLowerCase().replace(/[-_]/g, '')));
    }
  };
  for (const request of requests) {
    // A form body (the token endpoint's) as the object it encodes: password, assertion, client_secret…
    const form = typeof request.body === 'string' && /^[\w.%+-]+=/.test(request.body) ? Object.fromEntries(new URLSearchParams(request.body)) : undefined;
    walk(form ?? request.body, false);
    const auth = request.headers?.authorization;
    if (typeof auth === 'string') add(auth.replace(/^(Bearer|Basic)\s+/i, ''));
    const cookie = request.headers?.cookie;
    if (typeof cookie === 'string') for (const part of cookie.split(';')) add(part.split('=').slice(1).join('=').trim());
  }
}
