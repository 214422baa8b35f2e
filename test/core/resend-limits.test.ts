import { expect } from 'chai';
import { startApp } from '../support/app.js';
import { calls, useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';

describe('resend is throttled (toll fraud and spam)', () => {
  const f = useFixture();

  it('refuses a resend inside the cooldown, with Retry-After, without calling upstream', async () => {
    const app = await startApp({ upstreamUrl: f.sim.url, strategy: { resendCooldownMs: 30_000 } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('bob');
      const before = calls(f.sim).length;
      const res = await client.act('resend');
      expect(res.status).to.equal(429);
      expect(res.json.error.code).to.equal('RATE_LIMITED');
      expect(res.json.error.message).to.match(/wait \d+ seconds/i);
      expect(Number(res.headers['retry-after'])).to.be.within(1, 30);
      expect(calls(f.sim).length).to.equal(before);
    } finally {
      await app.close();
    }
  });

  it('allows at most maxResends per login', async () => {
    const app = await startApp({ upstreamUrl: f.sim.url, strategy: { resendCooldownMs: 0, maxResends: 2 } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('bob');
      expect((await client.act('resend')).status).to.equal(200);
      expect((await client.act('resend')).status).to.equal(200);
      const third = await client.act('resend');
      expect(third.status).to.equal(429);
      expect(third.json.error.message).to.match(/no more codes/i);
      expect((await client.answer(f.sim.lastCode('bob'))).json.step.kind).to.equal('done');
    } finally {
      await app.close();
    }
  });
});
