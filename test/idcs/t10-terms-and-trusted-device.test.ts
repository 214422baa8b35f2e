import { expect } from 'chai';
import { LoginClient } from '../support/login-client.js';
import { ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS: terms of use and trusted devices', () => {
  const f = useIdcsFixture();

  it('shows the terms of use and continues once accepted', async () => {
    const client = f.client();
    await client.startWithPassword('ida');
    expect(client.step!.mechanisms[0]).to.include({ type: 'consent' });
    expect(client.step!.mechanisms[0]!.prompt.length).to.be.above(5);
    expect((await client.answer('accept')).json.step.kind).to.equal('done');
    expect(ops(f.sim)).to.include('acceptTOU');
  });

  it('declining the terms cancels the login', async () => {
    const client = f.client();
    await client.startWithPassword('ida');
    const res = await client.answer('decline');
    expect(res.json.error.code).to.equal('CANCELLED');
  });

  it('"remember this device": trustToken kept in an encrypted cookie, next login skips MFA', async () => {
    const client = f.client();
    await client.startWithPassword('lea');
    expect(client.step!.rememberDevice?.days).to.be.a('number');
    const sms = client.step!.mechanisms.find((m) => m.id.startsWith('sms'))!;
    await client.act('select', { mechanism: sms.id });
    const done = await client.act('answer', { mechanism: client.step!.mechanisms[0]!.id, answer: f.sim.lastCode('lea', 'SMS'), rememberDevice: 'on' });
    expect(done.json.step.kind).to.equal('done');
    const last = f.sim.requests.at(-1)!.body as { trustedDevice?: boolean };
    expect(last.trustedDevice).to.equal(true);
    const cookies = await client.browser.jar.getCookies(f.app.url);
    const device = cookies.find((c) => c.key === 'pm_device')!;
    expect(device.httpOnly).to.equal(true);
    expect(device.value).to.match(/^v1\./);

    // Same browser, new login: the password is enough.
    await client.browser.post('/login/logout', { _csrf: done.json.csrfToken });
    const again = new LoginClient(f.app.url, client.browser);
    await again.start('lea');
    expect((await again.answer('lea-pw')).json.step.kind).to.equal('done');
    const firstCred = f.sim.requests.filter((r) => (r.body as { op?: string } | undefined)?.op === 'credSubmit').at(-1)!.body as { trustToken?: string };
    expect(firstCred.trustToken).to.be.a('string');
    expect(device.value).to.not.include(firstCred.trustToken!);

    // Another browser still needs MFA.
    const other = f.client();
    await other.startWithPassword('lea');
    expect(other.step!.kind).to.equal('select');
  });

  it('without the checkbox, nothing is remembered', async () => {
    const client = f.client();
    await client.startWithPassword('lea');
    const sms = client.step!.mechanisms.find((m) => m.id.startsWith('sms'))!;
    await client.act('select', { mechanism: sms.id });
    await client.answer(f.sim.lastCode('lea', 'SMS'));
    const cookies = await client.browser.jar.getCookies(f.app.url);
    expect(cookies.find((c) => c.key === 'pm_device')).to.equal(undefined);
  });
});
