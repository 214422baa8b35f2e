/**
 * Replay: factors chosen from getBackupFactors are answered with `authFactor` and the
 * `deviceId` Oracle listed for them (Oracle: "... When It Isn't the Default Method" flows).
 */
import { expect } from 'chai';
import { exampleBody, type JsonObject } from './oracle-examples.js';
import { afterPassword, expectError, expectLoggedIn, expectShown, get, mechanism, post, showing, useConformance, type Conformance } from './harness.js';

function device(fixture: string, factor: string): { deviceId: string; displayName: string } {
  return ((exampleBody(fixture)[factor] as JsonObject).enrolledDevices as Array<{ deviceId: string; displayName: string }>)[0]!;
}

const totp = device('backup-factors', 'TOTP'); // 784b08bc…, "Joe's Phone"
const sms = device('backup-factors', 'SMS'); // 400170a6…, "Joe's iPhone"
const push = device('backup-factors-with-push', 'PUSH'); // 1c853ca5…, "Joe's iPhone"

async function toBackupList(f: Conformance) {
  const client = f.client();
  await client.start('admin@oracle.com');
  await client.answer('pw');
  await client.act('alternatives');
  expect(client.step!.kind).to.equal('select');
  return client;
}

const preamble = (backups = 'backup-factors') => [
  ...afterPassword('password-then-email'),
  post(backups, { op: 'getBackupFactors' }),
];

describe('IDCS conformance: backup factors are answered with the deviceId Oracle listed', () => {
  const f = useConformance();

  it('TOTP: no extra call to choose it; the code goes with authFactor TOTP and its deviceId', async () => {
    f.up.script(...preamble(), post('totp-device-success', {
      op: 'credSubmit', authFactor: 'TOTP', credentials: ['deviceId', 'otpCode'],
      check: (body) => expect(body.credentials).to.deep.equal({ deviceId: totp.deviceId, otpCode: '336975' }),
    }));
    const client = await toBackupList(f);
    await client.act('select', { mechanism: mechanism(client.step, showing(totp.displayName), 'TOTP device').id });
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp', device: totp.displayName });
    await expectLoggedIn(f, client, await client.answer('336975'));
  });

  it('TOTP, wrong code first: the failure lists several factors, the retry still goes to the chosen device', async () => {
    const retry = { op: 'credSubmit', authFactor: 'TOTP', credentials: ['deviceId', 'otpCode'] };
    f.up.script(
      ...preamble(),
      post('totp-wrong-code', { ...retry, check: (body) => expect((body.credentials as JsonObject).deviceId).to.equal(totp.deviceId) }),
      post('totp-device-success', { ...retry, requestState: 'issued', check: (body) => expect(body.credentials).to.deep.equal({ deviceId: totp.deviceId, otpCode: '123456' }) }),
    );
    const client = await toBackupList(f);
    await client.act('select', { mechanism: mechanism(client.step, showing(totp.displayName), 'TOTP device').id });
    const wrong = await client.answer('000000');
    expectError(wrong, 'WRONG_ANSWER');
    expect(wrong.json.error.details.upstreamCode).to.equal('AUTH-1105');
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });
    await expectLoggedIn(f, client, await client.answer('123456'));
  });

  it('SMS: choosing the device sends its deviceId (the code goes out); the answer sends deviceId + otpCode', async () => {
    f.up.script(
      ...preamble(),
      post('device-choice-sms', { op: 'credSubmit', authFactor: 'SMS', credentials: ['deviceId'], check: (body) => expect(body.credentials).to.deep.equal({ deviceId: sms.deviceId }) }),
      post('sms-success', { op: 'credSubmit', authFactor: 'SMS', credentials: ['deviceId', 'otpCode'], check: (body) => expect(body.credentials).to.deep.equal({ deviceId: sms.deviceId, otpCode: '336975' }) }),
    );
    const client = await toBackupList(f);
    await client.act('select', { mechanism: mechanism(client.step, (m) => showing(sms.displayName)(m) && m.type === 'otp', 'SMS device').id });
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp', resendable: true });
    expectShown(client.step!.mechanisms[0]!, exampleBody('device-choice-sms').displayName as string);
    await expectLoggedIn(f, client, await client.answer('336975'));
  });

  it('PUSH: choosing the device sends its deviceId and starts the push (pending AUTH-1108 without nextAuthFactors)', async () => {
    f.up.script(
      ...preamble('backup-factors-with-push'),
      post('device-choice-push-pending', { op: 'credSubmit', authFactor: 'PUSH', credentials: ['deviceId'], check: (body) => expect(body.credentials).to.deep.equal({ deviceId: push.deviceId }) }),
      post('push-device-success', { op: 'credSubmit' }),
    );
    const client = await toBackupList(f);
    await client.act('select', { mechanism: mechanism(client.step, (m) => m.type === 'push', 'PUSH device').id });
    expect(client.step!.kind).to.equal('pending');
    const [pending] = client.step!.mechanisms;
    expect(pending!.type).to.equal('push');
    // Oracle's example names the device differently in the list ("Joe's iPhone") and in the
    // pending answer ("Susan's iPhone"); either is the device, neither is the person.
    expect(pending!.device).to.be.oneOf([push.displayName, exampleBody('device-choice-push-pending').displayName]);
    await expectLoggedIn(f, client, await client.poll());
  });

  it('bypass code: authFactor BYPASSCODE with credentials.bypassCode', async () => {
    f.up.script(...preamble('backup-factors-totp-bypass'), post('bypass-success', {
      op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: ['bypassCode'],
      check: (body) => expect(body.credentials).to.deep.equal({ bypassCode: '717656357022' }),
    }));
    const client = await toBackupList(f);
    const bypass = mechanism(client.step, (m) => /bypass/i.test(`${m.id} ${m.label}`), 'bypass code');
    await client.act('select', { mechanism: bypass.id });
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });
    await expectLoggedIn(f, client, await client.answer('717656357022'));
  });
});
