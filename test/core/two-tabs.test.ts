import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';

describe('two tabs logging in at once', () => {
  const f = useFixture();

  it('keeps one transaction per tab in the same session without overwriting', async () => {
    const tabA = f.client();
    const tabB = new LoginClient(f.app.url, tabA.browser); // same cookie jar = same session
    await tabA.start('carol');
    await tabB.start('bob');
    expect(tabA.tx).to.not.equal(tabB.tx);
    await tabA.answer('carol-pw');
    await tabB.answer('bob-pw');
    const a = await tabA.browser.get(`/login/step?tx=${tabA.tx}`);
    const b = await tabB.browser.get(`/login/step?tx=${tabB.tx}`);
    expect(a.json.username).to.equal('carol');
    expect(a.json.step.mechanisms[0].type).to.equal('push');
    expect(b.json.username).to.equal('bob');
    expect(b.json.step.mechanisms[0].type).to.equal('otp');
    await tabB.answer(f.sim.lastCode('bob'));
    expect((await tabB.me()).user.username).to.equal('bob');
  });

  it('another browser cannot use a transaction id (it lives in the owner session only)', async () => {
    const owner = f.client();
    await owner.start('alice');
    const other = f.client();
    await other.start('bob');
    const res = await other.browser.post('/login/answer', { tx: owner.tx, sequence: 1, mechanism: 'c1m1', answer: 'alice-pw', _csrf: other.csrf });
    expect(res.status).to.equal(404);
    expect(res.json.error.code).to.equal('TRANSACTION_NOT_FOUND');
  });
});
