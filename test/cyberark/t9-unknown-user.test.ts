import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';

describe('CyberArk T9: unknown and empty user', () => {
  const f = useFixture();

  it('an unknown user sees a normal password step and the same failure as a wrong password', async () => {
    const client = f.client();
    await client.start('nobody@example.com');
    expect(client.step!.kind).to.equal('answer');
    const res = await client.answer('anything');
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('AUTH_FAILED');
  });

  it('an upstream that rejects the user at Start gives AUTH_FAILED', async () => {
    f.sim.switches.decoyUnknownUsers = false;
    const client = f.client();
    const res = await client.start('nobody@example.com');
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('AUTH_FAILED');
  });

  it('an empty username is refused locally', async () => {
    const client = f.client();
    const res = await client.start('   ');
    expect(res.status).to.equal(400);
    expect(res.json.error.code).to.equal('BAD_REQUEST');
    expect(f.sim.requests).to.have.length(0);
  });
});
