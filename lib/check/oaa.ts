/**
 * OAA runtime checks. OAA's answer bodies are not public (shared/vendor/oaa-evidence.md), so
 * these checks rely on HTTP status codes alone, and on one call that can concern no user:
 * `PUT {OAAService}/authn/v1` with an empty body. It names no correlationId, so it cannot
 * touch any challenge: with valid API credentials the runtime refuses it as invalid (400);
 * with wrong ones the API layer refuses it first (401/403). The integration agent
 * (`clientInfo`) and the assurance level travel only in the POST that starts a user's
 * challenge, which a check must not send: they are reported as not checked.
 */
import type { OaaOptions } from '../providers/oaa/provider.js';
import type { CheckContext } from './context.js';
import { isJson, mediaType, probe } from './probe.js';
import { failed, passed, skipped, warned, type CheckResult } from './result.js';

/** What the OAA checks need: the provider's URL and API authentication (the rest of OaaOptions is ignored). */
export type OaaCheckOptions = Pick<OaaOptions, 'url'> & Partial<Pick<OaaOptions, 'auth' | 'clientId' | 'clientSecret' | 'assuranceLevel'>>;

const api = { id: 'oaa.api', title: 'Runtime API credentials' } as const;
const agent = { id: 'oaa.agent', title: 'Agent and assurance level' } as const;
const runtimeUrl = 'The URL must be the OAAService base printed at install, e.g. https://oaa.example.com/oaa/runtime (the API is its /authn/v1).';

export async function checkOaa(ctx: CheckContext, options: OaaCheckOptions): Promise<CheckResult[]> {
  return [await apiCheck(ctx, options), agentNote(options)];
}

async function apiCheck(ctx: CheckContext, options: OaaCheckOptions): Promise<CheckResult> {
  const { id, title } = api;
  const auth = options.auth;
  if (!auth) {
    return skipped(id, title, 'not checked: no API credentials given',
      { next: 'Give the runtime API user and key (--api-user, OAA_API_KEY) or a bearer token (OAA_BEARER_TOKEN).' });
  }
  let authorization: string;
  try {
    authorization = 'bearer' in auth
      ? `Bearer ${typeof auth.bearer === 'function' ? await auth.bearer() : auth.bearer}`
      : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  } catch {
    return failed(id, title, 'the `auth.bearer` function threw', 'Fix the function that fetches the bearer token.');
  }
  const kind = 'bearer' in auth ? 'bearer token' : `Basic user ${JSON.stringify(auth.username)}`;
  const outcome = await probe(ctx, { method: 'PUT', url: new URL('authn/v1', ctx.base), headers: { authorization }, json: {} });
  if (!outcome.ok) return failed(id, title, outcome.failure.summary, outcome.failure.next, { ms: outcome.ms });
  const { status } = outcome.response;
  const seen = `HTTP ${status}, ${mediaType(outcome.response)}`;
  const ms = { ms: outcome.ms };
  if (status === 401 || status === 403) {
    return failed(id, title, `OAA refused the ${kind} (${seen})`, 'bearer' in auth
      ? 'The bearer token was refused: check that it is valid and that OAuth is enabled for the runtime API.'
      : 'The Basic user is `<RELEASENAME>-oaa` (e.g. oaainstall-oaa) and the password is the base64-DECODED `oaaapikey` of the installation.', ms);
  }
  if (status === 400) {
    return passed(id, title, `${kind} accepted: OAA refused an empty PUT /authn/v1 as invalid, as expected (${seen})`, ms);
  }
  if (status === 404 || status === 405) return failed(id, title, `no runtime API at ${new URL('authn/v1', ctx.base).href} (${seen})`, runtimeUrl, ms);
  if (status === 500) {
    return warned(id, title, `OAA failed on the empty probe (${seen}): the credentials were probably accepted, but this is not certain`,
      { next: 'Look at the OAA runtime log for this request; a real login will tell for sure.', ...ms });
  }
  if (status > 500) return failed(id, title, `the runtime is unavailable (${seen})`, 'OAA, or the ingress in front of it, is down: check its pods.', ms);
  if (!isJson(outcome.response)) {
    return failed(id, title, `something other than the runtime API answered (${seen})`, `A login page, portal or proxy answered. ${runtimeUrl}`, ms);
  }
  return warned(id, title, `unexpected answer to an empty PUT /authn/v1 (${seen}); the ${kind} seems accepted`,
    { next: 'OAA\'s answers are not publicly documented: please report what it sent, without secrets.', ...ms });
}

function agentNote(options: OaaCheckOptions): CheckResult {
  const given = [options.clientId ? 'agent client id' : '', options.assuranceLevel ? `assurance level ${JSON.stringify(options.assuranceLevel)}` : '']
    .filter(Boolean).join(' and ');
  return skipped(agent.id, agent.title, `${given ? `${given}: ` : ''}not checkable without a user (OAA reads them only from the POST that starts a user's challenge)`, {
    next: 'The first login verifies them: wrong agent credentials fail with HTTP 401 and an unknown assurance level with HTTP 400 (see DEBUG=passport-multistep:oaa).',
  });
}
