import { expect } from 'chai';
import { request } from 'undici';
import { oaa } from '../../lib/index.js';
import { LoginClient } from '../support/login-client.js';
import { oaaOps, oaaOptions, useOaaFixture } from '../support/oaa-fixture.js';

describe('OAA T5–T9: wrong answer, blocked, missing registration, stale nonce, abandon', () => {
  const f = useOaaFixture();

  it('T5 a wrong code is retried in place with the new nonce', async () => {
    const client = f.client();
    await client.startWithPassword('olga');
    const wrong = await client.answer('000000');
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error.code).to.equal('WRONG_ANSWER');
    expect((await client.answer(f.sim.lastCode('olga'))).json.step.kind).to.equal('done');
    const validates = f.sim.requests.filter((r) => (r.body as { challengeop?: string }).challengeop === 'Validate').map((r) => (r.body as { nonce: string }).nonce);
    expect(validates[0]).to.not.equal(validates[1]);
  });

  it('T6 challenge blocked: another factor is offered, or ACCOUNT_LOCKED when none is left', async () => {
    f.sim.switches.retryCount = 2;
    const sam = f.client();
    await sam.startWithPassword('sam');
    await sam.act('select', { mechanism: 'email' });
    await sam.answer('111111');
    const blocked = await sam.answer('222222');
    expect(blocked.status).to.equal(200);
    expect(sam.step!.kind).to.equal('select');
    expect(sam.step!.message).to.match(/locked/i);
    expect(sam.step!.mechanisms.find((m) => m.id === 'email')).to.include({ type: 'unsupported', locked: true });
    await sam.act('select', { mechanism: 'omatotp' });
    expect((await sam.answer(f.sim.totpCode('sam'))).json.step.kind).to.equal('done');

    const olga = f.client();
    await olga.startWithPassword('olga');
    await olga.answer('111111');
    const locked = await olga.answer('222222');
    expect(locked.status).to.equal(423);
    expect(locked.json.error.code).to.equal('ACCOUNT_LOCKED');
    expect(f.sim.lastFinalize('olga')).to.deep.include({ reason: 'too_many_attempts' });
  });

  it('T7 missing registration: REGISTRATION_REQUIRED with the enrolment URL (HTML: redirected there)', async () => {
    const client = f.client();
    const res = await client.startWithPassword('uma');
    expect(res.status).to.equal(403);
    expect(res.json.error.code).to.equal('REGISTRATION_REQUIRED');
    expect(res.json.error.details.registrationUrl).to.equal(f.sim.registrationUrl);
    const { Browser } = await import('../support/browser.js');
    const { pageLocals } = await import('../support/app.js');
    const browser = new Browser(f.app.url, 'html');
    const start = pageLocals((await browser.get('/login/')).text);
    const posted = await browser.post('/login/start', { username: 'uma', _csrf: start.csrfToken });
    const step = pageLocals((await browser.get(posted.location!)).text);
    const answered = await browser.post('/login/answer', { tx: step.transactionId, seq: step.step!.sequence, mechanism: 'password', answer: 'uma-pw', _csrf: step.csrfToken });
    expect(answered.status).to.equal(303);
    expect(answered.location).to.equal(f.sim.registrationUrl);
  });

  it('T8 a stale nonce is refused by OAA; a lost nonce restarts the login cleanly (TRANSACTION_EXPIRED)', async () => {
    const client = f.client();
    await client.startWithPassword('olga');
    await client.answer('000000'); // rotates the nonce
    const validate = f.sim.requests.find((r) => (r.body as { challengeop?: string }).challengeop === 'Validate')!;
    const replay = await request(`${f.sim.url}/authn/v1`, {
      method: 'PUT', headers: { authorization: validate.headers.authorization as string, 'content-type': 'application/json' },
      body: JSON.stringify(validate.body),
    });
    expect(replay.statusCode).to.equal(400);
    expect(JSON.stringify(await replay.body.json())).to.match(/nonce/i);
    f.sim.expireSessions();
    const res = await client.answer(f.sim.lastCode('olga'));
    expect(res.status).to.equal(410);
    expect(res.json.error.code).to.equal('TRANSACTION_EXPIRED');
  });

  it('T9 cancel Finalizes with user_abandoned', async () => {
    const client = f.client();
    await client.startWithPassword('olga');
    const res = await client.act('cancel');
    expect(res.json.cancelled).to.equal(true);
    expect(oaaOps(f.sim).at(-1)).to.equal('Finalize');
    expect(f.sim.lastFinalize('olga')).to.deep.include({ result: 'Failure', reason: 'user_abandoned' });
  });

  it('FIDO2-only users get MECHANISM_UNSUPPORTED', async () => {
    const client = f.client();
    const res = await client.startWithPassword('vic');
    expect(res.json.error.code).to.equal('MECHANISM_UNSUPPORTED');
  });

  it('wrong API credentials are UPSTREAM_UNAVAILABLE and never shown; a bearer token works', async () => {
    const bad = await f.startApp({ providerInstance: oaa(oaaOptions(f.sim, { auth: { username: f.sim.apiUsername, password: 'wrong-api-key' } })) });
    try {
      const res = await new LoginClient(bad.url).startWithPassword('olga');
      expect(res.status).to.equal(502);
      expect(res.json.error.code).to.equal('UPSTREAM_UNAVAILABLE');
      expect(res.text).to.not.include('wrong-api-key');
    } finally { await bad.close(); }
    const bearer = await f.startApp({ providerInstance: oaa(oaaOptions(f.sim, { auth: { bearer: async () => f.sim.bearerToken } })) });
    try {
      const client = new LoginClient(bearer.url);
      await client.startWithPassword('olga');
      expect((await client.answer(f.sim.lastCode('olga'))).json.step.kind).to.equal('done');
      expect(f.sim.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${f.sim.bearerToken}`);
    } finally { await bearer.close(); }
  });

  it('the legacy field names (transactionId, status, challenges[].factorKey) work too', async () => {
    f.sim.switches.naming = 'legacy';
    f.sim.switches.statusStyle = 'upper';
    const client = f.client();
    await client.startWithPassword('sam');
    expect(client.step!.kind).to.equal('select');
    await client.act('select', { mechanism: 'email' });
    expect((await client.answer(f.sim.lastCode('sam'))).json.step.kind).to.equal('done');
  });
});
