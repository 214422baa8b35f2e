import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { Agent, EnvHttpProxyAgent, Pool, type Dispatcher } from 'undici';
import type { ResolvedHttpOptions } from './options.js';

/**
 * The one keep-alive dispatcher a strategy uses for every upstream call.
 * Undici's defaults wait 300 s for headers; a login page cannot, so the timeouts are explicit.
 *
 * With `proxy: true` (undici's EnvHttpProxyAgent → ProxyAgent) the `connect` options of the
 * Agent are *not* used for proxied origins: ProxyAgent replaces `connect` with its own tunnel
 * function, which connects to the proxy with `proxyTls` and then runs TLS to the upstream inside
 * the CONNECT tunnel with `requestTls` (undici 7 lib/dispatcher/proxy-agent.js). So the same
 * trust store and connect timeout are given to all three, and the proxy's answer to CONNECT is
 * bounded by the connect timeout too (it is part of reaching the upstream).
 */
export function createDispatcher(options: ResolvedHttpOptions): Dispatcher {
  if (options.dispatcher) return options.dispatcher;
  const connect = { timeout: options.connectTimeoutMs, ...tlsTrust(options) };
  const agentOptions = {
    connections: options.connections,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    connect,
  };
  if (!options.proxy) return new Agent(agentOptions);
  return new EnvHttpProxyAgent({
    ...agentOptions,
    // TLS to the upstream through the CONNECT tunnel: the handshake's timeout and the trusted CAs.
    requestTls: connect,
    // The connection to the proxy itself: TCP connect timeout, and the CAs for an https:// proxy.
    proxyTls: connect,
    // The client that sends CONNECT to the proxy: a proxy that accepts the TCP connection but never
    // answers CONNECT is a connect failure, not a 300 s wait.
    clientFactory: (origin: URL, opts: object) => new Pool(origin, { ...opts, headersTimeout: options.connectTimeoutMs, bodyTimeout: options.bodyTimeoutMs }),
  });
}

/**
 * The TLS trust of this strategy's connections. Without `ca`: Node's defaults (nothing set).
 * With `ca` and `caMode: 'add'` (default): Node's default roots plus `ca`, in one secure context
 * built once (Node's `ca` option alone *replaces* the default roots). `caMode: 'replace'`: `ca` only.
 */
function tlsTrust(options: ResolvedHttpOptions): { secureContext?: tls.SecureContext } {
  if (options.ca === undefined) return {};
  const extra = Array.isArray(options.ca) ? options.ca : [options.ca];
  const ca = options.caMode === 'replace' ? extra : [...defaultRoots(), ...extra];
  return { secureContext: tls.createSecureContext({ ca }) };
}

/**
 * Node's default trust store: `tls.getCACertificates('default')` where Node has it (22.15+; it
 * includes NODE_EXTRA_CA_CERTS), else the bundled `tls.rootCertificates` plus the
 * NODE_EXTRA_CA_CERTS file, which Node itself adds to its defaults.
 */
function defaultRoots(): string[] {
  const withGetter = tls as typeof tls & { getCACertificates?: (type: 'default') => string[] };
  if (typeof withGetter.getCACertificates === 'function') return withGetter.getCACertificates('default');
  const roots: string[] = [...tls.rootCertificates];
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      roots.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node warns about an unreadable file at startup and goes on without it; so do we.
    }
  }
  return roots;
}
