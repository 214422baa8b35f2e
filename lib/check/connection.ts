/**
 * The transport checks every provider starts with: one GET of the configured base URL,
 * through the strategy's own dispatcher (proxy, CA, timeouts), split into what it proves:
 * the connection (DNS, TCP, the proxy), the TLS certificate, and an HTTP answer of any
 * status (a login page or a 404 are fine here: the API checks come next).
 */
import type { CheckContext } from './context.js';
import { mediaType, probe } from './probe.js';
import { failed, passed, skipped, warned, type CheckResult } from './result.js';

export interface ConnectionOutcome {
  results: CheckResult[];
  /** Whether the host answered over HTTP: the API checks run only then. */
  reachable: boolean;
}

const titles = { connect: 'Connection', tls: 'TLS certificate', http: 'HTTP answer' } as const;

export async function checkConnection(ctx: CheckContext): Promise<ConnectionOutcome> {
  const url = ctx.base;
  const https = url.protocol === 'https:';
  const target = `${url.hostname}:${url.port || (https ? 443 : 80)}`;
  const outcome = await probe(ctx, { method: 'GET', url, headers: { accept: '*/*' } });
  const stage = outcome.ok ? 'done' : outcome.failure.stage;
  const results: CheckResult[] = [];

  if (!outcome.ok && stage === 'connect') {
    results.push(failed('connect', titles.connect, outcome.failure.summary, outcome.failure.next, { ms: outcome.ms }));
  } else {
    results.push(passed('connect', titles.connect, `${target} reached ${routeText(ctx)}`));
  }
  if (https) {
    if (!outcome.ok && stage === 'tls') results.push(failed('tls', titles.tls, outcome.failure.summary, outcome.failure.next));
    else if (stage === 'connect') results.push(skipped('tls', titles.tls, 'not checked: no connection'));
    else results.push(passed('tls', titles.tls, `trusted (${ctx.setting.http.ca === undefined ? 'system CAs' : 'system CAs and http.ca'})`));
  }
  if (outcome.ok) {
    const { status } = outcome.response;
    results.push(passed('http', titles.http, `HTTP ${status} (${mediaType(outcome.response)}) in ${outcome.ms} ms`, { ms: outcome.ms }));
  } else if (stage === 'http' && outcome.failure.code === 'UPSTREAM_BAD_RESPONSE') {
    // The front page is too large for `maxResponseBytes`: the host answers, which is all this check asks.
    results.push(warned('http', titles.http, outcome.failure.summary, { next: outcome.failure.next, ms: outcome.ms }));
  } else if (stage === 'http') {
    results.push(failed('http', titles.http, outcome.failure.summary, outcome.failure.next, { ms: outcome.ms }));
  } else {
    results.push(skipped('http', titles.http, `not checked: no ${stage === 'tls' ? 'TLS session' : 'connection'}`));
  }
  return { results, reachable: outcome.ok || outcome.failure.code === 'UPSTREAM_BAD_RESPONSE' };
}

function routeText(ctx: CheckContext): string {
  const route = ctx.setting.route;
  if (!route) return 'through the dispatcher given in `http.dispatcher`';
  if (route.kind === 'proxy') return `through the proxy ${route.proxy} (${route.variable})`;
  if (route.reason === 'NO_PROXY') return 'directly (NO_PROXY exempts it from the proxy)';
  if (route.reason === 'no proxy variable set') return 'directly (proxy on, but no HTTPS_PROXY / HTTP_PROXY set)';
  return 'directly';
}
