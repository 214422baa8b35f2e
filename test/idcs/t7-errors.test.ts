import { expect } from 'chai';
import { request } from 'undici';
import { appTokensIssued, ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T7–T9: wrong password, stale requestState, locked, expired password', () => {
  const f = useIdcsFixture();

  it('a wrong password (AUTH-3001, no nextOp) is retried in place with the requestState the failed call used', async () => {
    const client = f.client();
    await client.start('ann');
    const wrong = await client.answer('nope');
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error).to.include({ code: 'AUTH_FAILED' });
    expect(wrong.json.error.details.upstreamCode).to.equal('AUTH-3001');
    expect(wrong.json.step.kind).to.equal('answer');
    expect((await client.answer('ann-pw')).json.step.kind).to.equal('done');
    const sent = f.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/authenticate')).map((r) => (r.body as { requestState: string }).requestState);
    expect(sent).to.have.length(2);
    expect(sent[1]).to.equal(sent[0]); // as Oracle's loginApp.js does: a failure without nextOp hands out no step
  });

  it('a tenant that refuses that requestState (strictRequestState): the login begins again upstream, unseen', async () => {
    f.sim.switches.strictRequestState = true;
    const client = f.client();
    await client.start('ann');
    await client.answer('nope');
    expect((await client.answer('ann-pw')).json.step.kind).to.equal('done');
    expect(ops(f.sim).slice(-4)).to.deep.equal(['credSubmit', 'credSubmit', 'GET', 'credSubmit']);

    // The simulator refuses the old requestState outright.
    const first = f.sim.requests.find((r) => r.method === 'POST' && r.path.endsWith('/authenticate'))!;
    const replay = await request(`${f.sim.url}/sso/v1/sdk/authenticate`, {
      method: 'POST', headers: { authorization: first.headers.authorization as string, 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'credSubmit', credentials: { username: 'ann', password: 'ann-pw' }, requestState: (first.body as { requestState: string }).requestState }),
    });
    const body = (await replay.body.json()) as { cause: Array<{ code: string }> };
    expect(body.cause[0]!.code).to.equal('AUTH-1120');
  });

  it('an expired requestState restarts cleanly: TRANSACTION_EXPIRED, returnTo kept for the next attempt', async () => {
    const client = f.client();
    await client.start('ben', { returnTo: '/reports?q=1' });
    await client.answer('ben-pw');
    f.sim.expireRequestStates();
    const res = await client.answer(f.sim.totpCode('ben'));
    expect(res.status).to.equal(410);
    expect(res.json.error.code).to.equal('TRANSACTION_EXPIRED');
    await client.startWithPassword('ben');
    const done = await client.answer(f.sim.totpCode('ben'));
    expect(done.json.redirect).to.equal('/reports?q=1');
  });

  it('a locked account is ACCOUNT_LOCKED (423), not a wrong password', async () => {
    const client = f.client();
    await client.start('jo');
    const res = await client.answer('jo-pw');
    expect(res.status).to.equal(423);
    expect(res.json.error.code).to.equal('ACCOUNT_LOCKED');
    expect(res.json.error.message).to.match(/locked/i);
  });

  it('too many wrong passwords lock the account (AUTH-3002)', async () => {
    f.sim.switches.lockoutAfterFailures = 2;
    const client = f.client();
    await client.start('ann');
    await client.answer('bad-1');
    const second = await client.answer('bad-2');
    const third = second.json.error.code === 'ACCOUNT_LOCKED' ? second : await client.answer('ann-pw');
    expect(third.json.error.code).to.equal('ACCOUNT_LOCKED');
    expect(third.json.error.details.upstreamCode).to.equal('AUTH-3002');
  });

  it('an expired password is PASSWORD_EXPIRED with its own message', async () => {
    const client = f.client();
    await client.start('kim');
    const res = await client.answer('kim-pw');
    expect(res.json.error.code).to.equal('PASSWORD_EXPIRED');
    expect(res.json.error.message).to.match(/expired/i);
  });

  it('renews the access token once on an HTML 401 and replays the call', async () => {
    const client = f.client();
    await client.start('ann');
    const issued = appTokensIssued(f.sim);
    const before = ops(f.sim).length;
    f.sim.expireAccessTokens();
    const done = await client.answer('ann-pw');
    expect(done.json.step.kind).to.equal('done');
    expect(appTokensIssued(f.sim)).to.equal(issued + 1);
    // The refused call, then the same call replayed once with the new token.
    expect(ops(f.sim).slice(before)).to.deep.equal(['credSubmit', 'credSubmit']);
    const [refused, replayed] = f.sim.requests.filter((r) => r.path.endsWith('/authenticate')).slice(before);
    expect(refused!.headers.authorization).to.not.equal(replayed!.headers.authorization);
    expect(refused!.body).to.deep.equal(replayed!.body);
  });

  it('a token endpoint that refuses the client is CONFIGURATION (to the app error handler), and secrets stay out of the answer', async () => {
    const { idcs } = await import('../../lib/index.js');
    const app = await f.startApp({ providerInstance: idcs({ url: f.sim.url, clientId: f.sim.clientId, clientSecret: 'wrong-secret-value' }) });
    try {
      const { LoginClient } = await import('../support/login-client.js');
      const res = await new LoginClient(app.url).start('ann');
      expect(res.status).to.equal(500);
      expect(res.text).to.not.include('wrong-secret-value');
      const error = app.serverErrors.at(-1) as { code: string; message: string };
      expect(error.code).to.equal('CONFIGURATION');
      expect(error.message).to.match(/Client Credentials/);
    } finally {
      await app.close();
    }
  });

  it('an app without the JWT Assertion grant is CONFIGURATION naming the grant; without /admin/v1/Me access, naming the role', async () => {
    for (const [switches, hint] of [[{ jwtAssertionGrant: false }, /JWT Assertion/], [{ meEndpoint: false }, /Me/]] as const) {
      Object.assign(f.sim.switches, switches);
      const client = f.client();
      await client.start('ann');
      const res = await client.answer('ann-pw');
      expect(res.status).to.equal(500);
      const error = f.app.serverErrors.at(-1) as { code: string; message: string };
      expect(error.code).to.equal('CONFIGURATION');
      expect(error.message).to.match(hint);
      f.sim.reset();
    }
  });
});
