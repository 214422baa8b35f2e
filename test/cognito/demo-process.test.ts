/**
 * The demo as `npm start` runs it (a child process): the Cognito login appears once cognito-local
 * is up and signs a demo user in; when cognito-local cannot start, the other logins are unaffected
 * and one line says Cognito was skipped.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { Browser } from '../support/browser.js';
import { startDemo, type DemoProcess } from '../support/demo-process.js';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the demo process: AWS Cognito', function () {
  this.timeout(40_000);
  let demo: DemoProcess | undefined;
  afterEach(async () => {
    await demo?.stop();
    demo = undefined;
  });

  it('offers "Sign in with AWS Cognito" once cognito-local is up; casey signs in through /cognito/login', async () => {
    demo = await startDemo();
    const browser = new Browser(demo.url, 'json');
    await until('the Cognito button', async () => ((await browser.get('/')).text.includes('Sign in with AWS Cognito') ? true : undefined));
    expect(demo.output()).to.match(/AWS Cognito \(cognito-local\): http:\/\/127\.0\.0\.1:\d+/);
    expect(demo.output()).to.match(/through the demo's MFA_SETUP front at http:\/\/127\.0\.0\.1:\d+/);
    // The start-up lines say what is served: four providers, the SPA with all four once Cognito is up.
    expect(demo.output()).to.match(/AWS Cognito: http:\/\/127\.0\.0\.1:\d+\/cognito\/login\/ \(once cognito-local is up\)/);
    expect(demo.output()).to.match(/Single-page app \(JSON mode, all four; Cognito once it is up\): http:\/\/127\.0\.0\.1:\d+\/spa\//);
    expect(demo.output()).to.not.match(/all three/);
    // Every Cognito demo user is listed, mona (MFA set up at sign-in) included.
    const users = await until('the Cognito user list', async () => /Cognito demo users:\n((?: {2}\S+ .*\n){6})/.exec(demo!.output())?.[1]);
    expect(users.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[0])).to.deep.equal(['casey', 'sid', 'tia', 'cole', 'nina', 'mona']);
    // The SPA's list of providers has Cognito now, nothing pending.
    const list = (await browser.get('/spa/providers.json')).json;
    expect(list.providers.map((p: { key: string }) => p.key)).to.deep.equal(['cyberark', 'idcs', 'oaa', 'cognito']);
    expect(list).to.not.have.property('pending');
    const csrf = (await browser.get('/cognito/login/csrf')).json.csrfToken;
    const started = await browser.post('/cognito/login/start', { username: 'casey', _csrf: csrf });
    const step = started.json.step;
    expect(step.mechanisms[0].type).to.equal('password');
    const answered = await browser.post('/cognito/login/answer', { tx: started.json.transactionId, sequence: step.sequence, mechanism: step.mechanisms[0].id, answer: 'casey-pw', _csrf: started.json.csrfToken ?? csrf });
    expect(answered.json.step?.kind, JSON.stringify(answered.json)).to.equal('done');
    expect((await browser.get('/')).text).to.include('<dt>Signed in with</dt><dd>AWS Cognito</dd>');
  });

  it('when cognito-local cannot start, the demo runs without Cognito and says so in one line', async () => {
    // Its port taken: cognito-local fails to listen.
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      demo = await startDemo({ COGNITO_LOCAL_PORT: String(port) });
      const line = await until('the skip line', async () => /AWS Cognito: skipped[^\n]*/.exec(demo!.output())?.[0]);
      expect(demo.output().match(/AWS Cognito: skipped/g)).to.have.length(1);
      expect(line).to.match(/cognito-local could not start/);
      const browser = new Browser(demo.url, 'html');
      const home = (await browser.get('/')).text;
      expect(home).to.include('Sign in with Oracle IDCS');
      expect(home).to.not.include('Sign in with AWS Cognito');
      expect((await browser.get('/cognito/login/')).status).to.equal(404);
      // The SPA's list: three providers, nothing pending (it stops asking).
      const list = (await new Browser(demo.url, 'json').get('/spa/providers.json')).json;
      expect(list.providers.map((p: { key: string }) => p.key)).to.deep.equal(['cyberark', 'idcs', 'oaa']);
      expect(list).to.not.have.property('pending');
      expect((await browser.get('/login/')).status).to.equal(200);
    } finally {
      blocker.close();
    }
  });
});
