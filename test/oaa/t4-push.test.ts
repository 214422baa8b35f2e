import { expect } from 'chai';
import { sleep } from '../support/sim-fixture.js';
import { useOaaFixture } from '../support/oaa-fixture.js';

describe('OAA T4: push with polling', () => {
  const f = useOaaFixture();

  it('Init sends the push; Validate polls with the newest nonce until approved', async () => {
    const client = f.client();
    await client.startWithPassword('rosa');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({
      type: 'push', label: "Notification to Rosa's iPhone", device: "Rosa's iPhone", upstreamPrompt: 'Approve the request on your device',
    });
    await sleep(25);
    expect((await client.act('poll')).json.step.kind).to.equal('pending');
    f.sim.approvePush('rosa');
    await sleep(25);
    expect((await client.act('poll')).json.step.kind).to.equal('done');
    const puts = f.sim.requests.filter((r) => r.method === 'PUT').map((r) => (r.body as { nonce?: string }).nonce);
    expect(new Set(puts.filter(Boolean)).size).to.equal(puts.filter(Boolean).length); // a fresh nonce every time
  });

  it('a denied push ends the login with OOB_DENIED', async () => {
    const client = f.client();
    await client.startWithPassword('rosa');
    f.sim.denyPush('rosa');
    await sleep(25);
    const res = await client.act('poll');
    expect(res.json.error.code).to.equal('OOB_DENIED');
  });

  it('an unanswered push past the cap is Finalized as user_timedout', async () => {
    const app = await f.startApp({ strategy: { oobTimeoutMs: 40 } });
    try {
      const { LoginClient } = await import('../support/login-client.js');
      const client = new LoginClient(app.url);
      await client.startWithPassword('rosa');
      await sleep(60);
      const res = await client.act('poll');
      expect(res.json.error.code).to.equal('OOB_TIMEOUT');
      expect(f.sim.lastFinalize('rosa')).to.deep.include({ reason: 'user_timedout' });
    } finally {
      await app.close();
    }
  });
});
