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
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp', resendable: true });
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
    expect(client.step!.mechanisms.map((m) => m.id)).to.include.members(['email', 'sms', 'omatotp']);
    await client.act('select', { mechanism: 'sms' });
    expect(client.step!.alternatives).to.equal(true);
    expect((await client.answer(f.sim.lastCode('sam'))).json.step.kind).to.equal('done');
    const init = f.sim.requests.find((r) => (r.body as { challengeop?: string }).challengeop === 'Init')!.body as Record<string, unknown>;
    expect(init).to.deep.include({ challengeType: 'ChallengeSMS', challengedata: { factorKey: 'ChallengeSMS' } });
  });

  it('T3 TOTP and a YubiKey OTP', async () => {
    const quinn = f.client();
    await quinn.startWithPassword('quinn');
    expect((await quinn.answer(f.sim.totpCode('quinn'))).json.step.kind).to.equal('done');
    const tess = f.client();
    await tess.startWithPassword('tess');
    expect((await tess.answer(f.sim.yubicoOtp('tess'))).json.step.kind).to.equal('done');
  });

  it('a user OAA lets through without a challenge is logged in after the password', async () => {
    const client = f.client();
    const done = await client.startWithPassword('walt');
    expect(done.json.step.kind).to.equal('done');
  });

  it('sends the risk context: IP, user agent, allowed headers only; never cookies unless allowed', async () => {
    const client = f.client();
    await client.browser.send('GET', '/login/csrf');
    await client.start('olga', {});
    await client.browser.post('/login/answer', { tx: client.tx, sequence: client.step!.sequence, mechanism: 'password', answer: 'olga-pw', _csrf: client.csrf },
      { 'user-agent': 'TestAgent/1.0', 'accept-language': 'fr', 'x-secret-header': 'do-not-forward' });
    const context = f.sim.lastContext('olga') as { ipAddress?: string; userAgent?: string; headers?: Array<{ name: string }>; userCookies?: unknown[]; assuranceLevel?: unknown };
    expect(context.ipAddress).to.match(/127\.0\.0\.1/);
    expect(context.userAgent).to.equal('TestAgent/1.0');
    expect(context.headers!.map((h) => h.name)).to.have.members(['user-agent', 'accept-language']);
    expect(context.userCookies).to.deep.equal([]);
    expect(context.assuranceLevel).to.deep.equal({ name: 'PassportAL1' });
  });
});
