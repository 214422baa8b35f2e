/** Replay: terms of use declined (Oracle: 401 AUTH-3035, no nextOp, no requestState). */
import { expect } from 'chai';
import { afterPassword, expectError, get, post, useConformance } from './harness.js';

describe('IDCS conformance: terms of use declined', () => {
  const f = useConformance();

  it('sends acceptTOU with consent: false; AUTH-3035 is TERMS_DECLINED and ends the login', async () => {
    f.up.script(
      ...afterPassword('tou-prompt'),
      post('tou-declined', { op: 'acceptTOU', credentials: ['consent'], check: (body) => expect(body.credentials).to.deep.equal({ consent: false }) }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    expect(client.step!.mechanisms[0]).to.include({ type: 'consent' });
    const declined = await client.answer('decline');
    expectError(declined, 'TERMS_DECLINED');
    expect(declined.json.error.details.upstreamCode).to.equal('AUTH-3035');
    expect((await client.browser.get(`/login/step?tx=${client.tx}`)).status).to.equal(404);
    f.up.verify();
  });
});
