import { expect } from 'chai';
import type { BrowserResponse } from '../support/browser.js';
import { useFixture } from '../support/fixture.js';

/** Every JSON answer carries a CSRF token, a step or an error of one login: never cacheable. */
function expectUncacheableJson(res: BrowserResponse, what: string): void {
  expect(res.headers['cache-control'], what).to.equal('no-store');
  expect(res.headers.etag, what).to.equal(undefined);
  expect(String(res.headers['content-type']), what).to.match(/^application\/json; charset=utf-8$/);
  expect(Number(res.headers['content-length']), what).to.equal(Buffer.byteLength(res.text));
}

describe('JSON answers are never cached', () => {
  const f = useFixture();

  it('csrf, start, step, error, cancel, done and logout answers: no-store, no ETag, exact length', async () => {
    const client = f.client();
    expectUncacheableJson(await client.browser.get('/login/csrf'), 'csrf');
    expectUncacheableJson(await client.browser.get('/login/'), 'start page (JSON)');
    expectUncacheableJson(await client.start('bob'), 'start');
    expectUncacheableJson(await client.browser.get(`/login/step?tx=${client.tx}`), 'step');
    const cancelled = await client.act('cancel');
    expect(cancelled.json.cancelled).to.equal(true);
    expectUncacheableJson(cancelled, 'cancel');
    const refused = await client.act('cancel');
    expect(refused.status).to.equal(404);
    expectUncacheableJson(refused, 'error');

    await client.startWithPassword('bob');
    const done = await client.answer(f.sim.lastCode('bob'));
    expect(done.json.step.kind).to.equal('done');
    expectUncacheableJson(done, 'done');
    const loggedOut = await client.browser.post('/login/logout', { _csrf: done.json.csrfToken });
    expect(loggedOut.json.loggedOut).to.equal(true);
    expectUncacheableJson(loggedOut, 'logout');
  });
});
