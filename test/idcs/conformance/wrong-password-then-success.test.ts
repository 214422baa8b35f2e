/**
 * Replay: a wrong password, then the right one, in the same login.
 * Oracle answers 401 AUTH-3001 without nextOp; Oracle's sample client (loginApp.js /
 * idcsAuthnSDK.js) shows the message and keeps the requestState the failed call used.
 */
import { expect } from 'chai';
import { afterPassword, expectError, expectLoggedIn, get, post, useConformance } from './harness.js';

describe('IDCS conformance: wrong password, then the right one', () => {
  const f = useConformance();

  it('AUTH-3001 without nextOp: AUTH_FAILED, the password can be typed again, and the retry reuses the failed call\'s requestState', async () => {
    f.up.script(
      ...afterPassword('password-wrong'),
      post('password-success', {
        op: 'credSubmit', credentials: ['username', 'password'], requestState: 'reused',
        check: (body) => expect((body.credentials as { password: string }).password).to.equal('right-pw'),
      }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    const wrong = await client.answer('wrong-pw');
    expectError(wrong, 'AUTH_FAILED');
    expect(wrong.json.error.details.upstreamCode).to.equal('AUTH-3001');
    expect(wrong.json.step, 'the login goes on').to.exist;
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'password' });
    await expectLoggedIn(f, client, await client.answer('right-pw'));
  });

  it('the account-recovery variant (AUTH-3001 with nextOp and a requestState): the retry uses that fresh requestState', async () => {
    f.up.script(
      ...afterPassword('password-wrong-account-recovery'),
      post('password-success', { op: 'credSubmit', credentials: ['username', 'password'], requestState: 'issued' }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    const wrong = await client.answer('wrong-pw');
    expectError(wrong, 'AUTH_FAILED');
    expect(client.step!.mechanisms[0]).to.include({ type: 'password' });
    await expectLoggedIn(f, client, await client.answer('right-pw'));
  });
});
