import { expect } from 'chai';
import { sleep } from '../support/fixture.js';
import { useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T4: push with polling (pending + AUTH-1108)', () => {
  const f = useIdcsFixture();

  it('sends the push at once, stays pending while IDCS says AUTH-1108, and logs in once approved', async () => {
    const client = f.client();
    await client.startWithPassword('dan');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({ type: 'push', acceptsCode: false });
    await sleep(25);
    expect((await client.act('poll')).json.step.kind).to.equal('pending');
    f.sim.approvePush('dan');
    await sleep(25);
    expect((await client.act('poll')).json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('dan');
  });

  it('a denied push ends the login with OOB_DENIED', async () => {
    const client = f.client();
    await client.startWithPassword('dan');
    f.sim.denyPush('dan');
    await sleep(25);
    const res = await client.act('poll');
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('OOB_DENIED');
    expect((await client.browser.get(`/login/step?tx=${client.tx}`)).status).to.equal(404);
  });
});
