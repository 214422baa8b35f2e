/**
 * Replay: the other documented failures after the password: an expired password
 * (catalogue AUTH-3004, unverified body), an invalid/expired requestState (Oracle's AUTH-1120
 * examples; AUTH-1117 from the catalogue).
 */
import { expect } from 'chai';
import { expectError, get, post, useConformance } from './harness.js';

describe('IDCS conformance: expired password, expired requestState', () => {
  const f = useConformance();

  async function passwordAnsweredWith(fixture: string) {
    f.up.script(get('start-password'), post(fixture, { op: 'credSubmit', credentials: ['username', 'password'] }));
    const client = f.client();
    await client.start('admin@oracle.com');
    return { client, res: await client.answer('pw') };
  }

  it('AUTH-3004 is PASSWORD_EXPIRED', async () => {
    const { res } = await passwordAnsweredWith('password-expired');
    expectError(res, 'PASSWORD_EXPIRED');
    expect(res.json.error.details.upstreamCode).to.equal('AUTH-3004');
    f.up.verify();
  });

  for (const fixture of ['request-state-invalid', 'request-state-invalid-ecid', 'request-state-expired']) {
    it(`${fixture} is TRANSACTION_EXPIRED: start again`, async () => {
      const { client, res } = await passwordAnsweredWith(fixture);
      expectError(res, 'TRANSACTION_EXPIRED');
      expect((await client.browser.get(`/login/step?tx=${client.tx}`)).status).to.equal(404);
      f.up.verify();
    });
  }
});
