import type { Dispatcher } from 'undici';

/** How the library talks to the upstream identity API. All times are in milliseconds. */
export interface HttpOptions {
  /** Your own undici Dispatcher (Agent, ProxyAgent, MockAgent, ...). Overrides `proxy`, `ca` and the timeouts' pool settings. */
  dispatcher?: Dispatcher;
  /** `true`: honour HTTP_PROXY / HTTPS_PROXY / NO_PROXY through undici's EnvHttpProxyAgent. */
  proxy?: boolean;
  /** Extra trusted CA certificates (PEM) for a private PKI, for this strategy only. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** TCP + TLS connect timeout. Default 5 000. */
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
  & Pick<HttpOptions, 'dispatcher' | 'proxy' | 'ca'>;

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
