import { expect } from 'chai';
import { startApp } from '../support/app.js';
import { sleep, useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';

describe('CyberArk T8: expired login', () => {
  const f = useFixture();

  it('an upstream session that expired gives AUTH_FAILED and the user can start again', async () => {
    const client = f.client();
    await client.start('alice');
    f.sim.expireSessions();
    const res = await client.answer('alice-pw');
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('AUTH_FAILED');
    await client.start('alice');
    expect((await client.answer('alice-pw')).json.step.kind).to.equal('done');
  });

  it('a transaction older than its TTL is refused locally with TRANSACTION_EXPIRED (410)', async () => {
    const app = await startApp({ upstreamUrl: f.sim.url, strategy: { transactionTtlMs: 60 } });
    try {
      const client = new LoginClient(app.url);
      await client.start('alice');
      await sleep(90);
      const before = f.sim.requests.length;
      const res = await client.answer('alice-pw');
      expect(res.status).to.equal(410);
      expect(res.json.error.code).to.equal('TRANSACTION_EXPIRED');
      expect(f.sim.requests.length).to.equal(before);
    } finally {
      await app.close();
    }
  });
});
