import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';

describe('only offered mechanisms can be used', () => {
  const f = useFixture();

  it('refuses a mechanism id the step did not offer, locally (no upstream call)', async () => {
    const client = f.client();
    await client.startWithPassword('dave');
    const before = f.sim.requests.length;
    for (const mechanism of ['c2m9', 'c1m1', 'M-UP', '../c2m1', '']) {
      const res = await client.act('select', { mechanism });
      expect(res.status, mechanism).to.equal(400);
      expect(res.json.error.code).to.be.oneOf(['MECHANISM_NOT_OFFERED', 'BAD_REQUEST']);
    }
    expect(f.sim.requests.length).to.equal(before);
  });

  it('refuses an upstream MechanismId sent in place of the local id', async () => {
    const client = f.client();
    await client.start('alice');
    await client.answer('wrong', 'c1m1'); // a valid local id: goes upstream, so the upstream id is on record
    await client.start('alice');
    const upstreamId = f.sim.requests.map((r) => (r.body as { MechanismId?: string }).MechanismId).find(Boolean)!;
    expect(upstreamId).to.be.a('string');
    const before = f.sim.requests.length;
    const res = await client.answer('alice-pw', upstreamId);
    expect(res.status).to.equal(400);
    expect(res.json.error.code).to.equal('MECHANISM_NOT_OFFERED');
    expect(f.sim.requests.length).to.equal(before);
  });

  it('refuses answering a mechanism that must be selected first, and polling when nothing is pending', async () => {
    const client = f.client();
    await client.startWithPassword('dave');
    const before = f.sim.requests.length;
    const answer = await client.answer('Rex', client.step!.mechanisms[1]!.id);
    expect(answer.status).to.equal(409);
    expect(answer.json.error.code).to.equal('ACTION_NOT_ALLOWED');
    const poll = await client.act('poll');
    expect(poll.json.error.code).to.equal('ACTION_NOT_ALLOWED');
    expect(f.sim.requests.length).to.equal(before);
  });
});
