import { expect } from 'chai';
import { calls, useFixture } from '../support/fixture.js';

describe('CyberArk T2: password then SMS code', () => {
  const f = useFixture();

  it('starts the SMS with the password (MultipleOperations) and logs in with the code', async () => {
    const client = f.client();
    await client.start('bob');
    expect(client.step).to.include({ kind: 'answer' });
    const pending = await client.answer('bob-pw');
    expect(pending.status).to.equal(200);
    expect(client.step!.kind).to.equal('answer');
    const [sms] = client.step!.mechanisms;
    // Typed, and polled too (the text may carry a link): an answer step with pollAfterMs, no acceptsCode.
    expect(sms).to.include({ type: 'otp', resendable: true });
    expect(sms).to.not.have.property('acceptsCode');
    expect(client.step!.pollAfterMs).to.be.a('number');
    expect(sms).to.include({ label: 'Text message to •••• 6098', maskedAddress: '•••• 6098' });
    expect(client.step!.challenge).to.deep.equal({ index: 2, count: 2 });

    const code = f.sim.lastCode('bob');
    expect(code).to.match(/^\d{6}$/);
    const done = await client.answer(code);
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('bob');
    expect(calls(f.sim)).to.deep.equal(['StartAuthentication', 'AdvanceAuthentication', 'AdvanceAuthentication']);
    const multi = f.sim.requests[1]!.body as { MultipleOperations: Array<{ Action: string }> };
    expect(multi.MultipleOperations.map((o) => o.Action)).to.deep.equal(['Answer', 'StartOOB']);
  });

  it('the code step is also polled: a poll keeps the same step (same sequence) until the code is typed', async () => {
    const client = f.client();
    await client.startWithPassword('bob');
    const sequence = client.step!.sequence;
    const polled = await client.act('poll');
    expect(polled.status).to.equal(200);
    expect(polled.json.step).to.include({ kind: 'answer', sequence });
    expect(calls(f.sim).at(-1)).to.equal('AdvanceAuthentication');
    expect((f.sim.requests.at(-1)!.body as { Action?: string }).Action).to.equal('Poll');
    const done = await client.answer(f.sim.lastCode('bob'));
    expect(done.json.step.kind).to.equal('done');
  });

  it('without MultipleOperations, starts the SMS in a separate call (T2 as transcribed)', async () => {
    const { startApp } = await import('../support/app.js');
    const { LoginClient } = await import('../support/login-client.js');
    const app = await startApp({ upstreamUrl: f.sim.url, provider: { multipleOperations: false } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('bob');
      expect(client.step!.kind).to.equal('answer');
      await client.answer(f.sim.lastCode('bob'));
      expect(client.last!.json.step.kind).to.equal('done');
      const bodies = f.sim.requests.slice(1).map((r) => (r.body as { Action: string }).Action);
      expect(bodies).to.deep.equal(['Answer', 'StartOOB', 'Answer']);
    } finally {
      await app.close();
    }
  });

  it('resends the code: a new StartOOB, the same pending step, only the new code works', async () => {
    const client = f.client();
    await client.startWithPassword('bob');
    const first = f.sim.lastCode('bob');
    const sequence = client.step!.sequence;
    const resent = await client.act('resend');
    expect(resent.status).to.equal(200);
    expect(client.step!.sequence).to.equal(sequence);
    expect(client.step!.message).to.match(/new code/i);
    const second = f.sim.lastCode('bob');
    expect(second).to.not.equal(undefined);
    await client.answer(second);
    expect(client.last!.json.step.kind).to.equal('done');
    expect(first).to.match(/^\d{6}$/);
  });
});
