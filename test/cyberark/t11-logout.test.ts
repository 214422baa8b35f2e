import { expect } from 'chai';
import { calls, sleep, useFixture } from '../support/fixture.js';

describe('CyberArk T11: logout', () => {
  const f = useFixture();

  it('ends the upstream session with its token and logs the user out locally', async () => {
    const client = f.client();
    await client.startWithPassword('alice');
    expect(f.sim.activeTokens()).to.equal(1);
    const res = await client.browser.post('/login/logout', { _csrf: client.last!.json.csrfToken });
    expect(res.status).to.equal(200);
    expect(res.json.loggedOut).to.equal(true);
    for (let i = 0; i < 50 && f.sim.activeTokens() > 0; i++) await sleep(10); // the upstream logout runs in the background
    expect(calls(f.sim).at(-1)).to.equal('Logout');
    expect(f.sim.requests.at(-1)!.headers.authorization).to.match(/^Bearer /);
    expect(f.sim.activeTokens()).to.equal(0);
    expect((await client.me()).user).to.equal(null);
  });

  it('logs out locally even when the upstream is down', async () => {
    const client = f.client();
    await client.startWithPassword('alice');
    f.sim.injectFault({ kind: 'status', status: 503 });
    const res = await client.browser.post('/login/logout', { _csrf: client.last!.json.csrfToken });
    expect(res.status).to.equal(200);
    expect((await client.me()).user).to.equal(null);
  });

  it('refuses a logout without the CSRF token', async () => {
    const client = f.client();
    await client.startWithPassword('alice');
    const res = await client.browser.post('/login/logout', {});
    expect(res.status).to.equal(403);
    expect((await client.me()).user).to.not.equal(null);
  });
});
