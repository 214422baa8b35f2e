/** A `secure` session cookie over plain HTTP: the log says why no login can work. */
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { resetInsecureCookieWarning } from '../../lib/web/insecure-cookie.js';
import { newPassport } from '../support/app.js';
import { Browser } from '../support/browser.js';
import { listenLoopback, type Listening } from '../support/listen.js';

describe('secure session cookie over plain HTTP', () => {
  let sim: CyberArkSimulator;
  let listening: Listening;
  let strategy: MultiStepStrategy;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => { warnings.push(warning); };

  before(async () => {
    sim = await CyberArkSimulator.start();
    const app = express();
    const auth = newPassport();
    strategy = new MultiStepStrategy({ provider: cyberark({ url: sim.url }), verify: async (p) => ({ id: p.id }) });
    auth.use(strategy);
    // The trap: `secure: true` on http://localhost. The browser never stores the cookie.
    app.use(session({ secret: 's', resave: false, saveUninitialized: false, cookie: { secure: true } }) as express.RequestHandler);
    app.use(auth.initialize() as express.RequestHandler);
    app.use(auth.session() as express.RequestHandler);
    app.use('/login', strategy.router());
    listening = await listenLoopback(app);
    process.on('warning', onWarning);
    resetInsecureCookieWarning();
  });
  after(async () => {
    process.off('warning', onWarning);
    await listening.close();
    await strategy.close();
    await sim.close();
  });

  it('warns once with MULTISTEP_INSECURE_COOKIE, and the page says the form expired instead of silently starting over', async () => {
    const browser = new Browser(listening.url, 'html');
    const page = await browser.get('/login/');
    expect(page.status).to.equal(200);
    expect(await browser.sessionCookie()).to.equal(undefined); // no cookie over http
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const first = await browser.post('/login/start', { username: 'alice', _csrf: token });
    await browser.post('/login/start', { username: 'alice', _csrf: token });
    await new Promise((resolve) => setImmediate(resolve));
    const ours = warnings.filter((w) => (w as { code?: string }).code === 'MULTISTEP_INSECURE_COOKIE');
    expect(ours).to.have.length(1);
    expect(ours[0]!.message).to.match(/secure/).and.match(/trust proxy/);
    expect(first.status).to.equal(403);
    expect(first.text).to.include('role="alert"');
  });
});
