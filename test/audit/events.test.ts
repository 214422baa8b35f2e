import { expect } from 'chai';
import type { AuditEvent } from '../../lib/index.js';
import { startApp } from '../support/app.js';
import { useFixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';
import type { Profile } from '../../lib/provider.js';

/** The common fields every event must have. */
function expectCommon(event: AuditEvent, type: string): void {
  expect(event.type).to.equal(type);
  expect(new Date(event.time).toISOString()).to.equal(event.time);
  expect(event.requestId).to.match(/^[A-Za-z0-9._-]{1,128}$/);
  expect(event.ip).to.be.a('string').and.match(/127\.0\.0\.1/);
  expect(event.provider).to.equal('cyberark');
  expect(event.strategy).to.equal('multistep');
  expect(Object.isFrozen(event)).to.equal(true);
}

describe('audit events (CyberArk)', () => {
  let profile: Profile | undefined;
  const f = useFixture({ app: { onVerify: (p) => { profile = p; } } });
  let events: AuditEvent[] = [];
  const listener = (event: AuditEvent) => { events.push(event); };
  beforeEach(() => {
    events = [];
    profile = undefined;
    f.app.strategy.events.on('event', listener);
  });
  afterEach(() => { f.app.strategy.events.off('event', listener); });
  const types = () => events.map((e) => e.type);

  it('an SMS login: login.started, code.sent, login.succeeded with the upstream user id', async () => {
    const client = f.client();
    await client.start('bob');
    await client.answer('bob-pw');
    await client.answer(f.sim.lastCode('bob'));
    expect(client.last!.json.step.kind).to.equal('done');
    expect(types()).to.deep.equal(['login.started', 'code.sent', 'login.succeeded']);
    const [started, sent, succeeded] = events as [AuditEvent, AuditEvent, AuditEvent];
    expectCommon(started, 'login.started');
    expect(started).to.include({ username: 'bob', action: 'start', transactionId: client.tx });
    expectCommon(sent, 'code.sent');
    expect(sent).to.include({ username: 'bob', action: 'answer', mechanism: 'otp', resend: false, transactionId: client.tx });
    expectCommon(succeeded, 'login.succeeded');
    expect(succeeded).to.include({ username: 'bob', transactionId: client.tx, userId: profile!.id });
    expect(profile!.id).to.be.a('string').and.not.equal('');
    // One request id per request, a new one for each request.
    expect(new Set(events.map((e) => e.requestId)).size).to.equal(3);
  });

  it('a resend: code.sent with resend true', async () => {
    const client = f.client();
    await client.startWithPassword('bob');
    events = [];
    await client.act('resend');
    expect(types()).to.deep.equal(['code.sent']);
    expect(events[0]).to.include({ action: 'resend', resend: true, mechanism: 'otp' });
  });

  it('a wrong code: answer.rejected with the code, then login.failed', async () => {
    const client = f.client();
    await client.startWithPassword('bob');
    events = [];
    const failed = await client.answer('999999');
    const code = failed.json.error.code as string;
    expect(code).to.be.a('string');
    expect(types()).to.include('answer.rejected');
    const rejected = events.find((e) => e.type === 'answer.rejected')!;
    expectCommon(rejected, 'answer.rejected');
    expect(rejected).to.include({ code, mechanism: 'otp', username: 'bob', action: 'answer', transactionId: client.tx });
    if (failed.json.step === undefined) {
      expect(types()).to.deep.equal(['answer.rejected', 'login.failed']);
      expect(rejected).to.include({ retry: false });
      expect(events[1]).to.include({ code, username: 'bob', transactionId: client.tx });
    } else {
      expect(types()).to.deep.equal(['answer.rejected']);
      expect(rejected).to.include({ retry: true });
    }
  });

  it('a wrong password: answer.rejected (mechanism password) and login.failed AUTH_FAILED', async () => {
    const client = f.client();
    await client.start('alice');
    events = [];
    await client.answer('wrong-password');
    expect(types()).to.deep.equal(['answer.rejected', 'login.failed']);
    expect(events[0]).to.include({ code: 'AUTH_FAILED', mechanism: 'password', retry: false });
    expect(events[1]).to.include({ code: 'AUTH_FAILED', username: 'alice' });
  });

  it('a push: push.sent', async () => {
    const client = f.client();
    await client.start('carol');
    await client.answer('carol-pw');
    const sent = events.find((e) => e.type === 'push.sent' || e.type === 'code.sent');
    expect(sent, JSON.stringify(events)).to.not.equal(undefined);
    expect(sent!.type).to.equal('push.sent');
    expect(sent).to.include({ mechanism: 'push', resend: false, username: 'carol' });
  });

  it('a choice: method.chosen, then what the chosen method sent', async () => {
    const client = f.client();
    await client.start('erin');
    await client.answer('erin-pw');
    expect(client.step!.kind).to.equal('select');
    events = [];
    await client.select('Text message');
    expect(types()).to.deep.equal(['method.chosen', 'code.sent']);
    expect(events[0]).to.include({ mechanism: 'otp', action: 'select', username: 'erin' });
    expect(events[1]).to.include({ type: 'code.sent', mechanism: 'otp', action: 'select', resend: false });
  });

  it('an authenticator app code sends nothing: method.chosen only', async () => {
    const client = f.client();
    await client.startWithPassword('erin');
    events = [];
    await client.select('Authenticator app');
    expect(client.step!.kind).to.equal('answer');
    expect(types()).to.deep.equal(['method.chosen']);
  });

  it('a cancel: login.cancelled', async () => {
    const client = f.client();
    await client.start('alice');
    const tx = client.tx;
    events = [];
    await client.act('cancel');
    expect(types()).to.deep.equal(['login.cancelled']);
    expectCommon(events[0]!, 'login.cancelled');
    expect(events[0]).to.include({ transactionId: tx, username: 'alice', action: 'cancel' });
  });

  it('an upstream 5xx: upstream.error with the code; the login goes on (no login.failed)', async () => {
    const client = f.client();
    await client.start('alice');
    events = [];
    f.sim.injectFault({ kind: 'status', status: 503 }, { path: 'AdvanceAuthentication' });
    const failed = await client.answer('alice-pw');
    expect(failed.status).to.equal(502);
    expect(types()).to.deep.equal(['upstream.error']);
    expectCommon(events[0]!, 'upstream.error');
    expect(events[0]).to.include({ code: 'UPSTREAM_UNAVAILABLE', action: 'answer', username: 'alice', transactionId: client.tx });
    f.sim.clearFaults();
  });

  it('an upstream 5xx at start: upstream.error and login.failed', async () => {
    const client = f.client();
    f.sim.injectFault({ kind: 'status', status: 500 }, { path: 'StartAuthentication' });
    await client.start('alice');
    f.sim.clearFaults();
    expect(types()).to.deep.equal(['login.started', 'upstream.error', 'login.failed']);
    expect(events[2]).to.include({ code: 'UPSTREAM_UNAVAILABLE', username: 'alice', action: 'start' });
  });

  it('takes a sane X-Request-Id, and replaces one that is not', async () => {
    const client = f.client();
    await client.browser.get('/login/csrf');
    const csrf = (await client.browser.get('/login/csrf')).json.csrfToken as string;
    const post = (id: string) => client.browser.post('/login/start', { username: 'alice' }, { 'x-csrf-token': csrf, 'x-request-id': id });
    await post('req-1.abc_DEF');
    await post('bad id with spaces');
    await post('x'.repeat(129));
    expect(events.map((e) => e.requestId)[0]).to.equal('req-1.abc_DEF');
    expect(events[1]!.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(events[2]!.requestId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('a verify that throws: login.failed ERROR, no login.succeeded', async () => {
    const app = await startApp({ upstreamUrl: f.sim.url, strategy: { onEvent: listener }, onVerify: () => { throw new Error('refused'); } });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('alice');
      expect(types()).to.not.include('login.succeeded');
      expect(events.at(-1)).to.include({ type: 'login.failed', username: 'alice', code: 'ERROR' });
    } finally {
      await app.close();
    }
  });
});

describe('audit delivery', () => {
  const f = useFixture();

  it('a listener that throws never breaks a login; the others still get the event', async () => {
    const got: string[] = [];
    const app = await startApp({ upstreamUrl: f.sim.url, strategy: { onEvent: () => { throw new Error('listener bug'); } } });
    app.strategy.events.on('event', () => { throw new Error('another bug'); });
    app.strategy.events.on('event', (e) => got.push(e.type));
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('alice');
      expect(client.last!.json.step.kind).to.equal('done');
      expect(got).to.deep.equal(['login.started', 'login.succeeded']);
    } finally {
      await app.close();
    }
  });

  it('once listeners fire once', async () => {
    const got: string[] = [];
    f.app.strategy.events.once('event', (e) => got.push(e.type));
    await f.client().startWithPassword('alice');
    expect(got).to.deep.equal(['login.started']);
    expect(f.app.strategy.events.listenerCount('event')).to.equal(0);
  });

  it('audit.hashUsernames: a hash of the lower-cased name instead of the name; hmac with hashKey', async () => {
    const got: AuditEvent[] = [];
    const plain = await startApp({ upstreamUrl: f.sim.url, strategy: { onEvent: (e) => got.push(e), audit: { hashUsernames: true } } });
    const keyed = await startApp({ upstreamUrl: f.sim.url, strategy: { onEvent: (e) => got.push(e), audit: { hashUsernames: true, hashKey: 'k' } } });
    try {
      await new LoginClient(plain.url).start('Alice');
      await new LoginClient(keyed.url).start('alice');
      const { createHash, createHmac } = await import('node:crypto');
      expect(got[0]!.username).to.equal(`sha256:${createHash('sha256').update('alice').digest('hex')}`);
      expect(got[1]!.username).to.equal(`hmac-sha256:${createHmac('sha256', 'k').update('alice').digest('hex')}`);
      expect(JSON.stringify(got)).to.not.match(/alice/i);
    } finally {
      await plain.close();
      await keyed.close();
    }
  });
});

describe('audit: rate limits', () => {
  const f = useFixture();

  it('a RATE_LIMITED failure from anywhere in the flow: rate.limited with retryAfterSeconds (once)', async function () {
    const { ErrorCodes, MultiStepError, cyberark } = await import('../../lib/index.js');
    if (!('RATE_LIMITED' in ErrorCodes)) this.skip(); // the limits add the code
    const got: AuditEvent[] = [];
    const provider = cyberark({ url: f.sim.url });
    const limited = () => new MultiStepError('RATE_LIMITED' as never, { details: { retryAfterSeconds: 7 } });
    provider.answer = async () => { throw limited(); };
    const app = await startApp({ upstreamUrl: f.sim.url, providerInstance: provider, strategy: { onEvent: (e) => got.push(e) } });
    try {
      const client = new LoginClient(app.url);
      await client.start('alice');
      const res = await client.answer('alice-pw');
      expect(res.status).to.equal(429);
      const limitedEvents = got.filter((e) => e.type === 'rate.limited');
      expect(limitedEvents).to.have.length(1);
      expect(limitedEvents[0]).to.include({ code: 'RATE_LIMITED', retryAfterSeconds: 7, action: 'answer', username: 'alice' });
      expect(got.map((e) => e.type)).to.not.include('answer.rejected');
    } finally {
      await app.close();
    }
  });
});
