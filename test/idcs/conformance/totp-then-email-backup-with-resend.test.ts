/**
 * Replay: TOTP is preferred; the user picks the e-mail device from getBackupFactors
 * (Oracle: "Authentication Using Email When It Isn't the Default Method"), asks for the code
 * again (resendCode) and logs in with the code and the deviceId Oracle listed.
 */
import { expect } from 'chai';
import { exampleBody, type JsonObject } from './oracle-examples.js';
import { afterPassword, expectLoggedIn, expectShown, get, mechanism, post, showing, useConformance } from './harness.js';

const emailDevice = ((exampleBody('backup-factors').EMAIL as JsonObject).enrolledDevices as JsonObject[])[0]!;

describe('IDCS conformance: TOTP preferred, e-mail from the backup factors, with a resend', () => {
  const f = useConformance();

  it('lists the backup devices, sends the chosen deviceId, resends, and answers with deviceId + otpCode', async () => {
    f.up.script(
      ...afterPassword('password-then-totp'),
      post('backup-factors', { op: 'getBackupFactors' }),
      post('device-choice-email', {
        op: 'credSubmit', authFactor: 'EMAIL', credentials: ['deviceId'],
        check: (body) => expect(body.credentials).to.deep.equal({ deviceId: emailDevice.deviceId }),
      }),
      post('email-resend', { op: 'resendCode' }),
      post('email-device-success', {
        op: 'credSubmit', authFactor: 'EMAIL', credentials: ['deviceId', 'otpCode'],
        check: (body) => expect(body.credentials).to.deep.equal({ deviceId: emailDevice.deviceId, otpCode: '411119' }),
      }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    const [totp] = client.step!.mechanisms;
    expect(totp).to.include({ type: 'otp', device: "Susan's iPhone" });
    expect(client.step!.alternatives).to.equal(true);

    const listed = await client.act('alternatives');
    expect(listed.status).to.equal(200);
    expect(client.step!.kind).to.equal('select');
    for (const shown of ["Joe's Phone", "Joe's iPhone", 'joeXXXXXXXXX@example.com']) mechanism(client.step, showing(shown), shown);
    expect(client.step!.mechanisms.map((m) => m.type)).to.include('question');

    const email = mechanism(client.step, showing(emailDevice.displayName as string), 'e-mail');
    await client.act('select', { mechanism: email.id });
    expect(client.step!.kind).to.equal('answer');
    const [code] = client.step!.mechanisms;
    expect(code).to.include({ type: 'otp', resendable: true });
    expectShown(code!, 'joeXXXXXXXXX@example.com');

    const resent = await client.act('resend');
    expect(resent.status).to.equal(200);
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });

    await expectLoggedIn(f, client, await client.answer('411119'));
  });
});
