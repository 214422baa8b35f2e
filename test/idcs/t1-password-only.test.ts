import { expect } from 'chai';
import { appTokensIssued, ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T1: password only', () => {
  const f = useIdcsFixture();

  it('gets a token, asks for the password, and logs in as the SCIM record of /admin/v1/Me', async () => {
    const client = f.client();
    await client.start('ann');
    expect(client.step).to.include({ kind: 'answer' });
    expect(client.step!.mechanisms[0]).to.include({ type: 'password' });
    const done = await client.answer('ann-pw');
    expect(done.json.step.kind).to.equal('done');
    const me = await client.me();
    expect(me.user.username).to.equal('ann');
    expect(me.user.id).to.match(/^[0-9a-f]{32}$/);
    expect(ops(f.sim)).to.deep.equal(['GET', 'credSubmit']);
    // The authnToken names no user: it is exchanged for the user's token, which reads /admin/v1/Me.
    const forms = f.sim.requests.filter((r) => r.path.endsWith('/oauth2/v1/token')).map((r) => new URLSearchParams(String(r.body)));
    const exchange = forms.find((form) => form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer')!;
    expect(exchange.get('assertion')!.split('.')).to.have.length(3);
    const meCall = f.sim.requests.find((r) => r.path.endsWith('/admin/v1/Me'))!;
    expect(meCall.method).to.equal('GET');
    expect(meCall.headers.authorization).to.match(/^Bearer /);
    const get = f.sim.requests.find((r) => r.path.endsWith('/authenticate'))!;
    expect(get.headers.authorization).to.match(/^Bearer /);
    expect(get.path + JSON.stringify(get.body ?? '')).to.not.include('ann-pw');
  });

  it('uses one access token for many logins (cached), and never shows requestState to the browser', async () => {
    const client = f.client();
    const started = await client.start('ann');
    await client.answer('ann-pw');
    const again = f.client();
    await again.startWithPassword('ann');
    expect(appTokensIssued(f.sim)).to.equal(1);
    const states = f.sim.requests.map((r) => (r.body as { requestState?: string } | undefined)?.requestState).filter(Boolean) as string[];
    expect(states.length).to.be.above(0);
    for (const state of states) expect(started.text).to.not.include(state.slice(0, 40));
  });
});
