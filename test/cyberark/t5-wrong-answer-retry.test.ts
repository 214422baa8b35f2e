import { expect } from 'chai';
import { calls, useFixture } from '../support/fixture.js';

describe('CyberArk T5: wrong password, then retry', () => {
  const f = useFixture();

  it('fails with AUTH_FAILED, drops the dead upstream session, and a new attempt succeeds', async () => {
    const client = f.client();
    await client.start('alice');
    const failed = await client.answer('wrong');
    expect(failed.status).to.equal(401);
    expect(failed.json.error.code).to.equal('AUTH_FAILED');
    expect(failed.json.error.details.upstreamErrorId).to.match(/:/);
    expect(failed.json.step).to.equal(undefined);
    const stale = await client.browser.get(`/login/step?tx=${client.tx}`);
    expect(stale.status).to.equal(404);
    expect(stale.json.error.code).to.equal('TRANSACTION_NOT_FOUND');

    await client.start('alice');
    const done = await client.answer('alice-pw');
    expect(done.json.step.kind).to.equal('done');
    expect(calls(f.sim).filter((c) => c === 'StartAuthentication')).to.have.length(2);
  });

  it('T5b hide-failure policy: the failure shows only after the last challenge', async () => {
    f.sim.switches.hideFailures = true;
    const client = f.client();
    await client.start('bob');
    await client.answer('wrong');
    expect(client.step!.kind).to.equal('answer'); // the SMS is still sent
    const failed = await client.answer(f.sim.lastCode('bob'));
    expect(failed.status).to.equal(401);
    expect(failed.json.error.code).to.equal('AUTH_FAILED');
  });

  it('a soft lockout (RetryWaitingTime) asks the user to wait, with Retry-After', async () => {
    f.sim.switches.lockoutAfterFailures = 2;
    const client = f.client();
    for (let i = 0; i < 2; i++) {
      await client.start('alice');
      await client.answer('wrong');
    }
    await client.start('alice');
    const locked = await client.answer('alice-pw');
    // CyberArk also sends RetryWaitingTime in ordinary packages, so it is not proof of a lockout.
    expect(locked.status).to.equal(401);
    expect(locked.json.error.code).to.equal('AUTH_FAILED');
    expect(locked.json.error.message).to.match(/wait 30 seconds/i);
    expect(locked.json.error.details.retryAfterSeconds).to.equal(30);
    expect(locked.headers['retry-after']).to.equal('30');
  });
});
