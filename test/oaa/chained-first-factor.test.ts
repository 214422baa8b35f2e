import { expect } from 'chai';
import { cyberark, oaa } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';
import { oaaOptions, useOaaFixture } from '../support/oaa-fixture.js';

describe('OAA after another provider (CyberArk password, then OAA factor)', () => {
  const f = useOaaFixture();
  let cyber: CyberArkSimulator;
  let app: TestApp;
  before(async () => {
    // The CyberArk user "olga" must exist there too: reuse a demo user name OAA knows.
    cyber = await CyberArkSimulator.start({ users: [{ username: 'olga', password: 'olga-cyber-pw', displayName: 'Olga O', email: 'olga@example.com', challenges: [['UP']] }] });
    app = await startApp({ providerInstance: oaa(oaaOptions(f.sim, { firstFactor: { provider: cyberark({ url: cyber.url }) } })), strategy: { pollIntervalMs: 20 } });
  });
  after(async () => { await app.close(); await cyber.close(); });

  it('runs the first provider to success, then OAA for the user it authenticated', async () => {
    const client = new LoginClient(app.url);
    await client.start('olga');
    expect(client.step!.mechanisms[0]!.type).to.equal('password');
    await client.answer('olga-cyber-pw');
    expect(client.step!.mechanisms[0]!.type).to.equal('otp');
    expect(cyber.requests.map((r) => r.path.split('/').pop())).to.include('AdvanceAuthentication');
    const done = await client.answer(f.sim.lastCode('olga'));
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.displayName).to.equal('Olga O');
  });

  it('a wrong first-factor password ends like the first provider says (CyberArk: AUTH_FAILED, restart)', async () => {
    const client = new LoginClient(app.url);
    await client.start('olga');
    const res = await client.answer('wrong');
    expect(res.json.error.code).to.equal('AUTH_FAILED');
    expect(f.sim.requests).to.have.length(0);
  });
});
