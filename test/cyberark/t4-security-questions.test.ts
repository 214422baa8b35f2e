import { expect } from 'chai';
import { calls, useFixture } from '../support/fixture.js';

describe('CyberArk T4: two challenges, security questions chosen in the second', () => {
  const f = useFixture();

  it('offers a choice, then takes one answer per question and sends them keyed by Uuid', async () => {
    const client = f.client();
    await client.startWithPassword('dave');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.map((m) => m.type)).to.have.members(['link', 'question']);

    await client.select('question');
    expect(client.step!.kind).to.equal('answer');
    const [sq] = client.step!.mechanisms;
    expect(sq!.questions).to.have.length(2);
    expect(sq!.questions![0]!.text).to.match(/pet/);

    const done = await client.answer({ q1: 'Rex', q2: 'Leeds' });
    expect(done.json.step.kind).to.equal('done');
    const last = f.sim.requests.at(-1)!.body as { Answer: Record<string, string> };
    expect(Object.values(last.Answer)).to.deep.equal(['Rex', 'Leeds']);
    expect(Object.keys(last.Answer)).not.to.include('q1'); // upstream Uuids, not local ids
    expect(calls(f.sim)).to.deep.equal(['StartAuthentication', 'AdvanceAuthentication', 'AdvanceAuthentication']);
  });

  it('choosing the e-mail instead starts it; the code or the link completes it', async () => {
    const client = f.client();
    await client.startWithPassword('dave');
    await client.select('link');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({ label: 'E-mail to •••@example.com', maskedAddress: '•••@example.com' });
    f.sim.approvePush('dave'); // the user clicks the link
    await new Promise((r) => setTimeout(r, 25));
    const done = await client.act('poll');
    expect(done.json.step.kind).to.equal('done');
  });

  it('refuses an incomplete or unknown set of answers without calling upstream', async () => {
    const client = f.client();
    await client.startWithPassword('dave');
    await client.select('question');
    const before = f.sim.requests.length;
    expect((await client.answer({ q1: 'Rex' })).status).to.equal(400);
    expect((await client.answer({ q1: 'Rex', q2: 'Leeds', q3: 'x' })).json.error.code).to.equal('MECHANISM_NOT_OFFERED');
    expect((await client.answer('just a string')).status).to.equal(400);
    expect(f.sim.requests.length).to.equal(before);
    expect((await client.answer({ q1: 'Rex', q2: 'Leeds' })).json.step.kind).to.equal('done');
  });
});
