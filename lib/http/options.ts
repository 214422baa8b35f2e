import type { Dispatcher } from 'undici';

/** How the library talks to the upstream identity API. All times are in milliseconds. */
export interface HttpOptions {
  /** Your own undici Dispatcher (Agent, ProxyAgent, MockAgent, ...). Overrides `proxy`, `ca`, `caMode` and the timeouts' pool settings. */
  dispatcher?: Dispatcher;
  /** `true`: honour HTTP_PROXY / HTTPS_PROXY / NO_PROXY through undici's EnvHttpProxyAgent. */
  proxy?: boolean;
  /**
   * Extra trusted CA certificates (PEM) for a private PKI, for this strategy only. By default
   * (`caMode: 'add'`) they are trusted *in addition to* Node's default roots (the bundled Mozilla
   * store, plus NODE_EXTRA_CA_CERTS); with `caMode: 'replace'` they are the only roots trusted.
   * Used for every TLS connection of the strategy: direct, to the upstream through a proxy's
   * CONNECT tunnel (`proxy: true`), and to an `https://` proxy.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /** How `ca` combines with Node's default roots: `'add'` (default) or `'replace'` (trust `ca` only, e.g. to pin a private PKI). */
  caMode?: 'add' | 'replace';
  /**
   * TCP + TLS connect timeout. Default 5 000. With `proxy: true` it bounds each part of reaching
   * the upstream: the TCP (and TLS) connection to the proxy, the proxy's answer to CONNECT, and the
   * TLS handshake with the upstream through the tunnel.
   */
  connectTimeoutMs?: number;
  /** Time to the response headers. Default 10 000 (undici's own default is 300 000). */
  headersTimeoutMs?: number;
  /** Time between body chunks. Default 10 000. */
  bodyTimeoutMs?: number;
  /** Deadline for a whole upstream call, headers and body. Default 15 000. */
  requestTimeoutMs?: number;
  /** Largest upstream body accepted. Default 1 MiB (CyberArk QR images make packages large). */
  maxResponseBytes?: number;
  /** Keep-alive connections per upstream origin. Default 16. */
  connections?: number;
  /** Sent as User-Agent. */
  userAgent?: string;
}

/** The options with defaults applied. */
export type ResolvedHttpOptions = Required<Pick<HttpOptions,
  'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs' | 'requestTimeoutMs' | 'maxResponseBytes' | 'connections' | 'userAgent'>>
  & Pick<HttpOptions, 'dispatcher' | 'proxy' | 'ca' | 'caMode'>;

export function resolveHttpOptions(options: HttpOptions = {}): ResolvedHttpOptions {
  return {
    ...options,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    connections: options.connections ?? 16,
    userAgent: options.userAgent ?? 'passport-multistep',
  };
}
