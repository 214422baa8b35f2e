/** With passport 0.5 (no regeneration in req.login), the session id still changes at login. */
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import passport05 from 'passport05';
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { LoginClient } from '../support/login-client.js';
import { listenLoopback, type Listening } from '../support/listen.js';

describe('passport 0.5', () => {
  let sim: CyberArkSimulator;
  let listening: Listening;
  let strategy: MultiStepStrategy;
  before(async () => {
    sim = await CyberArkSimulator.start();
    const auth = new (passport05 as unknown as { Passport: new () => typeof passport05 }).Passport();
    auth.serializeUser((user: unknown, done: (e: unknown, u: unknown) => void) => done(null, user));
    auth.deserializeUser((user: unknown, done: (e: unknown, u: unknown) => void) => done(null, user));
    strategy = new MultiStepStrategy({ provider: cyberark({ url: sim.url }), verify: async (p) => ({ id: p.id, username: p.username }) });
    auth.use(strategy as never);
    const app = express();
    app.use(session({ secret: 's', resave: false, saveUninitialized: false }) as express.RequestHandler);
    app.use(auth.initialize() as express.RequestHandler);
    app.use(auth.session() as express.RequestHandler);
    app.use('/login', strategy.router());
    app.get('/me', (req, res) => { res.json({ user: req.user ?? null }); });
    listening = await listenLoopback(app);
  });
  after(async () => { await listening.close(); await strategy.close(); await sim.close(); });

  it('regenerates the session itself and keeps the user logged in', async () => {
    const client = new LoginClient(listening.url);
    await client.start('alice');
    const before = await client.browser.sessionCookie();
    expect(before).to.be.a('string');
    const done = await client.answer('alice-pw');
    expect(done.json.step.kind).to.equal('done');
    const after = await client.browser.sessionCookie();
    expect(after).to.be.a('string').and.not.equal(before);
    expect((await client.me()).user.username).to.equal('alice');
  });
});
