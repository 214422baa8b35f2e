/**
 * Replay: SMS as the preferred factor (Oracle: "Authentication With SMS Set as the Default
 * Method"): the code is already sent after the password; a wrong code is 401 AUTH-1105 with
 * the factor, nextOp and a fresh requestState; the right code gives the authnToken.
 */
import { expect } from 'chai';
import { exampleBody } from './oracle-examples.js';
import { afterPassword, expectError, expectLoggedIn, expectShown, get, post, useConformance } from './harness.js';

describe('IDCS conformance: SMS code, wrong then right', () => {
  const f = useConformance();

  it('shows the SMS code form, keeps the login after AUTH-1105 (WRONG_ANSWER) and sends the retry with the failure\'s requestState', async () => {
    f.up.script(
      ...afterPassword('password-then-sms'),
      post('sms-wrong-code', {
        op: 'credSubmit', authFactor: 'SMS', credentials: ['otpCode'],
        check: (body) => expect(body.credentials).to.deep.equal({ otpCode: '000111' }),
      }),
      post('sms-success', {
        op: 'credSubmit', authFactor: 'SMS', credentials: ['otpCode'], requestState: 'issued',
        check: (body) => expect(body.credentials).to.deep.equal({ otpCode: '108685' }),
      }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    expect(client.step!.kind).to.equal('answer');
    const [sms] = client.step!.mechanisms;
    expect(sms).to.include({ type: 'otp', resendable: true });
    expectShown(sms!, exampleBody('password-then-sms').displayName as string);
    expect(client.step!.alternatives, 'getBackupFactors is offered').to.equal(true);

    const wrong = await client.answer('000111');
    expectError(wrong, 'WRONG_ANSWER');
    expect(wrong.json.error.details.upstreamCode).to.equal('AUTH-1105');
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });

    await expectLoggedIn(f, client, await client.answer('108685'));
  });
});
