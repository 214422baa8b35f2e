/**
 * Redis goes away in the middle of a login, with the documented setup itself:
 * examples/redis/server.ts (connect-redis + node-redis + redisLocks, its Redis client options
 * and `login.storeErrors`) as a child process, a real redis-server, the CyberArk simulator.
 *
 * The reporter's case: alice starts a login (JSON), Redis stops, the password step is sent.
 * It must get 503 SESSION_STORE_UNAVAILABLE at once (well within the lock wait), as JSON, and a
 * clear page in HTML; no upstream call, no stack trace, nothing for the app's error handler,
 * no unhandled rejection. Redis comes back (without persistence: the session is gone): the
 * browser's next request works and a new login finishes, with no app restart.
 */
import { expect } from 'chai';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { ErrorCodes } from '../../lib/index.js';
import { Browser, type BrowserResponse } from '../support/browser.js';
import { requireRedisOrSkip, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startAppInstance, type AppInstance } from './cluster.js';

/** The example's lock wait (redisLocks waitMs in examples/redis/server.ts). */
const exampleLockWaitMs = 15_000;
const code = 'SESSION_STORE_UNAVAILABLE';

function expectNoStackTrace(text: string): void {
  expect(text).to.not.match(/\n\s+at [\w$.<>[\] ]+ \(|\bat [\w$.<>]+ \(|\.(?:ts|js|cjs|mjs):\d+:\d+|node_modules|EventTarget|abortSignal|Error: /);
}

function expectUnavailable(res: BrowserResponse, mode: 'json' | 'html', what: string): void {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).to.equal(503);
  expect(Number(res.headers['retry-after']), `${what}: Retry-After`).to.be.at.least(1);
  expectNoStackTrace(res.text);
  if (mode === 'json') {
    expect(res.headers['content-type'], what).to.match(/^application\/json/);
    expect(res.json?.error?.code, what).to.equal(code);
    expect(res.json.error.message, what).to.equal(ErrorCodes[code].message);
  } else {
    expect(res.headers['content-type'], what).to.match(/^text\/html/);
    expect(res.text, what).to.include('data-code="SESSION_STORE_UNAVAILABLE"');
    expect(res.text, what).to.include(ErrorCodes[code].message.replace(/'/g, '&#39;'));
  }
}

/** Polls until `probe` says yes (within `ms`); returns how long it took. */
async function waitUntil(probe: () => Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('scale-out: Redis stops mid-login, with examples/redis/server.ts', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let sim: CyberArkSimulator;
  let app: AppInstance;
  /** The browser of the login, JSON and HTML sharing one cookie jar. */
  let json: Browser;
  let html: Browser;
  let csrf = '';
  let tx = '';
  let step: { sequence: number; mechanisms: Array<{ id: string }> };

  before(async function () {
    requireRedisOrSkip(this, 'the Redis outage tests');
    redis = await startRedisServer();
    sim = await CyberArkSimulator.start();
    app = await startAppInstance('example', {
      REDIS_URL: redis.url, SESSION_SECRET: 'outage-test-secret', CYBERARK_URL: sim.url, PORT: '0', HOST: '127.0.0.1',
      DEBUG: 'passport-multistep:*', DEBUG_COLORS: 'no',
    }, 'examples/redis/server.ts');
    json = new Browser(app.url, 'json');
    html = new Browser(app.url, 'html', json.jar);
  });

  after(async () => {
    await app?.stop();
    await sim?.close();
    await redis?.stop();
  });

  it('answers 503 SESSION_STORE_UNAVAILABLE within the lock wait, as JSON and as a page, with no upstream call and no stack trace', async () => {
    csrf = (await json.get('/login/csrf')).json.csrfToken;
    const started = await json.post('/login/start', { username: 'alice', _csrf: csrf });
    expect(started.status).to.equal(200);
    ({ transactionId: tx, step } = started.json);
    const upstreamBefore = sim.requests.length;

    await redis.kill();
    const form = { tx, sequence: step.sequence, mechanism: step.mechanisms[0]!.id, answer: 'alice-pw', _csrf: csrf };
    const sent = Date.now();
    const answer = await json.post('/login/answer', form);
    const tookMs = Date.now() - sent;
    expectUnavailable(answer, 'json', 'the password step (JSON)');
    expect(tookMs, 'within the lock wait').to.be.below(exampleLockWaitMs);
    expect(tookMs, 'at once: the Redis client fails fast').to.be.below(2_500);
    console.log(`      503 after ${tookMs} ms (lock waitMs ${exampleLockWaitMs} ms)`);

    expectUnavailable(await html.post('/login/answer', form), 'html', 'the password step (HTML)');
    expectUnavailable(await html.get(`/login/step?tx=${tx}`), 'html', 'the step page');
    expectUnavailable(await json.get('/login/csrf'), 'json', 'GET /login/csrf');
    const appPage = await json.get('/');
    expect(appPage.status, "the app's own page").to.equal(503);
    expectNoStackTrace(appPage.text);
    expect(sim.requests.length, 'no upstream call').to.equal(upstreamBefore);

    expect(app.exited(), 'the app is still running').to.equal(undefined);
    const output = app.output();
    expect(output).to.not.match(/unhandled|UnhandledPromiseRejection/i);
    expect(output, 'the debug log names where the store failed and the client error class')
      .to.match(/request failed .*SESSION_STORE_UNAVAILABLE.*failedAt: 'session load'.*backendError: '(ClientOfflineError|SocketClosedUnexpectedlyError|ClientClosedError)'/);
    expect(output, 'no session id or cookie in the log').to.not.include(csrf);
  });

  it('Redis is back (no persistence): the same browser\'s next request works and a new login finishes, without an app restart', async () => {
    redis = await startRedisServer({ port: redis.port });
    const restarted = Date.now();
    // The app's Redis client reconnects on its own (reconnectStrategy: at most ~1 s between attempts).
    const recoveredMs = await waitUntil(async () => (await new Browser(app.url, 'json').get('/login/csrf')).status === 200, 10_000, 'the app recovers');
    console.log(`      the app answered again ${recoveredMs} ms after Redis was back`);

    // The session did not survive (no persistence): the old login is gone, the next request says so, not 5xx.
    const old = await json.post('/login/answer', { tx, sequence: step.sequence, mechanism: step.mechanisms[0]!.id, answer: 'alice-pw', _csrf: csrf });
    expect(old.status, old.text).to.be.within(400, 499);
    expect(old.json.error.code).to.be.oneOf(['CSRF_INVALID', 'TRANSACTION_NOT_FOUND']);

    const token = await json.get('/login/csrf');
    expect(token.status).to.equal(200);
    const again = await json.post('/login/start', { username: 'alice', _csrf: token.json.csrfToken });
    expect(again.status).to.equal(200);
    const done = await json.post('/login/answer', {
      tx: again.json.transactionId, sequence: again.json.step.sequence, mechanism: again.json.step.mechanisms[0].id, answer: 'alice-pw', _csrf: token.json.csrfToken,
    });
    expect(done.status, done.text).to.equal(200);
    expect(done.json.step.kind).to.equal('done');
    expect((await json.get('/')).json.user.username).to.equal('alice');
    expect(Date.now() - restarted).to.be.below(10_000);
    expect(app.exited()).to.equal(undefined);
    expect(app.output()).to.not.match(/unhandled|UnhandledPromiseRejection/i);
  });
});
