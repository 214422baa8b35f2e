import { expect } from 'chai';
import { calls, useFixture } from '../support/fixture.js';

describe('CyberArk T7: MultipleOperations and other challenge mixes', () => {
  const f = useFixture();

  it('erin: a choice in the second challenge; an OATH code answered in-band', async () => {
    const client = f.client();
    await client.startWithPassword('erin');
    expect(client.step!.kind).to.equal('select');
    const types = client.step!.mechanisms.map((m) => m.type);
    expect(types).to.include.members(['otp', 'link', 'push', 'phone-call']);
    const oath = client.step!.mechanisms.find((m) => m.label === 'Authenticator app code' && m.type === 'otp' && !m.maskedAddress);
    expect(oath, JSON.stringify(client.step)).to.exist;
    await client.act('select', { mechanism: oath!.id });
    const code = client.step!.kind === 'pending' || client.step!.kind === 'answer' ? '123456' : '';
    const done = await client.answer(code, oath!.id);
    expect(done.json.step.kind).to.equal('done');
  });

  it('erin: a phone call is poll-only (no code accepted)', async () => {
    const client = f.client();
    await client.startWithPassword('erin');
    await client.select('phone-call');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]!.acceptsCode).to.equal(false);
    const before = f.sim.requests.length;
    const refused = await client.answer('123456');
    expect(refused.json.error.code).to.equal('ACTION_NOT_ALLOWED');
    expect(f.sim.requests.length).to.equal(before);
    f.sim.approvePush('erin');
    await new Promise((r) => setTimeout(r, 25));
    expect((await client.act('poll')).json.step.kind).to.equal('done');
  });

  it('grace: the phone call comes first; it is placed only when the user asks, then the password', async () => {
    const client = f.client();
    await client.start('grace');
    // Nothing is answered yet: typing a user name alone must not ring anybody's phone.
    expect(client.step!.kind).to.equal('select');
    expect(calls(f.sim)).to.deep.equal(['StartAuthentication']);
    await client.select('phone-call');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]!.type).to.equal('phone-call');
    f.sim.approvePush('grace');
    await new Promise((r) => setTimeout(r, 25));
    await client.act('poll');
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]!.type).to.equal('password');
    expect((await client.answer('grace-pw')).json.step.kind).to.equal('done');
    expect(calls(f.sim)[0]).to.equal('StartAuthentication');
  });

  it('reports NoncommitalSuccess as LOGIN_NOT_COMPLETED, not a login', async () => {
    f.sim.switches.noncommittal = true;
    const client = f.client();
    await client.start('alice');
    const res = await client.answer('alice-pw');
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('LOGIN_NOT_COMPLETED');
    expect((await client.me()).user).to.equal(null);
  });
});
