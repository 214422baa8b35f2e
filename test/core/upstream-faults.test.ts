import { expect } from 'chai';
import { startApp, type TestApp } from '../support/app.js';
import { useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';
import type { SimFault } from '../../lib/testing/index.js';

describe('upstream faults give a clear error, keep the login retryable, and the app keeps serving', () => {
  const f = useFixture();
  let fast: TestApp;
  before(async () => {
    fast = await startApp({
      upstreamUrl: f.sim.url,
      strategy: { pollIntervalMs: 20, http: { headersTimeoutMs: 150, bodyTimeoutMs: 150, requestTimeoutMs: 400, maxResponseBytes: 64 * 1024 } },
    });
  });
  after(async () => { await fast.close(); });

  const cases: Array<[string, SimFault, number, string]> = [
    ['HTTP 500', { kind: 'status', status: 500 }, 502, 'UPSTREAM_UNAVAILABLE'],
    ['HTTP 502', { kind: 'status', status: 502 }, 502, 'UPSTREAM_UNAVAILABLE'],
    ['HTTP 503', { kind: 'status', status: 503 }, 502, 'UPSTREAM_UNAVAILABLE'],
    ['an HTML page with 200', { kind: 'html' }, 502, 'UPSTREAM_BAD_RESPONSE'],
    ['truncated JSON', { kind: 'truncated' }, 502, 'UPSTREAM_BAD_RESPONSE'],
    ['an oversized body', { kind: 'oversized', bytes: 200 * 1024 }, 502, 'UPSTREAM_BAD_RESPONSE'],
    ['headers that never come', { kind: 'hang' }, 504, 'UPSTREAM_TIMEOUT'],
    ['a body slower than the timeout', { kind: 'slowBody', delayMs: 1000 }, 504, 'UPSTREAM_TIMEOUT'],
    ['a connection reset', { kind: 'reset' }, 502, 'UPSTREAM_UNAVAILABLE'],
  ];

  for (const [name, fault, status, code] of cases) {
    it(`${name} → ${status} ${code}, then the same step succeeds on retry`, async () => {
      const client = new LoginClient(fast.url);
      await client.start('alice');
      f.sim.injectFault(fault, { path: 'AdvanceAuthentication' });
      const failed = await client.answer('alice-pw');
      expect(failed.status).to.equal(status);
      expect(failed.json.error.code).to.equal(code);
      expect(failed.json.error.message).to.be.a('string').and.not.match(/<html|alice-pw/i);
      expect(failed.json.step.kind).to.equal('answer'); // the transaction survived for a retry
      f.sim.clearFaults();
      // The simulator may have processed the request before the fault (slow body): a fresh start is then needed.
      const retried = await client.answer('alice-pw');
      if (retried.status !== 200) {
        expect(retried.json.error.code).to.equal('AUTH_FAILED');
        await client.startWithPassword('alice');
      }
      expect(client.last!.json.step.kind).to.equal('done');
      expect(fast.serverErrors).to.have.length(0);
    });
  }

  it('a fault at start leaves no transaction and the start page gets the message (HTML mode)', async () => {
    const { Browser } = await import('../support/browser.js');
    const { pageLocals } = await import('../support/app.js');
    const browser = new Browser(fast.url, 'html');
    const page = pageLocals((await browser.get('/login/')).text);
    f.sim.injectFault({ kind: 'status', status: 503 }, { path: 'StartAuthentication' });
    const res = await browser.post('/login/start', { username: 'alice', _csrf: page.csrfToken });
    expect(res.status).to.equal(303);
    expect(res.location).to.equal('/login/');
    const again = pageLocals((await browser.get('/login/')).text);
    expect(again.flash).to.deep.include({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(again.username).to.equal('alice');
  });

  it('connection refused → 502 UPSTREAM_UNAVAILABLE', async () => {
    const app = await startApp({ upstreamUrl: 'http://127.0.0.1:9' });
    try {
      const client = new LoginClient(app.url);
      const res = await client.start('alice');
      expect(res.status).to.equal(502);
      expect(res.json.error.code).to.equal('UPSTREAM_UNAVAILABLE');
      expect((await client.browser.get('/me')).status).to.equal(200);
    } finally {
      await app.close();
    }
  });
});
