/**
 * The Quick-start trap, made visible: a `secure` session cookie over plain HTTP is never
 * stored by the browser, so every POST after the first page fails the CSRF check. Said once
 * per process, as a Node warning (visible without DEBUG).
 */
import type { LoginRequest } from '../request.js';
import { isSecure } from '../request.js';

let warned = false;

/** Emits the MULTISTEP_INSECURE_COOKIE warning once, the first time a login request shows the problem. */
export function warnIfCookieCannotWork(req: LoginRequest): void {
  if (warned) return;
  const cookie = (req.session as { cookie?: { secure?: unknown } } | null | undefined)?.cookie;
  if (cookie?.secure !== true || isSecure(req)) return;
  // Behind a TLS proxy the app says so with `trust proxy` (Express) or express-session's `proxy`.
  const app = (req as { app?: { get?: (name: string) => unknown } }).app;
  const trustProxy = typeof app?.get === 'function' ? Boolean(app.get('trust proxy')) : undefined;
  if (trustProxy !== false && /^https\b/i.test(String(req.headers['x-forwarded-proto'] ?? ''))) return;
  warned = true;
  process.emitWarning(
    'A login request arrived over plain HTTP while the session cookie is `secure`: the browser will not send the cookie back, '
    + 'so every login POST fails the CSRF check. Serve the app over HTTPS, set `app.set(\'trust proxy\', 1)` behind a TLS proxy, '
    + 'or use `cookie: { secure: \'auto\' }` in express-session.',
    { code: 'MULTISTEP_INSECURE_COOKIE' },
  );
}

/** For tests: warn again. @internal */
export function resetInsecureCookieWarning(): void {
  warned = false;
}
