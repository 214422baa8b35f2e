/**
 * CyberArk pod redirects (StartAuthentication answering only `PodFqdn`). The target
 * comes from the upstream, so it must match the configured allowlist before anything
 * (the username included) is sent there.
 */
import { MultiStepError } from '../../errors.js';

/** The vendor's multi-tenant domains, whose tenants and pods may redirect to one another. */
const vendorDomains = ['id.cyberark.cloud', 'my.idaptive.app', 'my.centrify.net', 'my.centrify.com', 'idaptive.app'];

/**
 * The default allowlist: the tenant host itself, plus any host of the vendor's own
 * multi-tenant domain when the tenant lives under one (`abc.id.cyberark.cloud` →
 * `*.id.cyberark.cloud`). A custom domain gets no wildcard: `login.example.com` must not
 * trust every `*.example.com`. Configure `podAllowlist` for anything else.
 */
export function defaultPodAllowlist(base: URL): string[] {
  const host = base.hostname.toLowerCase();
  const vendor = vendorDomains.find((domain) => host.endsWith(`.${domain}`));
  return vendor ? [base.host, `*.${vendor}${base.port ? `:${base.port}` : ''}`] : [base.host];
}

/** Whether `url`'s host matches an entry: exact `host[:port]`, or `*.domain` for any subdomain (any port only if the entry names none and the URL uses the default port). */
export function hostAllowed(url: URL, allowlist: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return allowlist.some((raw) => {
    const entry = raw.toLowerCase();
    if (entry.startsWith('*.')) {
      const [domain, port] = entry.slice(2).split(':') as [string, string | undefined];
      if ((port ?? '') !== url.port) return false;
      return hostname.endsWith(`.${domain}`);
    }
    return entry === host;
  });
}

/**
 * Builds the redirected base URL from a PodFqdn: a bare host gets the current scheme
 * (https in production) and keeps the base path unless PodFqdn carries its own
 * (Delinea's `x.delinea.app/identity`). Refused unless the host is allowlisted and
 * the scheme is not downgraded.
 */
export function podBaseUrl(podFqdn: string, current: URL, allowlist: readonly string[]): URL {
  let target: URL;
  try {
    target = /^[a-z][a-z0-9+.-]*:\/\//i.test(podFqdn) ? new URL(podFqdn) : new URL(`${current.protocol}//${podFqdn}`);
  } catch {
    throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  }
  const downgrade = current.protocol === 'https:' && target.protocol !== 'https:';
  if (downgrade || target.username || target.password || !hostAllowed(target, allowlist)) {
    throw new MultiStepError('UPSTREAM_REDIRECT_REFUSED');
  }
  if (target.pathname === '/' || target.pathname === '') target.pathname = current.pathname;
  if (!target.pathname.endsWith('/')) target.pathname += '/';
  target.search = '';
  target.hash = '';
  return target;
}
