import { expect } from 'chai';
import { calls, useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';

describe('CyberArk T3: password then mobile push with polling', () => {
  const f = useFixture();

  it('polls while pending and logs in once the push is approved', async () => {
    const client = f.client();
    await client.startWithPassword('carol');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({ type: 'push', acceptsCode: true });
    expect(client.step!.pollAfterMs).to.be.a('number').above(0);

    const first = await client.act('poll');
    expect(first.status).to.equal(200);
    expect(first.json.step.kind).to.equal('pending');
    expect(f.sim.approvePush('carol')).to.equal(true);
    await new Promise((r) => setTimeout(r, 25));
    const done = await client.act('poll');
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('carol');
    expect(calls(f.sim).filter((c) => c === 'AdvanceAuthentication').length).to.equal(3);
  });

  it('shows the number to match when the upstream sends GeneratedAuthValue', async () => {
    f.sim.switches.generatedAuthValue = true;
    const client = f.client();
    await client.startWithPassword('carol');
    expect(client.step!.matchNumber).to.match(/^\d+$/);
  });

  it('throttles pages that poll faster than half the interval (no extra upstream call)', async () => {
    // An interval long enough that "immediately again" stays inside half of it on a loaded machine.
    const app = await f.startApp({ strategy: { pollIntervalMs: 4_000 } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('carol');
      await client.act('poll');
      const before = f.sim.requests.length;
      await client.act('poll'); // immediately again
      expect(f.sim.requests.length).to.equal(before);
      expect(client.step!.kind).to.equal('pending');
    } finally {
      await app.close();
    }
  });

  it('a denied push ends the login with a clear failure', async () => {
    const client = f.client();
    await client.startWithPassword('carol');
    f.sim.denyPush('carol');
    await new Promise((r) => setTimeout(r, 25));
    const denied = await client.act('poll');
    expect(denied.status).to.equal(401);
    expect(denied.json.error.code).to.equal('AUTH_FAILED');
    expect((await client.browser.get(`/login/step?tx=${client.tx}`)).status).to.equal(404);
  });

  it('gives up after the out-of-band cap with OOB_TIMEOUT', async () => {
    const { startApp } = await import('../support/app.js');
    const { LoginClient } = await import('../support/login-client.js');
    const app = await startApp({ upstreamUrl: f.sim.url, strategy: { pollIntervalMs: 10, oobTimeoutMs: 50 } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('carol');
      await new Promise((r) => setTimeout(r, 80));
      const res = await client.act('poll');
      expect(res.status).to.equal(410);
      expect(res.json.error.code).to.equal('OOB_TIMEOUT');
      expect(calls(f.sim)).to.include('CleanupAuthentication');
    } finally {
      await app.close();
    }
  });
});
