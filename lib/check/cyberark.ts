/**
 * CyberArk Identity checks. A StartAuthentication for a real or made-up user is never sent
 * (it opens a session and may send a code or a push). The one call made is
 * StartAuthentication with an EMPTY user name, which names nobody: tenants refuse it with
 * the failure envelope and `Summary: "Undefined"`, opening no session (observed on live
 * tenants, cyberark.md T9). That proves the URL answers as a CyberArk Identity API through
 * the same endpoint, headers and transport logins use. A pod host answering `PodFqdn`
 * instead is reported, checked against `podAllowlist` as the provider would, and reached.
 */
import { MultiStepError } from '../errors.js';
import { podBaseUrl, defaultPodAllowlist } from '../providers/cyberark/pod-redirect.js';
import type { CyberArkOptions } from '../providers/cyberark/provider.js';
import { readEnvelope, stringField, type Envelope } from '../providers/cyberark/wire.js';
import type { CheckContext } from './context.js';
import { jsonBody, mediaType, probe } from './probe.js';
import { failed, passed, warned, type CheckResult } from './result.js';

/** What the CyberArk checks need: the provider's own options (the rest of CyberArkOptions is ignored). */
export type CyberArkCheckOptions = Pick<CyberArkOptions, 'url' | 'tenantId' | 'podAllowlist'>;

const api = { id: 'cyberark.api', title: 'Identity API' } as const;
const pod = { id: 'cyberark.pod', title: 'Pod redirect' } as const;
const nativeClientHeaders = { 'X-IDAP-NATIVE-CLIENT': 'true', 'X-CENTRIFY-NATIVE-CLIENT': 'true' };
const tenantUrl = 'The URL must be the tenant URL, e.g. https://abc1234.id.cyberark.cloud (Delinea: https://x.delinea.app/identity), not a portal or login page address.';

type Answer = { envelope: Envelope; ms: number } | { result: CheckResult };

export async function checkCyberArk(ctx: CheckContext, options: CyberArkCheckOptions): Promise<CheckResult[]> {
  const first = await startWithoutUser(ctx, ctx.base, options);
  if ('result' in first) return [first.result];
  const { envelope, ms } = first;
  const tenant = options.tenantId ? `; TenantId ${JSON.stringify(options.tenantId)} sent, not verifiable without a user` : '';
  const podFqdn = stringField(envelope.result, 'PodFqdn');
  if (envelope.success && podFqdn && !stringField(envelope.result, 'SessionId')) {
    return [
      passed(api.id, api.title, `answers as a CyberArk Identity pod (StartAuthentication without a user answered a pod redirect)${tenant}`, { ms }),
      await podCheck(ctx, options, podFqdn),
    ];
  }
  return [await apiResult(ctx, envelope, ms, tenant)];
}

/** StartAuthentication with `User: ""`, as the provider would send it. */
async function startWithoutUser(ctx: CheckContext, base: URL, options: CyberArkCheckOptions): Promise<Answer> {
  const { id, title } = api;
  const url = new URL('Security/StartAuthentication', base);
  const outcome = await probe(ctx, {
    method: 'POST', url, headers: nativeClientHeaders,
    json: { User: '', Version: '1.0', ...(options.tenantId ? { TenantId: options.tenantId } : {}) },
  });
  if (!outcome.ok) return { result: failed(id, title, outcome.failure.summary, outcome.failure.next, { ms: outcome.ms }) };
  const { status } = outcome.response;
  const seen = `HTTP ${status}, ${mediaType(outcome.response)}`;
  const ms = { ms: outcome.ms };
  const body = jsonBody(outcome.response);
  if (body === undefined) {
    if (status >= 500) return { result: failed(id, title, `the tenant failed (${seen})`, 'CyberArk Identity, or a proxy in front of it, is failing: try again later.', ms) };
    if (status === 404) return { result: failed(id, title, `no CyberArk Identity API at ${url.href} (${seen})`, tenantUrl, ms) };
    return { result: failed(id, title, `StartAuthentication answered with something other than JSON (${seen})`, `A portal, proxy or login page answered. ${tenantUrl}`, ms) };
  }
  try {
    return { envelope: readEnvelope(body), ms: outcome.ms };
  } catch (error) {
    if (!MultiStepError.is(error)) throw error;
    return { result: failed(id, title, `JSON, but not CyberArk's answer envelope (${seen})`, tenantUrl, ms) };
  }
}

async function apiResult(ctx: CheckContext, envelope: Envelope, ms: number, tenant: string): Promise<CheckResult> {
  const { id, title } = api;
  const summary = stringField(envelope.result, 'Summary');
  if (!envelope.success) {
    return passed(id, title, `answers as a CyberArk Identity tenant: StartAuthentication without a user refused${summary ? ` (Summary ${summary})` : ''}, no session opened${tenant}`, { ms });
  }
  // Not seen on any tenant: a session for nobody. Close it rather than leave it to expire.
  const sessionId = stringField(envelope.result, 'SessionId');
  if (sessionId) await closeSession(ctx, sessionId, stringField(envelope.result, 'TenantId'));
  return warned(id, title, `answers as a CyberArk Identity tenant, but accepted a StartAuthentication without a user${summary ? ` (Summary ${summary})` : ''}`, {
    next: 'Unexpected (tenants refuse it with Summary Undefined); the session was closed with CleanupAuthentication. Please report it.', ms,
  });
}

async function podCheck(ctx: CheckContext, options: CyberArkCheckOptions, podFqdn: string): Promise<CheckResult> {
  const { id, title } = pod;
  const allowlist = options.podAllowlist ?? defaultPodAllowlist(ctx.base);
  let target: URL;
  try {
    target = podBaseUrl(podFqdn, ctx.base, allowlist);
  } catch {
    return failed(id, title, `this host redirects logins to ${podFqdn}, which the provider would refuse (podAllowlist: ${allowlist.join(', ')})`,
      `Use the tenant URL ${/^[a-z][a-z0-9+.-]*:\/\//i.test(podFqdn) ? podFqdn : `${ctx.base.protocol}//${podFqdn}`} as \`url\`, or add its host to \`podAllowlist\` (never to downgrade https).`);
  }
  const reached = await startWithoutUser(ctx, target, options);
  if ('result' in reached) {
    const { summary, next } = reached.result;
    return failed(id, title, `redirect to ${target.host} allowed, but ${target.host}: ${summary}`, next ?? tenantUrl, { ...(reached.result.ms !== undefined ? { ms: reached.result.ms } : {}) });
  }
  return passed(id, title, `logins are redirected to ${target.host} (allowed by podAllowlist), which answers as a tenant`, {
    next: `Configure \`url\` as ${target.href} to save one round trip per login, unless this pod URL is deliberate.`, ms: reached.ms,
  });
}

async function closeSession(ctx: CheckContext, sessionId: string, tenantId: string | undefined): Promise<void> {
  await ctx.client.request({
    method: 'POST', url: new URL('Security/CleanupAuthentication', ctx.base), headers: nativeClientHeaders,
    json: { SessionId: sessionId, ...(tenantId ? { TenantId: tenantId } : {}) },
  }).catch(() => undefined);
}
