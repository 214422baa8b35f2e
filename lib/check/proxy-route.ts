/**
 * Which proxy `http: { proxy: true }` sends a URL through, read from the environment with
 * the rules of undici's EnvHttpProxyAgent (lower-case variables first; HTTPS falls back to
 * HTTP_PROXY; NO_PROXY entries match the host or its subdomains, optionally with a port;
 * `*` bypasses everything). Only for describing the route: the requests themselves go
 * through the strategy's own dispatcher.
 */

/** How a URL is routed. */
export type ProxyRoute =
  | { kind: 'direct'; reason: 'proxy option off' | 'no proxy variable set' | 'NO_PROXY' }
  | { kind: 'proxy'; variable: string; proxy: string };

const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The route of `url` with `proxy` on or off, under `env`. The proxy URL is returned without its user info. */
export function proxyRoute(url: URL, proxy: boolean, env: NodeJS.ProcessEnv = process.env): ProxyRoute {
  if (!proxy) return { kind: 'direct', reason: 'proxy option off' };
  const http = variable(env, 'http_proxy');
  const https = url.protocol === 'https:' ? variable(env, 'https_proxy') ?? http : http;
  if (!https) return { kind: 'direct', reason: 'no proxy variable set' };
  if (bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return { kind: 'direct', reason: 'NO_PROXY' };
  return { kind: 'proxy', variable: https.name, proxy: withoutUserInfo(https.value) };
}

/** A proxy variable set in the environment that `proxy: true` would use for `url`, whatever the option says. */
export function environmentProxy(url: URL, env: NodeJS.ProcessEnv = process.env): ProxyRoute {
  return proxyRoute(url, true, env);
}

function variable(env: NodeJS.ProcessEnv, lower: string): { name: string; value: string } | undefined {
  const upper = lower.toUpperCase();
  // undici reads `x ?? X`: an empty lower-case variable hides the upper-case one.
  if (env[lower] !== undefined) return env[lower] ? { name: lower, value: env[lower]! } : undefined;
  return env[upper] ? { name: upper, value: env[upper]! } : undefined;
}

function bypassed(url: URL, noProxy: string): boolean {
  if (noProxy === '*') return true;
  const hostname = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || defaultPorts[url.protocol] || 0;
  return noProxy.split(/[,\s]/).filter(Boolean).some((entry) => {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? parsed[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number.parseInt(parsed[2]!, 10) !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

function withoutUserInfo(proxy: string): string {
  try {
    const parsed = new URL(proxy);
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}
