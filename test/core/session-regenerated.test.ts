import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';

describe('session at login', () => {
  const f = useFixture();

  it('gets a new session id, keeps no login state, and carries only returnTo', async () => {
    const client = f.client();
    const protectedPage = await client.browser.get('/protected');
    expect(protectedPage.status).to.equal(302);
    await client.start('alice');
    const before = await client.browser.sessionCookie();
    expect(before).to.be.a('string');
    const done = await client.answer('alice-pw');
    const after = await client.browser.sessionCookie();
    expect(after).to.not.equal(before);
    expect(done.json.redirect).to.equal('/protected');
    const old = await client.browser.get(`/login/step?tx=${client.tx}`);
    expect(old.status).to.equal(404);
  });

  it('refuses an open redirect in returnTo', async () => {
    const client = f.client();
    await client.start('alice', { returnTo: 'https://evil.example/' });
    const done = await client.answer('alice-pw');
    expect(done.json.redirect).to.equal('/me');
    await client.start('alice', { returnTo: '//evil.example/x' });
    expect((await client.answer('alice-pw')).json.redirect).to.equal('/me');
  });
});
