/**
 * Mocha fixture for the CyberArk conformance replays: a scripted upstream
 * (scripted-upstream.ts) and the test app with the CyberArk provider pointed at it, driven
 * through the public routes in JSON mode. The client fails fast, with the upstream's own
 * account of what went wrong, as soon as the upstream saw anything unscripted or a route
 * answered 5xx.
 */
import { expect } from 'chai';
import { cyberark, type CyberArkOptions } from '../../../lib/index.js';
import type { BrowserResponse } from '../../support/browser.js';
import { capturedLogs } from '../../support/log-capture.js';
import type { ConformanceClient } from '../../support/conformance-client.js';
import { useConformanceFixture, type ConformanceFixture } from '../../support/conformance-fixture.js';
import { ScriptedUpstream } from './scripted-upstream.js';

export { advance, oobStatus, start, whoAmI } from './scripted-upstream.js';

export { ConformanceClient, POLL_INTERVAL_MS } from '../../support/conformance-client.js';
export { mechanism } from '../../support/conformance-fixture.js';

export type Conformance = ConformanceFixture<ScriptedUpstream>;

/** `provider`: further CyberArk provider options (the url is the harness's). */
export function useConformance(options: { provider?: Partial<CyberArkOptions> } = {}): Conformance {
  return useConformanceFixture({
    start: () => ScriptedUpstream.start(),
    provider: (up) => cyberark({ ...options.provider, url: up.url }),
    allowBadResponse: true,
  });
}



/** A route answer that is an error: this code, and its HTTP status (never a 2xx). */
export function expectError(res: BrowserResponse, code: string, status?: number): void {
  expect(res.json?.error?.code, res.text).to.equal(code);
  if (status !== undefined) expect(res.status, res.text).to.equal(status);
  else expect(res.status, res.text).to.be.within(400, 599);
}

/** Nobody is logged in on this browser. */
export async function expectNotLoggedIn(client: ConformanceClient): Promise<void> {
  expect((await client.me()).user, 'req.user').to.equal(null);
}

/**
 * The login finished: the script was used up without problems, the user in the session is
 * the one the upstream named (LoginSuccess fields, or WhoAmI's when the success has none),
 * and verify got the Token the upstream issued last.
 */
export async function expectLoggedIn(f: Conformance, client: ConformanceClient, done: BrowserResponse, user: { username: string; id?: string; displayName?: string }): Promise<void> {
  expect(done.status, done.text).to.equal(200);
  expect(done.json.step.kind, done.text).to.equal('done');
  f.up.verify();
  const me = (await client.me()).user;
  expect(me, 'req.user').to.include({ username: user.username, id: user.id ?? user.username });
  if (user.displayName) expect(me.displayName).to.equal(user.displayName);
  const issued = f.up.tokens.at(-1);
  expect(f.tokens.at(-1)?.accessToken, 'verify got the Token the upstream issued').to.equal(issued?.Token);
}

/** The debug lines written since `mark` (a `capturedLogs.length` taken before). */
export function logsSince(mark: number): string[] {
  return capturedLogs.slice(mark);
}
