/**
 * An app's own `render` gets its framework's request and response types (checked by
 * `npm run typecheck`), and what it returns is ignored (Express's `res.send` returns `res`).
 */
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { MultiStepStrategy, cyberark, type PageLocals } from '../../lib/index.js';
import { newPassport } from '../support/app.js';
import { Browser } from '../support/browser.js';
import { listenLoopback } from '../support/listen.js';

const page = (locals: PageLocals) => `<!doctype html><title>${locals.page}</title><p>own page: ${locals.page}</p>`;

describe('render with the app\'s framework types', () => {
  it('as router type arguments, or as parameter types, and the page is served', async () => {
    const strategy = new MultiStepStrategy({ provider: cyberark({ url: 'https://tenant.invalid' }), verify: async (p) => ({ id: p.id }) });
    const auth = newPassport();
    auth.use(strategy);
    const app = express();
    app.use(session({ secret: 's', resave: false, saveUninitialized: false }));
    app.use(auth.initialize());
    app.use('/a', strategy.router<express.Request, express.Response>({ render: (_req, res, locals) => res.send(page(locals)) }));
    app.use('/b', strategy.router({ render: (req: express.Request, res: express.Response, locals) => res.type('html').send(`${page(locals)}${req.baseUrl}`) }));
    const listening = await listenLoopback(app);
    try {
      const browser = new Browser(listening.url, 'html');
      expect((await browser.get('/a/')).text).to.include('own page: start');
      const b = await browser.get('/b/');
      expect(b.text).to.include('own page: start').and.include('/b');
      expect(b.headers['cache-control']).to.equal('no-store');
    } finally {
      await listening.close();
      await strategy.close();
    }
  });
});
