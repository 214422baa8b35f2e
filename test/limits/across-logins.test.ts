/**
 * Limits across logins (issue 15): restarting a login does not reset the send window;
 * password guessing is braked per (user, client) and per user; starts per client. A limited
 * request gets 429 RATE_LIMITED with Retry-After, in JSON and HTML.
 */
import { expect } from 'chai';
import { oaa } from '../../lib/index.js';
import { pageLocals } from '../support/app.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { useFixture } from '../support/fixture.js';
import { oaaOptions, useOaaFixture } from '../support/oaa-fixture.js';
import type { LoginClient } from '../support/login-client.js';
import { clientFrom, cyberarkSends, headerClientKey } from './helpers.js';

function expectRateLimited(res: BrowserResponse): void {
  expect(res.status, JSON.stringify(res.json)).to.equal(429);
  expect(res.json.error.code).to.equal('RATE_LIMITED');
  expect(res.json.error.message).to.match(/too many/i);
  expect(res.json.error.details.retryAfterSeconds).to.be.a('number').greaterThan(0);
  expect(res.headers['retry-after']).to.equal(String(res.json.error.details.retryAfterSeconds));
}

const hour = 3_600_000;

describe('limits across logins', () => {
  describe('out-of-band sends per user and per client', () => {
    const f = useFixture();

    it('a restart does not reset the per-user window; the SMS is not started on its own once it is spent', async () => {
      const app = await f.startApp({ strategy: { maxResends: 10, limits: { clientKey: headerClientKey, sends: { perUser: { points: 3, durationMs: hour } } } } });
      try {
        const first = clientFrom(app.url, '192.0.2.1');
        await first.startWithPassword('bob'); // MultipleOperations: the password and the SMS in one call
        expect(first.step!.kind).to.equal('answer');
        expect((await first.act('resend')).status).to.equal(200);
        expect((await first.act('resend')).status).to.equal(200);
        expect(cyberarkSends(f.sim)).to.equal(3);
        const before = f.sim.requests.length;
        expectRateLimited(await first.act('resend'));
        expect(f.sim.requests.length).to.equal(before); // refused before any upstream call

        // Another login of bob, from another address: the SMS is offered, not sent.
        const second = clientFrom(app.url, '192.0.2.2');
        await second.startWithPassword('bob');
        expect(second.step!.kind).to.equal('select');
        expect(second.step!.mechanisms.map((m) => m.type)).to.deep.equal(['otp']);
        expect(cyberarkSends(f.sim)).to.equal(3);
        expectRateLimited(await second.select('otp'));
        expect(cyberarkSends(f.sim)).to.equal(3);

        // HTML: the same 429's Retry-After on the redirect back to the step, and the message on the page.
        const browser = new Browser(app.url, 'html');
        const post = browser.post.bind(browser);
        browser.post = (path, body, headers = {}) => post(path, body, { ...headers, 'x-test-client': '192.0.2.3' });
        const start = pageLocals((await browser.get('/login/')).text);
        const started = await browser.post('/login/start', { username: 'bob', _csrf: start.csrfToken });
        const password = pageLocals((await browser.get(started.location!)).text);
        const answered = await browser.post('/login/answer', {
          tx: password.transactionId, seq: password.step!.sequence, mechanism: password.step!.mechanisms[0]!.id, answer: 'bob-pw', _csrf: password.csrfToken,
        });
        const choice = pageLocals((await browser.get(answered.location!)).text);
        expect(choice.step!.kind).to.equal('select');
        const refused = await browser.post('/login/select', {
          tx: choice.transactionId, seq: choice.step!.sequence, mechanism: choice.step!.mechanisms[0]!.id, _csrf: choice.csrfToken,
        });
        expect(refused.status).to.equal(303);
        expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);
        const shown = pageLocals((await browser.get(refused.location!)).text);
        expect(shown.flash).to.deep.include({ code: 'RATE_LIMITED' });
        expect(cyberarkSends(f.sim)).to.equal(3);
      } finally {
        await app.close();
      }
    });

    it('sends per client count across users', async () => {
      const app = await f.startApp({ strategy: { limits: { clientKey: headerClientKey, sends: { perClient: { points: 2, durationMs: hour } } } } });
      try {
        for (const name of ['bob', 'bob']) {
          const c = clientFrom(app.url, '198.51.100.7');
          await c.startWithPassword(name);
          expect(c.step!.kind).to.equal('answer');
        }
        const c = clientFrom(app.url, '198.51.100.7');
        await c.startWithPassword('erin');
        expectRateLimited(await c.select('Text message'));
        // Another client is not affected.
        const other = clientFrom(app.url, '198.51.100.8');
        await other.startWithPassword('erin');
        expect((await other.select('Text message')).status).to.equal(200);
      } finally {
        await app.close();
      }
    });

    it('starts per client: 429 past the limit, other clients unaffected; limits: false turns it off', async () => {
      const app = await f.startApp({ strategy: { limits: { clientKey: headerClientKey, starts: { perClient: { points: 3, durationMs: 60_000 } } } } });
      const open = await f.startApp({ strategy: { limits: false } });
      try {
        for (let i = 0; i < 3; i += 1) expect((await clientFrom(app.url, '203.0.113.9').start('alice')).status).to.equal(200);
        const before = f.sim.requests.length;
        expectRateLimited(await clientFrom(app.url, '203.0.113.9').start('alice'));
        expect(f.sim.requests.length).to.equal(before);
        expect((await clientFrom(app.url, '203.0.113.10').start('alice')).status).to.equal(200);
        for (let i = 0; i < 40; i += 1) expect((await clientFrom(open.url, '203.0.113.9').start('alice')).status).to.equal(200);
      } finally {
        await app.close();
        await open.close();
      }
    });
  });

  /** Tries a password, starting a new login when the last one ended; returns the answer (or the refused start). */
  async function guess(client: LoginClient, username: string, password: string): Promise<BrowserResponse> {
    const onPassword = client.tx && client.last?.json?.step?.mechanisms?.[0]?.type === 'password';
    if (!onPassword) {
      const started = await client.start(username);
      if (started.status !== 200) return started;
    }
    return client.answer(password);
  }

  describe('password guesses (default limits)', () => {
    it('OAA verifyPassword: 300 wrong passwords from one client, then the right one, do not log in; another client is not locked out', async () => {
      const f = oaaFixture;
      let checked = 0;
      const provider = oaa(oaaOptions(f.sim, {
        firstFactor: { verifyPassword: (u, p) => { checked += 1; return f.sim.verifyPassword(u, p); } },
      }));
      const app = await f.startApp({ providerInstance: provider, strategy: { limits: { clientKey: headerClientKey } } });
      try {
        const attacker = clientFrom(app.url, '192.0.2.66');
        const statuses = new Map<number, number>();
        for (let i = 0; i < 300; i += 1) {
          const res = await guess(attacker, 'walt', `wrong-${i}`);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
        expect(checked).to.equal(10); // the default: 10 per (user, client) per 15 minutes
        expect(statuses.get(429)).to.equal(290);
        const right = await guess(attacker, 'walt', 'walt-pw');
        expectRateLimited(right);
        expect(checked).to.equal(10);
        expect((await attacker.me()).user).to.equal(null);

        const owner = clientFrom(app.url, '198.51.100.20');
        const res = await guess(owner, 'walt', 'walt-pw');
        expect(res.status, JSON.stringify(res.json)).to.equal(200);
        expect(res.json.step.kind).to.equal('done');
        expect((await owner.me()).user.username).to.equal('walt');
      } finally {
        await app.close();
      }
    });

    it('a success resets the (user, client) counter; the per-user limit holds across clients', async () => {
      const f = oaaFixture;
      const app = await f.startApp({ strategy: { limits: { clientKey: headerClientKey, guesses: { perUserAndClient: { points: 3, durationMs: hour }, perUser: { points: 5, durationMs: hour } } } } });
      try {
        const a = clientFrom(app.url, '192.0.2.70');
        for (let i = 0; i < 2; i += 1) expect((await guess(a, 'walt', 'nope')).status).to.equal(401);
        expect((await guess(a, 'walt', 'walt-pw')).json.step.kind).to.equal('done');
        const again = clientFrom(app.url, '192.0.2.70');
        for (let i = 0; i < 3; i += 1) expect((await guess(again, 'walt', 'nope')).status).to.equal(401); // 3 more: the success reset the count
        expectRateLimited(await guess(again, 'walt', 'walt-pw'));
        // Per user: 5 failures in all (2 + 3) — a third client gets one... none left.
        expectRateLimited(await guess(clientFrom(app.url, '192.0.2.71'), 'walt', 'walt-pw'));
        // Someone else is not affected.
        expect((await guess(clientFrom(app.url, '192.0.2.71'), 'uma', 'uma-pw')).status).to.be.oneOf([200, 403]);
      } finally {
        await app.close();
      }
    });

    const oaaFixture = useOaaFixture();
  });

  describe('CyberArk: wrong passwords and codes count', () => {
    const f = useFixture();
    it('wrong passwords from one client, then 429 before any upstream call', async () => {
      // Under the simulator's own lockout, so that the other client's login shows the limit is per client.
      const app = await f.startApp({ strategy: { limits: { clientKey: headerClientKey, guesses: { perUserAndClient: { points: 3, durationMs: hour } } } } });
      try {
        const c = clientFrom(app.url, '192.0.2.90');
        for (let i = 0; i < 3; i += 1) expect((await guess(c, 'alice', 'wrong')).json.error.code).to.equal('AUTH_FAILED');
        const before = f.sim.requests.length;
        expectRateLimited(await guess(c, 'alice', 'alice-pw'));
        expect(f.sim.requests.length).to.equal(before);
        expect((await guess(clientFrom(app.url, '192.0.2.91'), 'alice', 'alice-pw')).json.step.kind).to.equal('done');
      } finally {
        await app.close();
      }
    });
  });
});
