/**
 * Mocha fixture for the conformance replays: a scripted upstream (scripted-upstream.ts)
 * and the test app with the IDCS provider pointed at it, driven through the public routes
 * in JSON mode. The client fails fast, with the upstream's own account of what went wrong,
 * as soon as the upstream saw anything unscripted or a route answered 5xx.
 */
import { expect } from 'chai';
import { idcs, type IdcsOptions, type Mechanism } from '../../../lib/index.js';
import { maskEmail, maskPhone } from '../../../lib/mechanism-text.js';
import type { BrowserResponse } from '../../support/browser.js';
import type { ConformanceClient } from '../../support/conformance-client.js';
import { mechanism, useConformanceFixture, type ConformanceFixture } from '../../support/conformance-fixture.js';
import type { JsonObject } from './oracle-examples.js';
import { JWT_BEARER, ScriptedUpstream, get, post, type ScriptEntry } from './scripted-upstream.js';

export { get, post } from './scripted-upstream.js';

/** The first two calls of most Oracle flows: the GET, then the password submit answered with `fixture`. */
export function afterPassword(fixture: string): ScriptEntry[] {
  return [get('start-password'), post(fixture, { op: 'credSubmit', credentials: ['username', 'password'] })];
}

export const APP_NAME = 'ConformanceApp';
export { ConformanceClient, POLL_INTERVAL_MS } from '../../support/conformance-client.js';
export { mechanism } from '../../support/conformance-fixture.js';
const rememberDeviceSecret = 'conformance-remember-device-secret-32b!';

export type Conformance = ConformanceFixture<ScriptedUpstream>;

/** `provider`: further IDCS provider options (url, client and appName are the harness's). */
export function useConformance(options: { provider?: Partial<IdcsOptions> } = {}): Conformance {
  return useConformanceFixture({
    start: () => ScriptedUpstream.start({ appName: APP_NAME }),
    provider: (up) => idcs({ ...options.provider, url: up.url, clientId: up.clientId, clientSecret: up.clientSecret, appName: APP_NAME }),
    strategy: { rememberDevice: { secret: rememberDeviceSecret } },
  });
}



/** How the library shows an upstream displayName: a device as is, an address in the one masked format. */
function shownAs(text: string): string[] {
  return [text, maskEmail(text), /[0-9X]{4,}/.test(text) ? maskPhone(text) : undefined].filter((v): v is string => v !== undefined);
}

/** Whether a mechanism shows this text (as the library shows it) as its device, masked address or label. */
export const showing = (text: string) => (m: Mechanism): boolean =>
  [m.device, m.maskedAddress, m.label].some((value) => shownAs(text).some((shown) => value?.includes(shown)));

/** The factor's own displayName is shown as the device or the masked address, never as anything else. */
export function expectShown(m: Mechanism, displayName: string): void {
  const values = [m.device, m.maskedAddress];
  expect(shownAs(displayName).some((shown) => values.includes(shown)), `device/maskedAddress of ${JSON.stringify(m)} shows ${displayName}`).to.equal(true);
}

/** A route answer that is a retryable or final error: 4xx with this code, never 5xx. */
export function expectError(res: BrowserResponse, code: string): void {
  expect(res.status, res.text).to.be.within(400, 499);
  expect(res.json?.error?.code, res.text).to.equal(code);
}

/**
 * The login finished, and it finished the Oracle way: the last authnToken was exchanged
 * with the JWT-bearer grant (HTTP Basic client auth), the user token fetched
 * `/admin/v1/Me`, and the user in the session is that SCIM record, not anything from the
 * authnToken or a factor's displayName. Also checks the script was used up without problems.
 */
export async function expectLoggedIn(f: Conformance, client: ConformanceClient, done: BrowserResponse): Promise<void> {
  expect(done.status, done.text).to.equal(200);
  expect(done.json.step.kind, done.text).to.equal('done');
  f.up.verify();
  const me = f.up.me as JsonObject & { id: string; userName: string; displayName: string; name: { givenName: string; familyName: string } };

  const calls = f.up.requests.filter((r) => !(r.kind === 'token' && (r.body as Record<string, string>).grant_type === 'client_credentials'));
  const [answered, grant, meCall] = calls.slice(-3);
  expect(calls.slice(-3).map((r) => r.kind), 'the last upstream calls').to.deep.equal(['authenticate', 'token', 'me']);
  const authnToken = (answered!.response as JsonObject).authnToken;
  expect(authnToken, 'the last authenticate answer carried the authnToken').to.be.a('string');
  const form = grant!.body as Record<string, string>;
  expect(form.grant_type).to.equal(JWT_BEARER);
  expect(form.assertion).to.equal(authnToken);
  expect(grant!.headers.authorization).to.equal(`Basic ${Buffer.from(`${f.up.clientId}:${f.up.clientSecret}`).toString('base64')}`);
  expect(meCall!.method).to.equal('GET');
  expect(meCall!.headers.authorization).to.equal(`Bearer ${(grant!.response as JsonObject).access_token as string}`);
  for (const call of f.up.calls('authenticate')) expect(call.headers.authorization, `authenticate #${call.seq}`).to.match(/^Bearer app-/);

  const { user } = await client.me();
  expect(user, 'req.user').to.include({ id: me.id, username: me.userName, displayName: me.displayName });
  const profile = f.profiles.at(-1)!;
  expect(profile, 'the profile verify received').to.include({ id: me.id, username: me.userName, displayName: me.displayName });
  expect(profile.name).to.include({ givenName: me.name.givenName, familyName: me.name.familyName });
}

/**
 * After a verified enrollment: the login either finished (the provider called createToken)
 * or shows a step that finishes it ("continue without enrolling more"), which is chosen here.
 */
export async function finishAfterEnrollment(client: ConformanceClient, res: BrowserResponse): Promise<BrowserResponse> {
  if (res.json?.step?.kind === 'done') return res;
  const skip = mechanism(client.step, (m) => m.type === 'skip', '"continue without enrolling more"');
  return client.act('select', { mechanism: skip.id });
}

/** The authenticate bodies the provider sent, in order (GET: `{}`). */
export function sentBodies(f: Conformance): JsonObject[] {
  return f.up.calls('authenticate').map((r) => (r.method === 'POST' ? (r.body as JsonObject) : {}));
}
