/** The routes inside a bare `http.createServer`, no framework at all: pages, assets, 404 and 500. */
import { expect } from 'chai';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import session from 'express-session';
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { Browser } from '../support/browser.js';

describe('routes in a bare http server', () => {
  const strategy = new MultiStepStrategy({ provider: cyberark({ url: 'https://tenant.invalid' }), verify: async (p) => ({ id: p.id }) });
  const routes = strategy.router();
  const sessions = session({ secret: 's', resave: false, saveUninitialized: false });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/nosession/')) {
      req.url = req.url.slice('/nosession'.length); // no session middleware: 500, no details
      return routes(req, res);
    }
    sessions(req as never, res as never, () => routes(req, res));
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await strategy.close();
  });

  it('serves the start page at the root and its content-hashed assets', async () => {
    const browser = new Browser(url, 'html');
    const page = await browser.get('/');
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    const form = /<form method="post" action="([^"]+)"/.exec(page.text);
    expect(form?.[1]).to.equal('/start');
    const assets = [...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).to.have.length.greaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await browser.get(asset);
      expect(res.status, asset).to.equal(200);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['cache-control']).to.match(/immutable/);
    }
    const head = await browser.send('HEAD', '/csrf');
    expect(head.status).to.equal(200);
    expect(head.text).to.equal('');
  });

  it('answers 404 for other paths and a bare 500 for a missing session', async () => {
    const browser = new Browser(url, 'json');
    expect((await browser.get('/nothing-here')).status).to.equal(404);
    expect((await browser.get('/assets/pages-000000.css')).status).to.equal(404);
    const broken = await browser.get('/nosession/csrf');
    expect(broken.status).to.equal(500);
    expect(broken.text).to.equal('Internal Server Error');
  });
});
