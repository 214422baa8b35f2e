import { expect } from 'chai';
import { oaaOps, useOaaFixture } from '../support/oaa-fixture.js';

describe('OAA T1–T3: password first, then the factor OAA picks', () => {
  const f = useOaaFixture();

  it('T1 email OTP: password checked by the app, then Init sends the code, Validate logs in', async () => {
    const client = f.client();
    await client.start('olga');
    expect(client.step!.mechanisms[0]!.type).to.equal('password');
    expect(f.sim.requests).to.have.length(0); // OAA never sees the password step
    await client.answer('olga-pw');
    expect(client.step!.kind).to.equal('answer');
    // The plain e-mail label and the one masked format; OAA's own prompt kept as upstreamPrompt.
    expect(client.step!.mechanisms[0]).to.include({
      type: 'otp', resendable: true, label: 'E-mail to •••@example.com', maskedAddress: '•••@example.com',
      prompt: 'Enter the code sent to •••@example.com.', upstreamPrompt: 'Enter OTP sent to o***@example.com.',
    });
    expect(client.last!.text).to.not.include('olga@example.com');
    const done = await client.answer(f.sim.lastCode('olga'));
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('olga');
    expect(oaaOps(f.sim)).to.deep.equal(['POST', 'Init', 'Validate']);
    const post = f.sim.requests[0]!;
    expect(post.headers.authorization).to.match(/^Basic /);
    expect(post.body).to.deep.include({ clientInfo: { clientId: f.sim.clientId, clientSecret: f.sim.clientSecret } });
    expect(JSON.stringify(post.body)).to.not.include('olga-pw');
  });

  it('a wrong password is refused locally and can be retried; OAA is not called', async () => {
    const client = f.client();
    await client.start('olga');
    const wrong = await client.answer('nope');
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error.code).to.equal('AUTH_FAILED');
    expect(wrong.json.step.kind).to.equal('answer');
    expect(f.sim.requests).to.have.length(0);
    await client.answer('olga-pw');
    expect(client.step!.mechanisms[0]!.type).to.equal('otp');
  });

  it('T2 a choice of factors: SMS chosen, then its code', async () => {
    const client = f.client();
    await client.startWithPassword('sam');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.map((m) => [m.id, m.label])).to.deep.equal([
      ['email', 'E-mail to •••@example.com'], ['sms', 'Text message to •••• 6789'], ['omatotp', 'Authenticator app code'],
    ]);
    await client.act('select', { mechanism: 'sms' });
    expect(client.step!.alternatives).to.equal(true);
    expect(client.step!.mechanisms[0]).to.include({
      label: 'Text message to •••• 6789', maskedAddress: '•••• 6789', upstreamPrompt: 'Enter OTP sent to ***-***-6789.',
    });
    expect((await client.answer(f.sim.lastCode('sam'))).json.step.kind).to.equal('done');
    // The documented form only: the factor inside `challengedata`, no top-level `challengeType` (UNVERIFIED, off by default).
    const init = f.sim.requests.find((r) => (r.body as { challengeop?: string }).challengeop === 'Init')!.body as Record<string, unknown>;
    expect(init).to.deep.include({ challengedata: { factorKey: 'ChallengeSMS' } });
    expect(init).to.not.have.property('challengeType');
  });

  it('T3 TOTP and a YubiKey OTP', async () => {
    const quinn = f.client();
    await quinn.startWithPassword('quinn');
    expect(quinn.step!.mechanisms[0]).to.include({
      label: 'Authenticator app code', prompt: 'Enter the code shown by your authenticator app.', upstreamPrompt: 'Enter TOTP from the registered Phone',
    });
    expect((await quinn.answer(f.sim.totpCode('quinn'))).json.step.kind).to.equal('done');
    const tess = f.client();
    await tess.startWithPassword('tess');
    expect(tess.step!.mechanisms[0]).to.include({ id: 'yotp', label: 'Security key code', upstreamPrompt: 'Touch your YubiKey to enter the OTP' });
    expect((await tess.answer(f.sim.yubicoOtp('tess'))).json.step.kind).to.equal('done');
  });

  it('a user OAA lets through without a challenge is logged in after the password', async () => {
    const client = f.client();
    const done = await client.startWithPassword('walt');
    expect(done.json.step.kind).to.equal('done');
  });

  it('sends the documented risk context: assurance level, allowed headers only (user agent among them); never cookies unless allowed', async () => {
    const client = f.client();
    await client.browser.send('GET', '/login/csrf');
    await client.start('olga', {});
    await client.browser.post('/login/answer', { tx: client.tx, sequence: client.step!.sequence, mechanism: 'password', answer: 'olga-pw', _csrf: client.csrf },
      { 'user-agent': 'TestAgent/1.0', 'accept-language': 'fr', 'x-secret-header': 'do-not-forward' });
    const context = f.sim.lastContext('olga') as Record<string, unknown> & { headers?: Array<{ name: string; value: string }> };
    // `ipAddress` / `userAgent` are UNVERIFIED names: not sent unless requestFields names them.
    expect(Object.keys(context)).to.have.members(['assuranceLevel', 'headers', 'userCookies']);
    expect(context.headers).to.deep.include({ name: 'user-agent', value: 'TestAgent/1.0' });
    expect(context.headers!.map((h) => h.name)).to.have.members(['user-agent', 'accept-language']);
    expect(context.userCookies).to.deep.equal([]);
    expect(context.assuranceLevel).to.deep.equal({ name: 'PassportAL1' });
  });
});
