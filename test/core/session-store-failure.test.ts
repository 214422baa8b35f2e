/**
 * A session store that fails (the errors a Redis-backed store reports while Redis is away) on
 * every route, in JSON and HTML mode: 503 SESSION_STORE_UNAVAILABLE with Retry-After, the
 * page or JSON the request asked for, no stack trace, nothing for the app's error handler.
 * Failing before the upstream call means no upstream call; failing after it (the session
 * could not record what the upstream did) means `details.restart` and the upstream told to
 * drop the login. Once the store answers again, the same browser goes on without a restart.
 */
import { expect } from 'chai';
import { calls, useFixture } from '../support/fixture.js';
import { FlakyStore } from '../support/flaky-store.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { LoginClient } from '../support/login-client.js';
import { pageLocals } from '../support/app.js';
import { capturedLogs } from '../support/log-capture.js';
import { ErrorCodes, type AuditEvent, type LoginLocks } from '../../lib/index.js';

const code = 'SESSION_STORE_UNAVAILABLE';
const message = ErrorCodes.SESSION_STORE_UNAVAILABLE.message;

/** What a stack trace in a body would look like: frames, file positions, error class prefixes. */
function expectNoStackTrace(text: string): void {
  expect(text).to.not.match(/\n\s+at [\w$.<>[\] ]+ \(|\bat [\w$.<>]+ \(|\.(?:ts|js|cjs|mjs):\d+:\d+|node_modules|ClientOfflineError|ECONNREFUSED|Error: /);
}

/** 503 with Retry-After, and the stable code in the answer the mode asks for. */
function expectUnavailable(res: BrowserResponse, mode: 'json' | 'html', what: string): void {
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).to.equal(503);
  expect(Number(res.headers['retry-after']), `${what}: Retry-After`).to.be.at.least(1);
  expect(res.headers['cache-control'], what).to.equal('no-store');
  expectNoStackTrace(res.text);
  if (mode === 'json') {
    expect(res.headers['content-type'], what).to.match(/^application\/json/);
    expect(res.json.error.code, what).to.equal(code);
    expect(res.json.error.details.retryAfterSeconds, what).to.equal(Number(res.headers['retry-after']));
  } else {
    expect(res.headers['content-type'], what).to.match(/^text\/html/);
    const locals = pageLocals(res.text);
    expect(locals.error?.code ?? locals.flash?.code, what).to.equal(code);
  }
}

describe('session store failures: 503 SESSION_STORE_UNAVAILABLE on every route, nothing lost', () => {
  const store = new FlakyStore();
  const f = useFixture({ app: { sessionStore: store } });
  afterEach(() => store.up());

  /** A browser with a session and bob's login at the SMS code step. */
  async function atCodeStep(): Promise<LoginClient> {
    const client = f.client();
    await client.startWithPassword('bob');
    expect(client.step?.mechanisms[0]?.type).to.equal('otp');
    return client;
  }

  /** The same browser (cookies) in the other mode. */
  function inMode(client: LoginClient, mode: 'json' | 'html'): Browser {
    return new Browser(client.browser.baseUrl, mode, client.browser.jar);
  }

  it('the store is down when express-session loads the session: every route, JSON and HTML, 503 with no upstream call; then the login goes on', async () => {
    const client = await atCodeStep();
    const before = f.sim.requests.length;
    const errorsBefore = f.app.serverErrors.length;
    store.down();
    const form = { tx: client.tx, sequence: client.step!.sequence, _csrf: client.csrf, mechanism: client.step!.mechanisms[0]!.id };
    for (const mode of ['json', 'html'] as const) {
      const browser = inMode(client, mode);
      const requests: Array<[string, () => Promise<BrowserResponse>]> = [
        ['GET /', () => browser.get('/login/')],
        ['GET /csrf', () => browser.get('/login/csrf')],
        ['GET /step', () => browser.get(`/login/step?tx=${client.tx}`)],
        ...['start', 'select', 'answer', 'poll', 'resend', 'alternatives', 'cancel', 'start-oob', 'logout'].map((action): [string, () => Promise<BrowserResponse>] =>
          [`POST /${action}`, () => browser.post(`/login/${action}`, { ...form, username: 'bob', answer: '123456' })]),
      ];
      for (const [what, send] of requests) expectUnavailable(await send(), mode, `${mode} ${what}`);
    }
    expect(f.sim.requests.length, 'no upstream call').to.equal(before);
    expect(f.app.serverErrors.length, 'nothing reached the app error handler').to.equal(errorsBefore);
    expect(capturedLogs.some((line) => line.includes(code) && line.includes("failedAt: 'session load'") && line.includes("backendError: 'ClientOfflineError'")),
      'the debug log names where and the backend error class').to.equal(true);

    store.up();
    const done = await client.answer(f.sim.lastCode('bob', 'SMS'));
    expect(done.status).to.equal(200);
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('bob');
  });

  it('the built-in pages: a clear error page (503, the message, Start again), no stack trace', async () => {
    const app = await f.startApp({ sessionStore: store, router: { render: undefined } });
    try {
      const client = new LoginClient(app.url);
      await client.start('alice');
      store.down();
      const page = await inMode(client, 'html').post('/login/answer', { tx: client.tx, sequence: client.step!.sequence, _csrf: client.csrf, answer: 'x' });
      expect(page.status).to.equal(503);
      expect(page.headers['content-type']).to.match(/^text\/html/);
      expect(page.text).to.include(message.replace(/'/g, '&#39;'));
      expect(page.text).to.match(/data-code="SESSION_STORE_UNAVAILABLE"/);
      expect(page.text).to.include('Start again');
      expectNoStackTrace(page.text);
    } finally {
      await app.close();
    }
  });

  it('a first visit while the store is down: the CSRF token and the start page answer 503 (the lock re-reads the session)', async () => {
    store.down();
    const json = new Browser(f.app.url, 'json');
    expectUnavailable(await json.get('/login/csrf'), 'json', 'GET /csrf');
    expectUnavailable(await new Browser(f.app.url, 'html').get('/login/'), 'html', 'GET /');
    expect(await json.sessionCookie(), 'no session cookie for a session never stored').to.equal(undefined);
    store.up();
    const again = await json.get('/login/csrf');
    expect(again.status).to.equal(200);
    expect(again.json.csrfToken).to.be.a('string');
  });

  it('the new CSRF token cannot be written: 503, and the next visit gets one that works', async () => {
    store.failWhen((op) => op === 'set');
    const browser = new Browser(f.app.url, 'json');
    expectUnavailable(await browser.get('/login/csrf'), 'json', 'GET /csrf');
    store.up();
    const client = new LoginClient(f.app.url, browser);
    const started = await client.start('alice');
    expect(started.status).to.equal(200);
  });

  it('the lock backend fails: 503 before any upstream call (the step again in HTML, with the message), and the login goes on', async () => {
    let lockDown = false;
    const inProcess: LoginLocks = {
      async run(_key, fn) {
        if (lockDown) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
        return fn();
      },
    };
    const app = await f.startApp({ sessionStore: store, strategy: { locks: inProcess } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('bob');
      const before = f.sim.requests.length;
      lockDown = true;
      const json = await client.answer('000000');
      expectUnavailable(json, 'json', 'answer (JSON)');
      expect(json.json.step.sequence, 'the login goes on: its step comes with the error').to.equal(client.step!.sequence);
      const html = await inMode(client, 'html').post('/login/answer', { tx: client.tx, sequence: client.step!.sequence, _csrf: client.csrf, answer: '000000' });
      expectUnavailable(html, 'html', 'answer (HTML)');
      const locals = pageLocals(html.text);
      expect(locals.page, 'the step page again').to.equal('step');
      expect(locals.flash?.code).to.equal(code);
      expect(f.sim.requests.length, 'no upstream call').to.equal(before);
      expect(capturedLogs.some((line) => line.includes("failedAt: 'lock'") && line.includes("backendCode: 'ECONNREFUSED'"))).to.equal(true);
      lockDown = false;
      const done = await client.answer(f.sim.lastCode('bob', 'SMS'));
      expect(done.json.step.kind).to.equal('done');
    } finally {
      await app.close();
    }
  });

  it('the store fails re-reading the session under the lock: 503 before any upstream call', async () => {
    const client = await atCodeStep();
    const before = f.sim.requests.length;
    store.failWhen((op, n) => op === 'get' && n === 2); // express-session's load works, the re-read under the lock does not
    const res = await client.answer(f.sim.lastCode('bob', 'SMS'));
    expectUnavailable(res, 'json', 'answer');
    expect(res.json.error.details.restart).to.equal(undefined);
    expect(f.sim.requests.length, 'no upstream call').to.equal(before);
    store.up();
    const done = await client.answer(f.sim.lastCode('bob', 'SMS'));
    expect(done.json.step.kind).to.equal('done');
  });

  it('the session cannot be saved after the upstream accepted the password: 503 with restart, the upstream login dropped, the store as before', async () => {
    const events: AuditEvent[] = [];
    const listener = (event: AuditEvent) => events.push(event);
    f.app.strategy.events.on('event', listener);
    try {
      const client = f.client();
      await client.start('bob');
      const shown = client.step!;
      const before = calls(f.sim).length;
      store.failWhen((op) => op === 'set');
      const res = await client.answer('bob-pw');
      expectUnavailable(res, 'json', 'answer');
      expect(res.json.error.details.restart).to.equal(true);
      expect(res.json.error.message).to.match(/start again/i);
      expect(res.json.step, 'no step to go on with').to.equal(undefined);
      expect(calls(f.sim).slice(before), 'the answer, then the upstream told to drop the login').to.deep.equal(['AdvanceAuthentication', 'CleanupAuthentication']);
      expect(events.find((e) => e.type === 'login.failed')).to.include({ code });

      store.up();
      // The store kept the session from before the request: the login at the password step, nothing half-written.
      const stored = await client.browser.get(`/login/step?tx=${client.tx}`);
      expect(stored.status).to.equal(200);
      expect(stored.json.step.sequence).to.equal(shown.sequence);
      // Starting again works.
      const again = new LoginClient(f.app.url, client.browser);
      again.csrf = client.csrf;
      await again.startWithPassword('bob');
      const done = await again.answer(f.sim.lastCode('bob', 'SMS'));
      expect(done.json.step.kind).to.equal('done');
    } finally {
      f.app.strategy.events.off('event', listener);
    }
  });

  it('the store fails as passport writes the logged-in session: 503 with restart, the upstream session ended, nobody logged in', async () => {
    const events: AuditEvent[] = [];
    const listener = (event: AuditEvent) => events.push(event);
    f.app.strategy.events.on('event', listener);
    try {
      const client = f.client();
      await client.start('alice');
      const before = calls(f.sim).length;
      store.failWhen((op) => op === 'destroy'); // passport's regenerate at login
      const res = await client.answer('alice-pw');
      expectUnavailable(res, 'json', 'answer');
      expect(res.json.error.details.restart).to.equal(true);
      expect(calls(f.sim).slice(before)[0]).to.equal('AdvanceAuthentication');
      await waitFor(() => calls(f.sim).includes('Logout'));
      expect(events.some((e) => e.type === 'login.failed' && (e as { code?: string }).code === code)).to.equal(true);
      store.up();
      expect((await client.me()).user).to.equal(null);
      expect(f.app.serverErrors).to.deep.equal([]);
    } finally {
      f.app.strategy.events.off('event', listener);
    }
  });

  it('a failure after the answer was sent (the end-of-response touch) is dropped, not handed to the app', async () => {
    const client = await atCodeStep();
    const errorsBefore = f.app.serverErrors.length;
    store.failWhen((op) => op === 'touch');
    const res = await client.browser.get(`/login/step?tx=${client.tx}`);
    expect(res.status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.calls.touch).to.be.at.least(1);
    expect(f.app.serverErrors.length).to.equal(errorsBefore);
  });

  it('failWithError: the store failure goes to next(err) as a MultiStepError', async () => {
    const app = await f.startApp({ sessionStore: store, router: { failWithError: true } });
    try {
      const client = new LoginClient(app.url);
      await client.start('alice');
      store.down();
      const res = await client.answer('alice-pw');
      expect(res.status).to.equal(500); // the test app's own error handler
      expect(app.serverErrors).to.have.length(1);
      expect(app.serverErrors[0]).to.include({ code, status: 503 });
    } finally {
      await app.close();
    }
  });
});

async function waitFor(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
