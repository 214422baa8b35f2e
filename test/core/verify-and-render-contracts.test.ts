import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { Browser } from '../support/browser.js';
import { listenLoopback, type Listening } from '../support/listen.js';
import { newPassport } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';

/** Mistakes apps make in their callbacks end in a clear answer, never a hung request or a crash. */
describe('verify and render contracts', () => {
  let sim: CyberArkSimulator;
  let server: Listening;
  let url: string;
  const errors: unknown[] = [];

  before(async () => {
    sim = await CyberArkSimulator.start();
    const app = express();
    const auth = newPassport();
    // An async verify that forgets to return for bob.
    const strategy = new MultiStepStrategy({
      provider: cyberark({ url: sim.url }),
      verify: async (profile) => (profile.username === 'bob' ? undefined : { id: profile.id }),
    });
    auth.use(strategy);
    app.use(session({ secret: 's', resave: false, saveUninitialized: false }) as express.RequestHandler);
    app.use(auth.initialize() as express.RequestHandler);
    app.use(auth.session() as express.RequestHandler);
    app.use(express.json());
    app.use('/login', strategy.router({ render: async () => { throw new Error('template broke'); } }));
    app.post('/flash', auth.authenticate('multistep', { failureFlash: true, failureRedirect: '/x' }) as express.RequestHandler);
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status(500).json({ error: 'internal' });
    });
    server = await listenLoopback(app);
    url = server.url;
  });
  after(async () => {
    await server.close();
    await sim.close();
  });

  it('an async verify resolving undefined refuses the user (VERIFY_FAILED), it does not hang', async () => {
    const client = new LoginClient(url);
    await client.startWithPassword('bob');
    const res = await client.answer(sim.lastCode('bob'));
    expect(res.status).to.equal(401);
    expect(res.json.error.code).to.equal('VERIFY_FAILED');
  });

  it('a render that rejects reaches the app error handler', async () => {
    const res = await new Browser(url, 'html').get('/login/');
    expect(res.status).to.equal(500);
    expect(String(errors.at(-1))).to.match(/template broke/);
  });

  it('passport failureFlash without connect-flash reaches the error handler instead of hanging', async () => {
    const browser = new Browser(url, 'json');
    const res = await browser.post('/flash', { action: 'answer', tx: 'A'.repeat(22), sequence: 1, mechanism: 'c1m1', answer: 'x' });
    expect(res.status).to.equal(500);
    expect(String(errors.at(-1))).to.match(/flash/);
  });
});
