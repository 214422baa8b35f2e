import { expect } from 'chai';
import { ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T1: password only', () => {
  const f = useIdcsFixture();

  it('gets a token, asks for the password, and logs in with the authnToken claims', async () => {
    const client = f.client();
    await client.start('ann');
    expect(client.step).to.include({ kind: 'answer' });
    expect(client.step!.mechanisms[0]).to.include({ type: 'password' });
    const done = await client.answer('ann-pw');
    expect(done.json.step.kind).to.equal('done');
    const me = await client.me();
    expect(me.user.username).to.equal('ann');
    expect(me.user.id).to.match(/^[0-9a-f-]{36}$/);
    expect(ops(f.sim)).to.deep.equal(['GET', 'credSubmit']);
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
    expect(f.sim.tokensIssued()).to.equal(1);
    const states = f.sim.requests.map((r) => (r.body as { requestState?: string } | undefined)?.requestState).filter(Boolean) as string[];
    expect(states.length).to.be.above(0);
    for (const state of states) expect(started.text).to.not.include(state.slice(0, 40));
  });
});
