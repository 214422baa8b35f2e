/**
 * Debug logging through the `debug` package (namespaces `passport-multistep:*`).
 * Call sites pass structured fields, never preformatted strings, so one place can
 * redact them: any field whose name looks secret is replaced before formatting.
 */
import createDebug from 'debug';

/** Field names (lower-cased, without `_`/`-`) whose values are never logged. */
const secretFieldNames = new Set([
  'password', 'newpassword', 'answer', 'answers', 'code', 'otp', 'otpcode', 'bypasscode', 'pin',
  'token', 'accesstoken', 'refreshtoken', 'idtoken', 'authntoken', 'trusttoken', 'auth', 'bearer',
  'authorization', 'cookie', 'cookies', 'setcookie', 'sessionid', 'session', 'requeststate', 'nonce',
  'secret', 'clientsecret', 'mechanismid', 'csrf', 'csrftoken', 'state', 'body',
]);

/** Whether a field of that name must be redacted. */
export function isSecretField(name: string): boolean {
  return secretFieldNames.has(name.toLowerCase().replace(/[-_]/g, ''));
}

/** Returns a copy of `fields` with secret-looking fields replaced by `[redacted]`. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isSecretField(key) ? '[redacted]' : value;
  }
  return out;
}

/** A namespaced, redacting logger: `log('event', { field })`. */
export type Logger = (event: string, fields?: Record<string, unknown>) => void;

/** Creates a logger under `passport-multistep:<area>`. */
export function createLogger(area: string): Logger {
  const debug = createDebug(`passport-multistep:${area}`);
  return (event, fields) => {
    if (!debug.enabled) return;
    if (fields === undefined) debug('%s', event);
    else debug('%s %o', event, redact(fields));
  };
}
