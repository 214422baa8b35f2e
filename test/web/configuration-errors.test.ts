/** A missing piece of the app's setup is a CONFIGURATION error whose message names the fix. */
import { expect } from 'chai';
import connect from 'connect';
import type { IncomingMessage, ServerResponse } from 'node:http';
import session from 'express-session';
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { LoginClient } from '../support/login-client.js';
import { Browser } from '../support/browser.js';
import { listenLoopback, type Listening } from '../support/listen.js';

describe('configuration errors name the fix', () => {
  let sim: CyberArkSimulator;
  let strategy: MultiStepStrategy;
  let listening: Listening;
  const errors: Array<{ code?: string; message?: string }> = [];

  const start = async (withSession: boolean) => {
    strategy = new MultiStepStrategy({ provider: cyberark({ url: sim.url }), verify: async (p) => ({ id: p.id }) });
    const app = connect();
    if (withSession) app.use(session({ secret: 's', resave: false, saveUninitialized: false }) as connect.NextHandleFunction);
    // no passport.initialize(): req.login is missing
    app.use('/login', strategy.router());
    app.use(((error: { code?: string; message?: string }, _req: IncomingMessage, res: ServerResponse, _next: connect.NextFunction) => {
      errors.push(error);
      res.statusCode = 500;
      res.end();
    }) as connect.ErrorHandleFunction);
    listening = await listenLoopback(app as never);
  };

  before(async () => { sim = await CyberArkSimulator.start(); });
  after(async () => { await sim.close(); });
  afterEach(async () => { errors.length = 0; await listening.close(); await strategy.close(); });

  it('without express-session: "Mount express-session before the login routes"', async () => {
    await start(false);
    const res = await new Browser(listening.url, 'json').get('/login/csrf');
    expect(res.status).to.equal(500);
    expect(errors[0]?.code).to.equal('CONFIGURATION');
    expect(errors[0]?.message).to.match(/Mount express-session before the login routes/);
  });

  it('without passport.initialize(): "Mount passport.initialize()" once the upstream says the user is in', async () => {
    await start(true);
    const client = new LoginClient(listening.url);
    await client.start('alice');
    const res = await client.answer('alice-pw');
    expect(res.status).to.equal(500);
    expect(errors[0]?.code).to.equal('CONFIGURATION');
    expect(errors[0]?.message).to.match(/Mount passport\.initialize\(\)/);
  });
});
