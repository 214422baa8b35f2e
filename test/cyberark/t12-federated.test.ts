import { expect } from 'chai';
import { startApp, type TestApp } from '../support/app.js';
import { calls, sleep, useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';

describe('CyberArk T12: federated users (sign in at their own IdP)', () => {
  const f = useFixture();
  let federatedApp: TestApp;
  before(async () => {
    federatedApp = await startApp({ upstreamUrl: f.sim.url, provider: { federatedLogin: true, allowFederatedWithoutPin: true }, strategy: { pollIntervalMs: 20 } });
  });
  after(async () => { await federatedApp.close(); });

  it('with a PIN: shows the sign-in link, takes the PIN, and reads the user from WhoAmI', async () => {
    const client = new LoginClient(federatedApp.url);
    await client.start('hank');
    expect(client.step!.kind).to.equal('pending');
    const [link] = client.step!.mechanisms;
    expect(link).to.include({ type: 'link', acceptsCode: true });
    expect(link!.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/_sim\/idp\//);
    expect(f.sim.requests[0]!.headers.oobidpauth).to.equal('true');

    expect(f.sim.completeIdpLogin('hank')).to.equal(true);
    const done = await client.answer(f.sim.lastCode('hank'));
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('hank');
    expect(calls(f.sim)).to.include('WhoAmI');
  });

  it('without a PIN: polls OobAuthStatus until the IdP login completes', async () => {
    const client = new LoginClient(federatedApp.url);
    await client.start('ivy');
    expect(client.step!.mechanisms[0]!.acceptsCode).to.equal(false);
    await sleep(25);
    expect((await client.act('poll')).json.step.kind).to.equal('pending');
    f.sim.completeIdpLogin('ivy');
    await sleep(25);
    expect((await client.act('poll')).json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('ivy');
  });

  it('with a PIN: an OobAuthStatus Success never logs in; it moves the step to "type the PIN", and only the PIN completes', async () => {
    f.sim.switches.pinLoginsSucceedOnPoll = true;
    const client = new LoginClient(federatedApp.url);
    await client.start('hank');
    expect(client.step!.kind).to.equal('pending');
    f.sim.completeIdpLogin('hank');
    await sleep(25);
    const polled = await client.act('poll');
    expect(polled.status).to.equal(200);
    expect(calls(f.sim)).to.include('OobAuthStatus');
    expect(polled.json.step.kind).to.equal('answer'); // now type the PIN
    expect(polled.json.step.mechanisms[0]).to.include({ type: 'otp' });
    expect((await client.me()).user).to.equal(null); // not logged in
    // Polling again does not log in either.
    const again = await client.act('poll');
    expect(again.json.step?.kind).to.not.equal('done');
    expect((await client.me()).user).to.equal(null);
    expect(calls(f.sim)).to.not.include('WhoAmI');
    // The PIN completes the login.
    const done = await client.answer(f.sim.lastCode('hank'));
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('hank');
    const pin = f.sim.requests.find((r) => (r.body as { MechanismId?: string }).MechanismId === 'OOBAUTHPIN');
    expect(pin).to.not.equal(undefined);
  });

  it('a wrong PIN fails the login', async () => {
    const client = new LoginClient(federatedApp.url);
    await client.start('hank');
    f.sim.completeIdpLogin('hank');
    const res = await client.answer('000000');
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('AUTH_FAILED');
  });

  it('without allowFederatedWithoutPin, a federated login without a PIN is refused (forwarded-link phishing)', async () => {
    const app = await startApp({ upstreamUrl: f.sim.url, provider: { federatedLogin: true } });
    try {
      const res = await new LoginClient(app.url).start('ivy');
      expect(res.status).to.equal(422);
      expect(res.json.error.code).to.equal('MECHANISM_UNSUPPORTED');
      expect(res.text).to.not.include('/_sim/idp/'); // the sign-in link is never handed out
    } finally {
      await app.close();
    }
  });

  it('without federatedLogin, a federated user gets MECHANISM_UNSUPPORTED', async () => {
    const client = f.client();
    const res = await client.start('hank');
    expect(res.status).to.equal(422);
    expect(res.json.error.code).to.equal('MECHANISM_UNSUPPORTED');
    expect(f.sim.requests[0]!.headers.oobidpauth).to.equal(undefined);
  });
});
