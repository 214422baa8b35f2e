import { expect } from 'chai';
import { ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T3: SMS with resend, e-mail, and a choice of devices', () => {
  const f = useIdcsFixture();

  it('SMS: the code is already sent; resend sends a new one that works', async () => {
    const client = f.client();
    await client.startWithPassword('cora');
    expect(client.step!.kind).to.equal('answer');
    const [sms] = client.step!.mechanisms;
    expect(sms).to.include({ type: 'otp', resendable: true });
    expect(sms!.maskedAddress).to.equal('•••• 098'); // Oracle shows +14XXXXXX098
    expect(sms!.label).to.equal('Text message to •••• 098');
    const first = f.sim.lastCode('cora', 'SMS');
    const sequence = client.step!.sequence;
    await client.act('resend');
    expect(client.step!.sequence).to.equal(sequence);
    expect(client.step!.message).to.match(/new code/i);
    const second = f.sim.lastCode('cora', 'SMS');
    expect(second).to.match(/^\d+$/);
    expect(second).to.not.equal(first);
    expect((await client.answer(second)).json.step.kind).to.equal('done');
    expect(ops(f.sim)).to.include('resendCode');
  });

  it('"try another way" offers e-mail and push devices; choosing e-mail sends the code', async () => {
    const client = f.client();
    await client.startWithPassword('lea');
    await client.act('alternatives');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.map((m) => m.type)).to.include.members(['otp', 'push']);
    expect(client.step!.mechanisms.find((m) => m.type === 'push')!.device).to.equal("Lea's Pixel");
    const email = client.step!.mechanisms.find((m) => m.id.startsWith('email'))!;
    await client.act('select', { mechanism: email.id });
    expect(client.step!.kind).to.equal('answer');
    expect((await client.answer(f.sim.lastCode('lea', 'EMAIL'))).json.step.kind).to.equal('done');
  });

  it('user name first (UNVERIFIED): the name is sent at once, then the password, then the e-mail code', async () => {
    f.sim.switches.usernameFirst = true; // a tenant setting: the first GET asks for the user name only
    const client = f.client();
    await client.start('fay');
    expect(client.step!.mechanisms[0]!.type).to.equal('password');
    await client.answer('fay-pw');
    expect(client.step!.kind).to.equal('answer');
    expect((await client.answer(f.sim.lastCode('fay', 'EMAIL'))).json.step.kind).to.equal('done');
    const first = f.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/authenticate'))[0]!.body as { credentials: Record<string, string> };
    expect(Object.keys(first.credentials)).to.deep.equal(['username']);
  });

  it('the usernameFirst switch applies to every user', async () => {
    f.sim.switches.usernameFirst = true;
    const client = f.client();
    await client.start('ann');
    expect((await client.answer('ann-pw')).json.step.kind).to.equal('done');
  });
});
