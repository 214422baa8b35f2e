import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { MultiStepStrategy, cyberark, stepResultOf, type VerifyDone } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { Browser } from '../support/browser.js';
import { listenLoopback, type Listening } from '../support/listen.js';
import { newPassport } from '../support/app.js';

/** The strategy used the classic way: one app route with passport.authenticate, the action in the body. */
describe('standalone passport.authenticate on a single route', () => {
  let sim: CyberArkSimulator;
  let server: Listening;
  let url: string;
  let strategy: MultiStepStrategy;
  const verifyCalls: Array<{ hasReq: boolean; username: string }> = [];

  before(async () => {
    sim = await CyberArkSimulator.start();
    const app = express();
    const auth = newPassport();
    strategy = new MultiStepStrategy({
      name: 'corp',
      provider: cyberark({ url: sim.url }),
      passReqToCallback: true,
      verify: (req: express.Request, profile, _tokens, done: VerifyDone) => {
        verifyCalls.push({ hasReq: typeof req.get === 'function', username: profile.username });
        if (profile.username === 'carol') return done(null, false); // not allowed in this app
        if (profile.username === 'frank') return done(new Error('directory down'));
        done(null, { id: profile.id, username: profile.username });
      },
    });
    auth.use(strategy);
    app.use(session({ secret: 's', resave: false, saveUninitialized: false }) as express.RequestHandler);
    app.use(express.json());
    app.use(auth.initialize() as express.RequestHandler);
    app.use(auth.session() as express.RequestHandler);
    app.get('/csrf', (req, res) => { res.json({ csrfToken: strategy.csrfToken(req) }); });
    app.post('/auth', strategy.csrf(),
      auth.authenticate('corp', { successRedirect: '/me', failureMessage: true, failureRedirect: '/failed' }) as express.RequestHandler,
      (req, res) => { res.json(stepResultOf(req)); });
    app.get('/me', (req, res) => { res.json({ user: req.user ?? null }); });
    app.get('/failed', (req, res) => { res.json({ messages: (req.session as { messages?: string[] }).messages ?? [] }); });
    app.use((err: { status?: number; code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.status ?? 500).json({ code: err.code ?? 'INTERNAL' });
    });
    server = await listenLoopback(app);
    url = server.url;
  });
  after(async () => {
    await server.close();
    await strategy.close();
    await sim.close();
  });

  async function begin(username: string) {
    const browser = new Browser(url, 'json');
    const csrf = (await browser.get('/csrf')).json.csrfToken as string;
    const started = await browser.post('/auth', { action: 'start', username, _csrf: csrf });
    return { browser, csrf, started };
  }

  it('pass()es intermediate steps to the next handler and success()es with a regenerated session', async () => {
    const { browser, csrf, started } = await begin('alice');
    expect(started.status).to.equal(200);
    expect(started.json.step.kind).to.equal('answer');
    const { transactionId, step } = started.json;
    const before = await browser.sessionCookie();
    const done = await browser.post('/auth', { action: 'answer', tx: transactionId, sequence: step.sequence, mechanism: step.mechanisms[0].id, answer: 'alice-pw', _csrf: csrf });
    expect(done.status).to.equal(302);
    expect(done.location).to.equal('/me');
    expect(await browser.sessionCookie()).to.not.equal(before);
    expect((await browser.get('/me')).json.user.username).to.equal('alice');
    expect(verifyCalls.at(-1)).to.deep.equal({ hasReq: true, username: 'alice' });
  });

  it('fail()s a wrong password to failureRedirect with failureMessage', async () => {
    const { browser, csrf, started } = await begin('alice');
    const { transactionId, step } = started.json;
    const failed = await browser.post('/auth', { action: 'answer', tx: transactionId, sequence: step.sequence, mechanism: step.mechanisms[0].id, answer: 'nope', _csrf: csrf });
    expect(failed.status).to.equal(302);
    expect(failed.location).to.equal('/failed');
    expect((await browser.get('/failed')).json.messages[0]).to.match(/sign-in failed/i);
  });

  it('a verify that refuses the user (false) fails the login', async () => {
    const { browser, csrf, started } = await begin('carol');
    const { transactionId, step } = started.json;
    await browser.post('/auth', { action: 'answer', tx: transactionId, sequence: step.sequence, mechanism: step.mechanisms[0].id, answer: 'carol-pw', _csrf: csrf });
    sim.approvePush('carol');
    const done = await browser.post('/auth', { action: 'poll', tx: transactionId, _csrf: csrf });
    expect(done.status).to.equal(302);
    expect(done.location).to.equal('/failed');
    expect((await browser.get('/me')).json.user).to.equal(null);
  });

  it('a verify error reaches the app error handler (not a crash)', async () => {
    const { browser, csrf, started } = await begin('frank');
    const { transactionId, step } = started.json;
    const reset = await browser.post('/auth', { action: 'answer', tx: transactionId, sequence: step.sequence, mechanism: step.mechanisms[0].id, answer: 'frank-pw', _csrf: csrf });
    const next = reset.json.step;
    const res = await browser.post('/auth', { action: 'answer', tx: transactionId, sequence: next.sequence, mechanism: next.mechanisms[0].id, answer: 'Brand-new-pass1', _csrf: csrf });
    expect(res.status).to.equal(500);
  });

  it('an upstream outage goes to the error handler with its status and code', async () => {
    sim.injectFault({ kind: 'status', status: 503 });
    const { started } = await begin('alice');
    expect(started.status).to.equal(502);
    expect(started.json.code).to.equal('UPSTREAM_UNAVAILABLE');
  });

  it('strategy.csrf() refuses a POST without the token', async () => {
    const browser = new Browser(url, 'json');
    const res = await browser.post('/auth', { action: 'start', username: 'alice' });
    expect(res.status).to.equal(403);
    expect(res.json.code).to.equal('CSRF_INVALID');
  });
});
