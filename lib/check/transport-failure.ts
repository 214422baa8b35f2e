/**
 * A failed upstream call explained for an operator: which stage broke (name resolution and
 * TCP, through the proxy if one applies; the TLS handshake; the HTTP answer) and what to
 * do about it. Reads the cause the transport layer keeps on its MultiStepError (Node's
 * system and TLS error codes, undici's error codes).
 */
import { MultiStepError } from '../errors.js';
import type { ResolvedHttpOptions } from '../http/options.js';
import { oneLine } from './one-line.js';
import type { ProxyRoute } from './proxy-route.js';

/** Where the call broke. `http`: connected (and TLS done), but no usable answer. */
export type FailureStage = 'connect' | 'tls' | 'http';

export interface TransportFailure {
  stage: FailureStage;
  /** The low-level code, e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `UND_ERR_HEADERS_TIMEOUT`. */
  code: string;
  summary: string;
  next: string;
}

/** What the explanation may refer to. */
export interface TransportSetting {
  url: URL;
  http: ResolvedHttpOptions;
  /** How the URL is routed; undefined with a dispatcher of the app's own. */
  route: ProxyRoute | undefined;
  /** A proxy the environment names that `proxy: true` would use (set only while the option is off). */
  unusedProxy: string | undefined;
}

const untrusted = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT',
]);
const unreachable = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** Explains `error` (what UpstreamClient threw, or anything else). */
export function explainTransportFailure(error: unknown, setting: TransportSetting): TransportFailure {
  const cause = innermost(error);
  const code = typeof cause?.code === 'string' ? cause.code : MultiStepError.is(error) ? error.code : 'UNKNOWN';
  const message = typeof cause?.message === 'string' ? cause.message : '';
  const { url, http } = setting;
  const target = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const proxy = setting.route?.kind === 'proxy' ? setting.route.proxy : undefined;
  const viaProxy = proxy ? ` through the proxy ${proxy}` : '';
  const proxyName = proxy ? `the proxy ${proxy}` : 'the proxy';
  const proxyHint = setting.unusedProxy
    ? ` ${setting.unusedProxy} is set in the environment, but the strategy ignores it unless \`http: { proxy: true }\` (--proxy): turn it on if this network needs the proxy.`
    : '';
  const tls = (summary: string, next: string): TransportFailure => ({ stage: 'tls', code, summary, next });
  const connect = (summary: string, next: string): TransportFailure => ({ stage: 'connect', code, summary, next });
  const answer = (summary: string, next: string): TransportFailure => ({ stage: 'http', code, summary, next });

  if (untrusted.has(code)) {
    const kind = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'a self-signed certificate' : 'a certificate from a CA this process does not trust';
    return tls(`${url.hostname} presented ${kind} (${code})`, http.ca === undefined
      ? 'If the server (or a TLS-inspecting proxy) uses a private CA, give that CA certificate (PEM) as the `http.ca` option (--ca ca.pem). Do not turn certificate checks off.'
      : 'The CA given in `http.ca` (--ca) does not sign this certificate: give the root CA that issued the server\'s chain.');
  }
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return tls(`${url.hostname}'s certificate cannot be verified (${code}): its issuer is unknown here`,
      'The server probably does not send its intermediate certificate: fix the chain the server sends, or add the issuing CA (PEM) to `http.ca` (--ca).');
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return tls(`${url.hostname}'s certificate is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'} (${code})`,
      'Renew the server certificate, and check this machine\'s clock.');
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return tls(`the certificate does not name ${url.hostname} (${code})`,
      'Use the host name the certificate is issued for in the URL (the tenant\'s own name, not an IP address or an alias).');
  }
  if (code === 'CERT_REVOKED') return tls(`${url.hostname}'s certificate is revoked (${code})`, 'The server needs a new certificate.');
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || /^ERR_SSL_/.test(code)) {
    return tls(`the TLS handshake with ${target} failed (${code})`,
      url.protocol === 'https:'
        ? 'The server does not speak TLS on this port: check the port, or use http:// if it really is a plain-HTTP server.'
        : 'Check the URL\'s scheme and port.');
  }
  if (/^(ERR_TLS_|CERT_)/.test(code)) return tls(`the TLS handshake with ${target} failed (${code})`, 'Check the server\'s certificate and TLS setup.');

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') {
    const host = typeof cause?.hostname === 'string' ? cause.hostname : url.hostname;
    const isProxy = proxy !== undefined && host.toLowerCase() === hostOf(proxy);
    if (isProxy) return connect(`the proxy's host name ${host} does not resolve (${code})`, 'Check the proxy URL in HTTPS_PROXY / HTTP_PROXY.');
    return connect(`${host} does not resolve (${code})`,
      `Check the host name in the URL; ${code === 'EAI_AGAIN' ? 'the DNS server did not answer in time' : 'this machine\'s DNS does not know it'}.${proxyHint}`);
  }
  if (code === 'ECONNREFUSED') {
    const address = typeof cause?.address === 'string' ? `${cause.address}:${String(cause.port ?? '')}` : target;
    if (proxy && sameEndpoint(proxy, cause)) return connect(`the proxy ${proxy} refused the connection (${code})`, 'Check the proxy URL in HTTPS_PROXY / HTTP_PROXY, and that the proxy runs.');
    return connect(`${address} refused the connection${viaProxy} (${code})`,
      `Nothing listens there: check the host and port in the URL, and that the service is up.${proxyHint}`);
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return connect(`no TCP connection to ${proxy ?? target} within ${http.connectTimeoutMs} ms (${code})`,
      `A firewall drops the packets, or this network reaches ${url.hostname} only through a proxy.${proxyHint || ' Raise `http.connectTimeoutMs` (--timeout) only if the network is merely slow.'}`);
  }
  if (unreachable.has(code)) {
    return connect(`${proxy ?? target} is unreachable from this machine (${code})`, `Check routing and firewalls.${proxyHint}`);
  }
  if (code === 'UND_ERR_ABORTED' && /^Proxy response \((\d+)\)/.test(message)) {
    const status = /^Proxy response \((\d+)\)/.exec(message)![1];
    if (status === '407') {
      return connect(`${proxyName} asks for credentials (HTTP 407)`,
        'Put the proxy credentials in the proxy URL: HTTPS_PROXY=http://user:password@proxy:port.');
    }
    return connect(`${proxyName} refused to open a tunnel to ${target} (HTTP ${status})`,
      `Ask for ${target} to be allowed on the proxy (CONNECT), or exempt it with NO_PROXY if it is reachable directly.`);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return connect(`the connection to ${target} was closed before any answer${viaProxy} (${code})`,
      url.protocol === 'http:'
        ? 'The server may expect TLS: try https://. Otherwise a firewall or proxy cuts the connection.'
        : 'A firewall, load balancer or proxy cuts the connection; check that the URL is the API host.');
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return answer(`connected, but no response headers within ${http.headersTimeoutMs} ms (${code})`,
      'The server (or a proxy in front of it) accepted the connection but did not answer. Check that the URL is the API host and that it is healthy; raise the timeout (--timeout, `http.headersTimeoutMs`) only if it is just slow.');
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return answer(`the answer stalled for more than ${http.bodyTimeoutMs} ms (${code})`, 'The server or a proxy stalls mid-answer; check its health, or raise `http.bodyTimeoutMs` (--timeout).');
  }
  if (MultiStepError.is(error) && error.code === 'UPSTREAM_TIMEOUT') {
    return answer(`no complete answer within ${http.requestTimeoutMs} ms`,
      'The server is slow or does not answer; check its health, or raise `http.requestTimeoutMs` (--timeout).');
  }
  if (MultiStepError.is(error) && error.code === 'UPSTREAM_BAD_RESPONSE') {
    return answer(`the answer was larger than ${http.maxResponseBytes} bytes or cut short`, 'Check that the URL is the API host (not a portal page); raise `http.maxResponseBytes` only for a known reason.');
  }
  return connect(`the call failed${viaProxy} (${code}${message ? `: ${oneLine(message, 120)}` : ''})`, `Check the URL, the network and the proxy settings.${proxyHint}`);
}

interface ErrorLike { code?: unknown; message?: unknown; hostname?: unknown; address?: unknown; port?: unknown; cause?: unknown; errors?: unknown }

/** The deepest error with a code along the cause chain (of an AggregateError of connection attempts, its first one). */
function innermost(error: unknown): ErrorLike | undefined {
  let found: ErrorLike | undefined;
  let current = error as ErrorLike | undefined;
  for (let depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    if (typeof current.code === 'string' && !MultiStepError.is(current)) found = current;
    current = current.cause as ErrorLike | undefined;
  }
  if (found && Array.isArray(found.errors)) {
    const first = (found.errors as ErrorLike[]).find((e) => typeof e?.code === 'string');
    if (first) return first;
  }
  return found;
}

function hostOf(proxy: string): string {
  try { return new URL(proxy).hostname.toLowerCase(); } catch { return ''; }
}

function sameEndpoint(proxy: string, cause: ErrorLike | undefined): boolean {
  try {
    const parsed = new URL(proxy);
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    return String(cause?.port) === port && (cause?.address === host || host === 'localhost');
  } catch {
    return false;
  }
}
