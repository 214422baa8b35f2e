/**
 * A hostile or buggy upstream that loops (CyberArk NewPackage → auto StartOOB → NewPackage …,
 * IDCS `nextOp: [createToken]` without an authnToken …): one browser request makes at most
 * `maxUpstreamCallsPerRequest` upstream calls and answers UPSTREAM_LOOP; a browser that goes
 * away aborts the request's upstream calls; either way the session's next request is answered
 * at once.
 */
import { expect } from 'chai';
import { request } from 'undici';
import { calls, sleep, useFixture } from '../support/fixture.js';
import { useIdcsFixture, ops } from '../support/idcs-fixture.js';
import { LoginClient } from '../support/login-client.js';
import { Browser } from '../support/browser.js';

/** Runs `fn` and returns its result with the time it took, in ms. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** The session's next request: answered well within a second. */
async function expectPrompt(client: LoginClient): Promise<void> {
  const { value, ms } = await timed(() => client.browser.get('/login/csrf'));
  expect(value.status).to.equal(200);
  expect(ms).to.be.below(1000);
}

/**
 * POSTs an action from the client's browser (its cookies), and goes away `afterMs` later
 * (the undici request is aborted: the socket closes). Resolves once it has gone.
 */
async function postAndLeave(client: LoginClient, action: string, body: Record<string, unknown>, afterMs: number): Promise<void> {
  const url = new URL(`/login/${action}`, client.browser.baseUrl).href;
  const cookie = await client.browser.jar.getCookieString(url);
  const controller = new AbortController();
  const pending = request(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', cookie },
    body: JSON.stringify({ tx: client.tx, sequence: client.step?.sequence, _csrf: client.csrf, ...body }),
    signal: controller.signal,
  }).then((res) => res.body.text());
  await sleep(afterMs);
  controller.abort();
  try {
    await pending;
    expect.fail('the request should have been aborted');
  } catch (error) {
    expect((error as Error).name).to.match(/Abort/);
  }
}

describe('upstream loops, CyberArk: NewPackage → auto StartOOB → NewPackage …', () => {
  const f = useFixture();

  it('one request makes at most 8 calls (the last a cleanup), answers 502 UPSTREAM_LOOP, and the session answers at once', async () => {
    const client = f.client();
    await client.start('carol');
    f.sim.switches.newPackageLoop = true;
    const before = f.sim.requests.length;
    const res = await client.answer('carol-pw');
    const made = calls(f.sim).slice(before);
    expect(made).to.have.length(8);
    expect(made.slice(0, 7).every((c) => c === 'AdvanceAuthentication')).to.equal(true);
    expect(made[7]).to.equal('CleanupAuthentication'); // the upstream is told to drop the login, once
    expect(res.status).to.equal(502);
    expect(res.json.error.code).to.equal('UPSTREAM_LOOP');
    expect(res.json.error.message).to.equal('The identity service did not finish the sign-in. Please start again.');
    expect(res.json.step).to.equal(undefined); // the login is over
    await expectPrompt(client);
    // Nothing more reaches the upstream afterwards, and a new login works.
    await sleep(100);
    expect(f.sim.requests.length).to.equal(before + 8);
    f.sim.switches.newPackageLoop = false;
    await client.startWithPassword('alice');
    expect(client.last!.json.step.kind).to.equal('done');
    expect(f.app.serverErrors).to.deep.equal([]);
  });

  it('maxUpstreamCallsPerRequest sets the budget', async () => {
    const app = await f.startApp({ strategy: { maxUpstreamCallsPerRequest: 3 } });
    try {
      const client = new LoginClient(app.url);
      await client.start('carol');
      f.sim.switches.newPackageLoop = true;
      const before = f.sim.requests.length;
      const res = await client.answer('carol-pw');
      expect(calls(f.sim).slice(before)).to.deep.equal(['AdvanceAuthentication', 'AdvanceAuthentication', 'CleanupAuthentication']);
      expect(res.json.error.code).to.equal('UPSTREAM_LOOP');
    } finally {
      await app.close();
    }
  });

  it('the option is checked', async () => {
    for (const bad of [1, 0, 2.5, '8', -1]) {
      let thrown: unknown;
      try {
        const app = await f.startApp({ strategy: { maxUpstreamCallsPerRequest: bad as number } });
        await app.close();
      } catch (error) {
        thrown = error;
      }
      expect(String(thrown), String(bad)).to.include('maxUpstreamCallsPerRequest');
    }
  });

  it('HTML: the loop ends the login with its code, and the session answers at once', async () => {
    const browser = new Browser(f.app.url, 'html');
    const client = new LoginClient(f.app.url, browser);
    client.csrf = (await new Browser(f.app.url, 'json').get('/login/csrf')).json.csrfToken; // fresh session below
    const page = await browser.get('/login/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? JSON.parse(/<script id="locals" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]!).csrfToken;
    const started = await browser.post('/login/start', { username: 'carol', _csrf: csrf });
    expect(started.status).to.be.oneOf([200, 303]);
    const stepPage = started.location ? await browser.get(started.location) : started;
    const locals = JSON.parse(/<script id="locals" type="application\/json">(.*?)<\/script>/s.exec(stepPage.text)![1]!);
    f.sim.switches.newPackageLoop = true;
    const before = f.sim.requests.length;
    const res = await browser.post('/login/answer', {
      tx: locals.transactionId, sequence: locals.step.sequence, mechanism: locals.step.mechanisms[0].id, answer: 'carol-pw', _csrf: csrf,
    });
    expect(f.sim.requests.length - before).to.be.at.most(8);
    // Back to the start page with the code (a 303), or an error page with the 502.
    const shown = res.location ? await browser.get(res.location) : res;
    if (!res.location) expect(res.status).to.equal(502);
    expect(shown.text).to.include('UPSTREAM_LOOP');
    const { ms } = await timed(() => browser.get('/login/'));
    expect(ms).to.be.below(1000);
  });

  it('a browser that goes away mid-loop: no upstream call after it has gone, and the session answers at once', async () => {
    const client = f.client();
    await client.start('carol');
    f.sim.switches.newPackageLoop = true;
    f.sim.switches.latencyMs = 150;
    const before = f.sim.requests.length;
    await postAndLeave(client, 'answer', { mechanism: client.step!.mechanisms[0]!.id, answer: 'carol-pw' }, 220); // during the 2nd call
    await sleep(30); // the app hears of it (loopback: at once)
    const atLeave = f.sim.requests.length;
    expect(atLeave - before).to.be.within(1, 3);
    await sleep(600); // several latencies: a loop that went on would show
    expect(f.sim.requests.length).to.equal(atLeave);
    f.sim.switches.latencyMs = 0;
    await expectPrompt(client);
    f.sim.switches.newPackageLoop = false;
    const { ms } = await timed(() => client.startWithPassword('alice'));
    expect(ms).to.be.below(1000);
    expect(client.last!.json.step.kind).to.equal('done');
    expect(f.app.serverErrors).to.deep.equal([]);
  });

  it('a browser that goes away during a slow call: the call is aborted, nothing follows, the session answers at once', async () => {
    const client = f.client();
    await client.start('carol');
    f.sim.switches.latencyMs = 5_000; // longer than the test would wait for the session
    const before = f.sim.requests.length;
    await postAndLeave(client, 'answer', { mechanism: client.step!.mechanisms[0]!.id, answer: 'carol-pw' }, 100);
    f.sim.switches.latencyMs = 0;
    await expectPrompt(client);
    // The login is still there (the upstream's answer never came): its step page answers at once too.
    const { value, ms } = await timed(() => client.browser.get(`/login/step?tx=${encodeURIComponent(client.tx)}`));
    expect(value.status).to.be.below(500);
    expect(ms).to.be.below(1000);
    await sleep(200);
    expect(calls(f.sim).slice(before)).to.deep.equal(['AdvanceAuthentication']);
    expect(f.app.serverErrors).to.deep.equal([]);
  });
});

describe('upstream loops, IDCS: nextOp [createToken] without an authnToken …', () => {
  describe('with the provider\'s own chain limit out of the way', () => {
    const f = useIdcsFixture({ provider: { maxChainedCalls: 100 } });

    it('one request makes at most 8 calls, answers 502 UPSTREAM_LOOP, and the session answers at once', async () => {
      const client = f.client();
      await client.start('ann');
      f.sim.switches.createTokenLoop = true;
      const before = f.sim.requests.length;
      const res = await client.answer('ann-pw');
      const made = f.sim.requests.length - before;
      expect(made).to.be.at.most(8);
      expect(made).to.be.at.least(7); // the budget, not something else, ended it (IDCS has no cleanup call)
      expect(ops(f.sim).slice(-6)).to.deep.equal(Array(6).fill('createToken'));
      expect(res.status).to.equal(502);
      expect(res.json.error.code).to.equal('UPSTREAM_LOOP');
      expect(res.json.step).to.equal(undefined);
      await expectPrompt(client);
      await sleep(100);
      expect(f.sim.requests.length).to.equal(before + made);
      f.sim.switches.createTokenLoop = false;
      await client.startWithPassword('ann');
      expect(client.last!.json.step.kind).to.equal('done');
      expect(f.app.serverErrors).to.deep.equal([]);
    });

    it('a browser that goes away mid-loop: no upstream call after it has gone, and the session answers at once', async () => {
      const client = f.client();
      await client.start('ann');
      f.sim.switches.createTokenLoop = true;
      f.sim.switches.latencyMs = 150;
      const before = f.sim.requests.length;
      await postAndLeave(client, 'answer', { mechanism: client.step!.mechanisms[0]!.id, answer: 'ann-pw' }, 220);
      await sleep(30);
      const atLeave = f.sim.requests.length;
      expect(atLeave - before).to.be.within(1, 3);
      await sleep(600);
      expect(f.sim.requests.length).to.equal(atLeave);
      f.sim.switches.latencyMs = 0;
      await expectPrompt(client);
      f.sim.switches.createTokenLoop = false;
      const { ms } = await timed(() => client.startWithPassword('ann'));
      expect(ms).to.be.below(1000);
      expect(client.last!.json.step.kind).to.equal('done');
      expect(f.app.serverErrors).to.deep.equal([]);
    });
  });

  describe('with the defaults', () => {
    const f = useIdcsFixture();

    it('the provider\'s chain limit or the budget ends it within 8 calls, with a 502', async () => {
      const client = f.client();
      await client.start('ann');
      f.sim.switches.createTokenLoop = true;
      const before = f.sim.requests.length;
      const res = await client.answer('ann-pw');
      expect(f.sim.requests.length - before).to.be.at.most(8);
      expect(res.status).to.equal(502);
      expect(res.json.error.code).to.be.oneOf(['UPSTREAM_LOOP', 'UPSTREAM_BAD_RESPONSE']);
      await expectPrompt(client);
    });
  });
});
