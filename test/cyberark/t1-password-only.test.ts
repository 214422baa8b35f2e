import { expect } from 'chai';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';

describe('CyberArk T1: password only', () => {
  let sim: CyberArkSimulator;
  let app: TestApp;
  before(async () => {
    sim = await CyberArkSimulator.start();
    app = await startApp({ upstreamUrl: sim.url });
  });
  after(async () => { await app.close(); await sim.close(); });

  it('shows the password step straight away and logs in with the right password', async () => {
    const client = new LoginClient(app.url);
    const started = await client.start('alice');
    expect(started.status).to.equal(200);
    expect(client.step).to.include({ kind: 'answer' });
    expect(client.step!.mechanisms).to.have.length(1);
    expect(client.step!.mechanisms[0]).to.include({ type: 'password' });

    const done = await client.answer('alice-pw');
    expect(done.status).to.equal(200);
    expect(done.json.step.kind).to.equal('done');
    expect(done.json.redirect).to.equal('/me');
    const me = await client.me();
    expect(me.user).to.include({ username: 'alice' });
    expect(me.user.id).to.be.a('string').and.not.empty;
  });

  it('sends the upstream exactly StartAuthentication then one AdvanceAuthentication with the native-client headers', async () => {
    sim.requests.length = 0;
    const client = new LoginClient(app.url);
    await client.startWithPassword('alice');
    const api = sim.requests.map((r) => r.path.split('/').pop());
    expect(api).to.deep.equal(['StartAuthentication', 'AdvanceAuthentication']);
    const [start, advance] = sim.requests;
    expect(start!.headers['x-idap-native-client']).to.equal('true');
    expect(start!.headers['x-centrify-native-client']).to.equal('true');
    expect(start!.body).to.include({ User: 'alice', Version: '1.0' });
    expect(advance!.body).to.include({ Action: 'Answer', Answer: 'alice-pw' });
    expect(advance!.cookies).to.have.property('sessdata'); // the login's cookie jar went back upstream
  });

  it('never sends upstream handles (SessionId, MechanismId, cookies) to the browser', async () => {
    sim.requests.length = 0;
    const client = new LoginClient(app.url);
    const started = await client.start('bob');
    const stepPage = await client.browser.get(`/login/step?tx=${client.tx}`);
    await client.answer('bob-pw'); // an Advance request now carries the handles
    const advance = sim.requests.find((r) => r.path.endsWith('AdvanceAuthentication'))!;
    const { SessionId, MechanismId } = advance.body as { SessionId: string; MechanismId?: string };
    for (const text of [started.text, stepPage.text, client.last!.text]) {
      expect(text).not.to.include(SessionId);
      if (MechanismId) expect(text).not.to.include(MechanismId);
      expect(text).not.to.include(advance.cookies.sessdata!);
    }
    expect(stepPage.json.step.mechanisms[0].id).to.match(/^c\d+m\d+$/);
  });
});
