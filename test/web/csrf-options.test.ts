/** CSRF interop: renamed field and header; relying on the app's own csurf. */
import { expect } from 'chai';
import csurf from 'csurf';
import express from 'express';
import session from 'express-session';
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { newPassport, startApp, testRender, type TestApp } from '../support/app.js';
import { Browser } from '../support/browser.js';
import { listenLoopback, type Listening } from '../support/listen.js';

describe('CSRF options', () => {
  let sim: CyberArkSimulator;
  before(async () => { sim = await CyberArkSimulator.start(); });
  after(async () => { await sim.close(); });

  describe('renamed field and header', () => {
    let app: TestApp;
    before(async () => { app = await startApp({ upstreamUrl: sim.url, router: { csrf: { field: 'ms_csrf', header: 'X-Login-Token' } } }); });
    after(async () => { await app.close(); });

    it('accepts the token only under the configured names', async () => {
      const browser = new Browser(app.url, 'json');
      const token = (await browser.get('/login/csrf')).json.csrfToken as string;
      const wrongName = await browser.post('/login/start', { username: 'alice', _csrf: token });
      expect(wrongName.status).to.equal(403);
      expect(wrongName.json.error.code).to.equal('CSRF_INVALID');
      const byField = await browser.post('/login/start', { username: 'alice', ms_csrf: token });
      expect(byField.status).to.equal(200);
      expect(byField.json.step.kind).to.equal('answer');
      const byHeader = await browser.post('/login/answer', {
        tx: byField.json.transactionId, sequence: byField.json.step.sequence, mechanism: byField.json.step.mechanisms[0].id, answer: 'alice-pw',
      }, { 'x-login-token': token });
      expect(byHeader.status).to.equal(200);
      expect(byHeader.json.step.kind).to.equal('done');
    });

    it('gives pages the field name to post the token in', async () => {
      const browser = new Browser(app.url, 'html');
      const page = await browser.get('/login/');
      expect(page.text).to.include('"csrfField":"ms_csrf"');
    });
  });

  describe('a global csurf in front of the routes', () => {
    let listening: Listening;
    let strategy: MultiStepStrategy;
    const start = async (useAppMiddleware: boolean) => {
      const app = express();
      const auth = newPassport();
      strategy = new MultiStepStrategy({ provider: cyberark({ url: sim.url }), verify: async (p) => ({ id: p.id, username: p.username }) });
      auth.use(strategy);
      app.use(session({ secret: 's', resave: false, saveUninitialized: false }) as express.RequestHandler);
      app.use(express.urlencoded({ extended: false }), express.json());
      app.use(csurf() as unknown as express.RequestHandler); // legacy apps mount it for every route
      app.use(auth.initialize() as express.RequestHandler);
      app.use(auth.session() as express.RequestHandler);
      app.get('/token', (req, res) => { res.json({ token: req.csrfToken() }); });
      app.use('/login', strategy.router({ render: testRender, successRedirect: '/me', ...(useAppMiddleware ? { csrf: { useAppMiddleware: true } } : {}) }));
      app.get('/me', (req, res) => { res.json({ user: req.user ?? null }); });
      app.use((error: { code?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(error.code === 'EBADCSRFTOKEN' ? 403 : 500).json({ error: error.code ?? 'ERROR', message: error.message });
      });
      listening = await listenLoopback(app);
    };
    afterEach(async () => { await listening.close(); await strategy.close(); });

    it('without the option, csurf refuses the routes\' own token', async () => {
      await start(false);
      const browser = new Browser(listening.url, 'json');
      const ours = (await browser.get('/login/csrf')).json.csrfToken as string;
      const res = await browser.post('/login/start', { username: 'alice', _csrf: ours });
      expect(res.status).to.equal(403);
      expect(res.json.error).to.equal('EBADCSRFTOKEN');
    });

    it('with useAppMiddleware, the routes hand out csurf\'s token and the login completes', async () => {
      await start(true);
      const browser = new Browser(listening.url, 'json');
      const token = (await browser.get('/login/csrf')).json.csrfToken as string;
      const started = await browser.post('/login/start', { username: 'alice', _csrf: token });
      expect(started.status, started.text).to.equal(200);
      const done = await browser.post('/login/answer', {
        tx: started.json.transactionId, sequence: started.json.step.sequence, mechanism: started.json.step.mechanisms[0].id, answer: 'alice-pw', _csrf: started.json.csrfToken,
      });
      expect(done.json.step.kind).to.equal('done');
      expect((await browser.get('/me')).json.user.username).to.equal('alice');
      // csurf still guards the routes: a forged post fails in csurf, before the routes.
      const forged = await new Browser(listening.url, 'json').post('/login/start', { username: 'alice', _csrf: 'forged' });
      expect(forged.status).to.equal(403);
    });

    it('with useAppMiddleware but no CSRF middleware, CONFIGURATION names the fix', async () => {
      const app = express();
      const auth = newPassport();
      strategy = new MultiStepStrategy({ provider: cyberark({ url: sim.url }), verify: async (p) => ({ id: p.id }) });
      auth.use(strategy);
      const errors: Array<{ code?: string; message?: string }> = [];
      app.use(session({ secret: 's', resave: false, saveUninitialized: false }) as express.RequestHandler);
      app.use(auth.initialize() as express.RequestHandler);
      app.use('/login', strategy.router({ csrf: { useAppMiddleware: true } }));
      app.use((error: { code?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        errors.push(error);
        res.status(500).end();
      });
      listening = await listenLoopback(app);
      const res = await new Browser(listening.url, 'json').get('/login/csrf');
      expect(res.status).to.equal(500);
      expect(errors[0]?.code).to.equal('CONFIGURATION');
      expect(errors[0]?.message).to.match(/mount your CSRF middleware/);
    });
  });
});
