/**
 * `check()`: verifies a provider configuration as far as that is possible WITHOUT logging
 * anyone in, through the same transport logins use (an UpstreamClient built from the same
 * `http` options: proxy, CA, timeouts). Runs in order: the URL, the connection, TLS, an HTTP
 * answer, then the provider's own checks (only once the host answers).
 */
import type { HttpOptions } from '../http/options.js';
import { UpstreamClient } from '../http/upstream-client.js';
import { checkConfiguration, displayUrl } from './configuration.js';
import { checkConnection } from './connection.js';
import type { CheckContext } from './context.js';
import { checkCyberArk, type CyberArkCheckOptions } from './cyberark.js';
import { checkIdcs, type IdcsCheckOptions } from './idcs.js';
import { checkOaa, type OaaCheckOptions } from './oaa.js';
import { environmentProxy, proxyRoute } from './proxy-route.js';
import { failed, skipped, type CheckProvider, type CheckReport, type CheckResult } from './result.js';

/** Shared by every provider: the strategy's `http` options, so the check uses exactly its transport. */
interface CommonCheckOptions {
  http?: HttpOptions;
}

/**
 * What to check: `provider` and that provider's options (the same object you give
 * `idcs()`, `oaa()` or `cyberark()` will do; options a check cannot use are ignored).
 */
export type CheckOptions =
  | ({ provider: 'idcs' } & IdcsCheckOptions & CommonCheckOptions)
  | ({ provider: 'oaa' } & OaaCheckOptions & CommonCheckOptions)
  | ({ provider: 'cyberark' } & CyberArkCheckOptions & CommonCheckOptions);

/**
 * Checks a provider configuration without logging anyone in: the URL, the connection
 * (DNS, TCP, the proxy), the TLS certificate, an HTTP answer, then per provider:
 * - `idcs`: the client-credentials token is issued, and the Authenticate API answers the
 *   first call for `appName` with a requestState (which is left to expire);
 * - `oaa`: the runtime API accepts the API credentials (an empty `PUT /authn/v1`, which can
 *   concern no challenge); the agent and assurance level are reported as not checkable;
 * - `cyberark`: StartAuthentication with an empty user name (names nobody, opens no
 *   session) answers CyberArk's envelope; a pod redirect is checked against `podAllowlist`.
 *
 * Never throws for an upstream problem: every failure is a result with a next step. No
 * result carries a secret, a token or a requestState.
 *
 * @example
 * ```ts
 * import { check, formatCheckReport } from 'passport-multistep';
 * const report = await check({ provider: 'idcs', ...idcsOptions, http: { proxy: true } });
 * if (!report.ok) console.error(formatCheckReport(report));
 * ```
 */
export async function check(options: CheckOptions): Promise<CheckReport> {
  const provider: CheckProvider = options.provider;
  if (provider !== 'idcs' && provider !== 'oaa' && provider !== 'cyberark') {
    throw new TypeError(`check: unknown provider ${JSON.stringify(provider)} (idcs, oaa or cyberark)`);
  }
  const results: CheckResult[] = [];
  const done = (): CheckReport => ({ provider, url: displayUrl(options.url), ok: results.every((r) => r.status !== 'fail'), results });

  const configuration = checkConfiguration(provider, options.url);
  const missing = missingOptions(options);
  results.push(missing.length > 0 && configuration.base
    ? failed('config', 'Configuration', `missing ${missing.join(' and ')}`, `Give ${missing.join(' and ')} (see the ${provider} provider options).`)
    : configuration.result);
  const base = configuration.base;
  if (!base || missing.length > 0) return done();

  const client = new UpstreamClient(options.http);
  try {
    const ctx: CheckContext = {
      client,
      base,
      setting: {
        url: base,
        http: client.options,
        route: client.options.dispatcher ? undefined : proxyRoute(base, client.options.proxy === true),
        unusedProxy: unusedProxy(base, options.http),
      },
    };
    const connection = await checkConnection(ctx);
    results.push(...connection.results);
    if (!connection.reachable) {
      results.push(skipped(`${provider}.api`, 'API checks', 'not run: the host gave no HTTP answer'));
      return done();
    }
    results.push(...await providerChecks(ctx, options));
    return done();
  } finally {
    await client.close();
  }
}

function providerChecks(ctx: CheckContext, options: CheckOptions): Promise<CheckResult[]> {
  switch (options.provider) {
    case 'idcs': return checkIdcs(ctx, options);
    case 'oaa': return checkOaa(ctx, options);
    case 'cyberark': return checkCyberArk(ctx, options);
  }
}

function missingOptions(options: CheckOptions): string[] {
  if (options.provider !== 'idcs') return [];
  return [!options.clientId ? '`clientId`' : '', !options.clientSecret ? '`clientSecret`' : ''].filter(Boolean);
}

/** `HTTPS_PROXY=http://proxy:3128`, when the environment names a proxy the strategy would not use. */
function unusedProxy(base: URL, http: HttpOptions | undefined): string | undefined {
  if (http?.dispatcher || http?.proxy) return undefined;
  const route = environmentProxy(base);
  return route.kind === 'proxy' ? `${route.variable}=${route.proxy}` : undefined;
}
