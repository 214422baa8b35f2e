/**
 * The security headers of the built-in pages. The pages carry no inline script or style, so the
 * Content-Security-Policy allows only the router's own assets ('self'), `data:` images (the QR
 * code of an authenticator app being set up), the logo's origin, and same-origin requests and
 * form posts.
 */

/** What the policy depends on besides the fixed parts. */
export interface CspSources {
  /** Origins images may come from besides 'self' and data: (an absolute logo URL). */
  imageOrigins: readonly string[];
  /** Origins a form post may end up at besides 'self' (a redirect to an enrolment page). */
  formActionOrigins: readonly string[];
}

/** The Content-Security-Policy value. */
export function contentSecurityPolicy(sources: CspSources): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ['img-src', "'self'", 'data:', ...sources.imageOrigins].join(' '),
    // The page script polls and resends with fetch, on the router's own routes.
    "connect-src 'self'",
    ['form-action', "'self'", ...sources.formActionOrigins].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The headers of every rendered page. */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    // A login page holds a CSRF token and a transaction id: never cached, never framed.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // same-origin rather than no-referrer: with no-referrer a browser sends `Origin: null` on
    // the pages' own POSTs, which origin checks would refuse.
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': csp,
  };
}

/**
 * The origin of an absolute http(s) URL, or undefined for a same-origin path. Throws a TypeError
 * (naming `what`) for anything else: a URL that is neither could not be allowed by the policy.
 */
export function originOf(what: string, value: string): string | undefined {
  if (value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} must be an http(s) URL or a path starting with "/", got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`${what} must be an http(s) URL or a path starting with "/", got ${JSON.stringify(value)}`);
  }
  return url.origin;
}
