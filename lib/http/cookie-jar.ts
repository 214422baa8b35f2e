/**
 * The upstream cookies of one login, kept in the express session between requests (never
 * sent to the browser). tough-cookie parses Set-Cookie and does the RFC 6265 domain and
 * path matching; the cookies themselves are kept as a short list of plain records, so a
 * step neither rebuilds a full CookieJar from the session nor serializes one back.
 */
import { Cookie, canonicalDomain, defaultPath, domainMatch, getPublicSuffix, pathMatch } from 'tough-cookie';

/** One cookie as the session keeps it: only what deciding where it goes needs. */
export interface StoredCookie {
  name: string;
  value: string;
  /** Canonical domain; with `hostOnly`, the exact host that set it. */
  domain: string;
  path: string;
  hostOnly?: true;
  secure?: true;
  /** Expiry, ms since the epoch; absent for a session cookie (it lives as long as the login). */
  expires?: number;
}

/** What a transaction keeps: the cookies in the order they were first set. */
export type StoredCookies = StoredCookie[];

/**
 * A login's upstream cookie jar. Reading never copies; the first change copies the list,
 * so the stored one is left as it was if the step then fails.
 */
export class UpstreamCookieJar {
  private cookies: StoredCookie[];
  private changed = false;

  constructor(stored?: StoredCookies) {
    this.cookies = Array.isArray(stored) ? stored : [];
  }

  /** The Cookie header for `url` (empty when nothing matches): longest path first, then oldest. */
  cookieHeader(url: URL): string {
    if (this.cookies.length === 0) return '';
    const host = canonicalHost(url.hostname);
    const https = url.protocol === 'https:';
    const now = Date.now();
    const matching = this.cookies.filter((c) =>
      (c.hostOnly ? c.domain === host : domainMatch(host, c.domain, false) === true) &&
      pathMatch(url.pathname, c.path) && (!c.secure || https) && isLive(c, now));
    // Array.prototype.sort is stable: equal path lengths keep the order they were set in.
    if (matching.length > 1) matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** Applies a response's Set-Cookie headers; malformed or foreign-domain cookies are dropped, as a browser would. */
  setCookies(url: URL, header: string | string[] | undefined): void {
    if (header === undefined) return;
    for (const line of Array.isArray(header) ? header : [header]) this.setCookie(url, line);
  }

  /** Forgets every cookie (e.g. before following a redirect to another host). */
  clear(): void {
    if (this.cookies.length === 0) return;
    this.cookies = [];
    this.changed = true;
  }

  /** Whether a cookie was set, replaced or removed since the jar was built. */
  get modified(): boolean {
    return this.changed;
  }

  /** The cookies to keep with the transaction (undefined when there are none). */
  toStored(): StoredCookies | undefined {
    const now = Date.now();
    const live = this.cookies.filter((c) => isLive(c, now));
    return live.length > 0 ? live : undefined;
  }

  private setCookie(url: URL, line: string): void {
    const parsed = Cookie.parse(line);
    if (!parsed?.key) return;
    const host = canonicalHost(url.hostname);
    const https = url.protocol === 'https:';
    let domain = host;
    let hostOnly = true;
    if (parsed.domain) {
      const cookieDomain = canonicalDomain(parsed.domain);
      // The Domain must cover the host that set it and must not be a public suffix such as "com".
      if (!cookieDomain || domainMatch(host, cookieDomain, false) !== true) return;
      if (cookieDomain !== host && getPublicSuffix(cookieDomain) === undefined) return;
      domain = cookieDomain;
      hostOnly = false;
    }
    if (parsed.secure && !https) return; // an insecure origin cannot set a Secure cookie
    if (parsed.key.startsWith('__Secure-') && !parsed.secure) return;
    if (parsed.key.startsWith('__Host-') && (!parsed.secure || !hostOnly || parsed.path !== '/')) return;
    const path = typeof parsed.path === 'string' && parsed.path.startsWith('/') ? parsed.path : defaultPath(url.pathname);
    const expiry = parsed.expiryTime(new Date()); // Max-Age wins over Expires; Max-Age=0 is -Infinity
    const cookie: StoredCookie = {
      name: parsed.key, value: parsed.value, domain, path,
      ...(hostOnly ? { hostOnly: true as const } : {}),
      ...(parsed.secure ? { secure: true as const } : {}),
      ...(expiry === undefined || expiry === Infinity ? {} : { expires: expiry }),
    };
    const index = this.cookies.findIndex((c) => c.name === cookie.name && c.domain === domain && c.path === path);
    const expired = !isLive(cookie, Date.now());
    if (index >= 0 && !expired && sameCookie(this.cookies[index]!, cookie)) return;
    const next = this.cookies.slice();
    if (expired) {
      if (index < 0) return;
      next.splice(index, 1);
    } else if (index >= 0) {
      next[index] = cookie; // a replaced cookie keeps its place (its creation time, RFC 6265 §5.3)
    } else {
      next.push(cookie);
    }
    this.cookies = next;
    this.changed = true;
  }
}

/** Canonical host names (lower case, punycode), remembered: a strategy talks to one or a few upstream hosts. */
const canonicalHosts = new Map<string, string>();

function canonicalHost(hostname: string): string {
  let host = canonicalHosts.get(hostname);
  if (host === undefined) {
    host = canonicalDomain(hostname) ?? hostname;
    if (canonicalHosts.size < 256) canonicalHosts.set(hostname, host);
  }
  return host;
}

/** A session cookie lives as long as the login; others until their expiry. */
function isLive(cookie: StoredCookie, now: number): boolean {
  return cookie.expires === undefined || cookie.expires > now;
}

function sameCookie(a: StoredCookie, b: StoredCookie): boolean {
  return a.value === b.value && a.hostOnly === b.hostOnly && a.secure === b.secure && a.expires === b.expires;
}
