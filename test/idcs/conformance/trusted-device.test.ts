/**
 * Replay: trusted devices. Oracle offers them with `trustedDeviceSettings.trustDurationInDays`;
 * the factor answer then carries `trustedDevice: true` and a `trustedDeviceDisplayName`
 * ("Chrome on Windows" in Oracle's examples), and the success carries a `trustToken`.
 * (Sending a kept trustToken on a later login is not documented, so it is not tested here; nor is a
 * push with trust: the poll route takes no "remember this device" answer.)
 */
import { expect } from 'chai';
import { expectLoggedIn, get, post, useConformance } from './harness.js';

describe('IDCS conformance: trusted device', () => {
  const f = useConformance();
  const password = () => post('password-then-sms', { op: 'credSubmit', credentials: ['username', 'password'] });

  it('offers "remember this device" for 15 days; ticked, the answer asks IDCS to trust the device and the trustToken is kept in a cookie', async () => {
    f.up.script(get('start-password'), password(), post('sms-success-trusted', { op: 'credSubmit', authFactor: 'SMS', credentials: ['otpCode'], trustedDevice: true }));
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    expect(client.step!.rememberDevice).to.deep.equal({ days: 15 });
    const done = await client.act('answer', { mechanism: client.step!.mechanisms[0]!.id, answer: '452916', rememberDevice: 'on' });
    await expectLoggedIn(f, client, done);
    const cookie = (await client.browser.jar.getCookies(f.app.url)).find((c) => c.key === 'pm_device');
    expect(cookie, 'remembered-device cookie').to.exist;
    expect(cookie!.httpOnly).to.equal(true);
    const trustToken = (f.up.calls('authenticate').at(-1)!.response as { trustToken: string }).trustToken;
    expect(cookie!.value).to.not.include(trustToken);
  });

  it('not ticked: no trustedDevice in the answer and no cookie', async () => {
    f.up.script(get('start-password'), password(), post('sms-success', { op: 'credSubmit', authFactor: 'SMS', credentials: ['otpCode'], trustedDevice: false }));
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    await expectLoggedIn(f, client, await client.answer('452916'));
    expect((await client.browser.jar.getCookies(f.app.url)).find((c) => c.key === 'pm_device')).to.equal(undefined);
  });

  it('no trustedDeviceSettings (trust disabled for the tenant), or 0 days (MFA every time): nothing to remember', async () => {
    for (const patch of [(b: Record<string, unknown>) => { delete b.trustedDeviceSettings; }, (b: Record<string, unknown>) => { b.trustedDeviceSettings = { trustDurationInDays: 0 }; }]) {
      f.up.reset();
      f.up.script(get('start-password'), post('password-then-sms', { op: 'credSubmit', credentials: ['username', 'password'] }, { patch }), post('sms-success', { op: 'credSubmit', trustedDevice: false }));
      const client = f.client();
      await client.start('admin@oracle.com');
      await client.answer('pw');
      expect(client.step!.rememberDevice).to.equal(undefined);
      await expectLoggedIn(f, client, await client.act('answer', { mechanism: client.step!.mechanisms[0]!.id, answer: '452916', rememberDevice: 'on' }));
    }
  });
});
