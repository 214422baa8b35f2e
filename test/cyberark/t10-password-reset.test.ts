import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';

describe('CyberArk T10: mid-flow NewPackage (expired password → RESET)', () => {
  const f = useFixture();

  it('asks for a new password with the upstream notice, and logs in with it', async () => {
    const client = f.client();
    await client.startWithPassword('frank');
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]!.type).to.equal('new-password');
    expect(client.step!.message).to.be.a('string').and.not.empty;
    const done = await client.answer('N3w-passw0rd!');
    expect(done.json.step.kind).to.equal('done');
  });

  it('a new password the policy rejects gives PASSWORD_REJECTED', async () => {
    const client = f.client();
    await client.startWithPassword('frank');
    const res = await client.answer('short');
    expect(res.status).to.equal(422);
    expect(res.json.error.code).to.equal('PASSWORD_REJECTED');
  });
});
