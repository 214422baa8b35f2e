/**
 * Concurrent requests of one browser, spread over two app instances that share Redis
 * (connect-redis sessions + redisLocks): (a) a poll racing the code submit, (b) a
 * double-clicked submit, (c) two tabs logging in two users, (d) a reload of the step page
 * while an answer is in flight, (e) two tabs on two providers in one session, (f) another
 * provider's login page opened while an answer is in flight, and requests still in flight
 * with the pre-login session cookie. Each scenario runs 50 times, the racing requests on
 * different instances, the simulator's latency widening the race window and the second
 * request offset by a varying few milliseconds. Each checks: at most one upstream advance
 * per user action (the simulator's request log), no lost transaction or step, nobody logged
 * in as someone else, and no upstream request carrying another login's cookies.
 */
import { expect } from 'chai';
import type { IdcsSimUser, RecordedRequest, SimUser } from '../../lib/testing/index.js';
import { ClusterClient, type Reply } from './cluster-client.js';
import { startCluster, type Cluster } from './cluster.js';
import { requireRedisOrSkip } from '../support/redis-server.js';

const rounds = 50;
const latencyMs = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** 0 … 3×latency: before, during and after the other request's upstream call. */
const offsetFor = (i: number) => (i * 7) % (3 * latencyMs + 1);

const names = (prefix: string) => Array.from({ length: rounds }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
const sms = (username: string): SimUser => ({
  username, password: `${username}-pw`, displayName: username, email: `${username}@example.com`, challenges: [['UP'], ['SMS']],
});
const push = (username: string): SimUser => ({
  username, password: `${username}-pw`, displayName: username, email: `${username}@example.com`, challenges: [['UP'], ['OTP']],
});

const totp = (username: string): IdcsSimUser => ({
  username, password: `${username}-pw`, displayName: username, email: `${username}@example.com`, factors: ['TOTP'],
});

const users = {
  pollRace: names('ra-sms'),
  doubleClickPush: names('rb-push'),
  doubleClickSms: names('rb-sms'),
  tabX: names('rc-x'),
  tabY: names('rc-y'),
  reloadPush: names('rd-push'),
  reloadSms: names('rd-sms'),
  twoProvidersCyberArk: names('re-sms'),
  twoProvidersIdcs: names('re-totp'),
  otherPage: names('rf-sms'),
  lateRequest: names('rg-sms'),
};

/** CyberArk's AdvanceAuthentication calls in `requests`, as their Action (`Multi` for MultipleOperations). */
function advances(requests: RecordedRequest[]): string[] {
  return requests
    .filter((r) => /advanceauthentication$/i.test(r.path))
    .map((r) => {
      const body = r.body as { Action?: string; MultipleOperations?: unknown[] };
      return body.MultipleOperations ? 'Multi' : String(body.Action);
    });
}

const describeReplies = (...replies: Reply[]) =>
  replies.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')} @${r.instance} → ${r.status} ${JSON.stringify(r.json?.error?.code ?? r.json?.step?.kind ?? null)}`).join('; ');

describe('scale-out races: one browser, two instances, shared Redis', function () {
  this.timeout(120_000);
  let cluster: Cluster;

  before(async function () {
    requireRedisOrSkip(this, 'the scale-out race tests');
    const all = [
      ...users.pollRace.map(sms), ...users.doubleClickPush.map(push), ...users.doubleClickSms.map(sms),
      ...users.tabX.map(sms), ...users.tabY.map(sms), ...users.reloadPush.map(push), ...users.reloadSms.map(sms),
      ...users.twoProvidersCyberArk.map(sms), ...users.otherPage.map(sms), ...users.lateRequest.map(sms),
    ];
    cluster = await startCluster({
      cyberark: { users: all, switches: { latencyMs } },
      idcs: { users: users.twoProvidersIdcs.map(totp), switches: { latencyMs } },
      env: { POLL_INTERVAL_MS: '20' },
    });
  });

  after(async () => {
    await cluster?.stop();
  });

  /** No upstream request carried another login's cookies, no request reached an error handler. */
  async function expectCleanRun(): Promise<void> {
    expect(cluster.cyberark.cookieViolations, 'upstream requests carried another login\'s cookies').to.deep.equal([]);
    expect(await cluster.serverErrors()).to.deep.equal([]);
  }

  /** A new browser on the instances, through the password, waiting on the second factor. */
  async function atSecondFactor(username: string, startAt: number): Promise<ClusterClient> {
    const client = new ClusterClient(cluster.urls, '/login', { startAt });
    await client.fetchCsrf();
    expect((await client.start(username)).status).to.equal(200);
    const reply = await client.answer(`${username}-pw`);
    expect(reply.status, describeReplies(reply)).to.equal(200);
    expect(client.step?.kind).to.equal('answer');
    return client;
  }

  /** Both instances see the browser logged in as `username`. */
  async function expectLoggedInAs(client: ClusterClient, username: string, context: string): Promise<void> {
    for (const instance of [0, 1]) {
      const user = await client.me(instance);
      expect(user?.username ?? null, `${context}: /me on instance ${instance}`).to.equal(username);
    }
  }

  /** Polls (approving the push first) until the login is done. */
  async function finishPush(client: ClusterClient, username: string): Promise<void> {
    expect(cluster.cyberark.approvePush(username), `${username}: push waiting`).to.equal(true);
    for (let i = 0; i < 50; i++) {
      await sleep(15);
      const reply = await client.act('poll');
      expect(reply.status, describeReplies(reply)).to.equal(200);
      if (reply.json.step.kind === 'done') return;
    }
    throw new Error(`${username}: push never completed`);
  }

  it(`(a) a poll racing the code submit, ${rounds} times: one Answer upstream, the login completes`, async () => {
    for (let i = 0; i < rounds; i++) {
      const username = users.pollRace[i]!;
      const client = await atSecondFactor(username, i % 2);
      const code = cluster.cyberark.lastCode(username);
      const form = client.form({ mechanism: client.step!.mechanisms[0]!.id, answer: code });
      const before = cluster.cyberark.requests.length;
      const answerOn = i % 2;
      const [answer, poll] = await Promise.all([
        client.send('POST', '/login/answer', form, answerOn),
        sleep(offsetFor(i)).then(() => client.send('POST', '/login/poll', { tx: client.tx, _csrf: client.csrf }, 1 - answerOn)),
      ]);
      const context = `round ${i} (${username}, poll +${offsetFor(i)} ms): ${describeReplies(answer, poll)}`;
      expect(answer.status, context).to.equal(200);
      expect(answer.json.step.kind, context).to.equal('done');
      // The poll either came first (still pending), or found the login over.
      if (poll.status === 200) expect(poll.json.step.kind, context).to.equal('answer');
      else {
        // (CSRF_INVALID: it carried the pre-login session, which the login replaced.)
        expect(poll.json.error.code, context).to.be.oneOf(['TRANSACTION_NOT_FOUND', 'CSRF_INVALID']);
        expect(poll.cookieOrder, `${context}: the refused poll set a session cookie, replacing the logged-in session`).to.equal(undefined);
      }
      const upstream = advances(cluster.cyberark.requests.slice(before));
      expect(upstream.filter((a) => a === 'Answer'), context).to.have.length(1);
      expect(upstream.filter((a) => a === 'Poll').length, context).to.be.at.most(1);
      expect(upstream.length, context).to.be.at.most(2);
      await expectLoggedInAs(client, username, context);
    }
    await expectCleanRun();
  });

  it(`(b) a double-clicked submit (both instances at once), ${rounds} times: one advance, the repeat is refused`, async () => {
    for (let i = 0; i < rounds; i++) {
      const finalStep = i % 2 === 1;
      const username = (finalStep ? users.doubleClickSms : users.doubleClickPush)[i]!;
      let client: ClusterClient;
      let answer: string;
      if (finalStep) {
        client = await atSecondFactor(username, i % 2);
        answer = cluster.cyberark.lastCode(username)!;
      } else {
        client = new ClusterClient(cluster.urls, '/login', { startAt: i % 2 });
        await client.fetchCsrf();
        await client.start(username);
        answer = `${username}-pw`;
      }
      const form = client.form({ mechanism: client.step!.mechanisms[0]!.id, answer });
      const before = cluster.cyberark.requests.length;
      const first = i % 4 < 2 ? 0 : 1;
      const [a, b] = await Promise.all([
        client.send('POST', '/login/answer', form, first),
        sleep(offsetFor(i) % 3).then(() => client.send('POST', '/login/answer', form, 1 - first)),
      ]);
      const context = `round ${i} (${username}, ${finalStep ? 'code' : 'password'}): ${describeReplies(a, b)}`;
      const ok = [a, b].filter((r) => r.status === 200);
      const refused = [a, b].filter((r) => r.status !== 200);
      expect(ok, context).to.have.length(1);
      expect(refused, context).to.have.length(1);
      // The repeat sees the step the first one left: an older form, or the login already over
      // (then its session is gone: if it arrives after the login, its pre-login cookie finds a
      // fresh session without a CSRF token, which is refused, never written).
      expect(refused[0]!.json.error.code, context).to.be.oneOf(finalStep ? ['STALE_STEP', 'TRANSACTION_NOT_FOUND', 'CSRF_INVALID'] : ['STALE_STEP']);
      const upstream = advances(cluster.cyberark.requests.slice(before));
      expect(upstream, context).to.have.length(1); // one user action, one upstream advance
      if (finalStep) {
        expect(ok[0]!.json.step.kind, context).to.equal('done');
      } else {
        // No lost transaction: the login goes on from the step the first submit reached.
        client.track(ok[0]!);
        expect(client.step!.kind, context).to.equal('pending');
        const reload = await client.reloadStep();
        expect(reload.json.step.sequence, context).to.equal(client.step!.sequence);
        await finishPush(client, username);
      }
      await expectLoggedInAs(client, username, context);
    }
    await expectCleanRun();
  });

  it(`(c) two tabs of one browser log in two users at once on different instances, ${rounds} times: the last to finish wins, no mixing`, async () => {
    for (let i = 0; i < rounds; i++) {
      const x = users.tabX[i]!;
      const y = users.tabY[i]!;
      const tab1 = new ClusterClient(cluster.urls, '/login');
      const tab2 = new ClusterClient(cluster.urls, '/login', { jar: tab1.jar }); // same cookies: same session
      await tab1.fetchCsrf(i % 2);
      tab2.csrf = tab1.csrf;
      let context = `round ${i} (${x} / ${y})`;

      // Both start at once: neither transaction may be lost.
      const [s1, s2] = await Promise.all([tab1.start(x, 0), sleep(offsetFor(i) % 4).then(() => tab2.start(y, 1))]);
      context += ` start: ${describeReplies(s1, s2)}`;
      expect([s1.status, s2.status], context).to.deep.equal([200, 200]);
      expect(tab1.tx, context).to.not.equal(tab2.tx);
      expect([s1.json.username, s2.json.username], context).to.deep.equal([x, y]);

      // Both passwords at once, instances swapped.
      const [p1, p2] = await Promise.all([tab1.answer(`${x}-pw`, 1), sleep(offsetFor(i)).then(() => tab2.answer(`${y}-pw`, 0))]);
      context += `; passwords: ${describeReplies(p1, p2)}`;
      expect([p1.status, p2.status], context).to.deep.equal([200, 200]);
      expect([p1.json.step.kind, p2.json.step.kind], context).to.deep.equal(['answer', 'answer']);
      expect([p1.json.username, p2.json.username], context).to.deep.equal([x, y]);
      const both = await tab1.reloadStep(i % 2);
      expect(both.json.username, context).to.equal(x);
      expect((await tab2.reloadStep(1 - (i % 2))).json.username, context).to.equal(y);

      // Both codes at once. The first to finish logs the browser in (a new session); the other's
      // transaction lived in the session that login replaced, so it either finished before the
      // replacement or is gone (TRANSACTION_NOT_FOUND), never carried into the other user's session.
      const before = cluster.cyberark.requests.length;
      const codeX = cluster.cyberark.lastCode(x)!;
      const codeY = cluster.cyberark.lastCode(y)!;
      const [d1, d2] = await Promise.all([
        tab1.answer(codeX, i % 2),
        sleep(offsetFor(i)).then(() => tab2.answer(codeY, 1 - (i % 2))),
      ]);
      context += `; codes: ${describeReplies(d1, d2)}`;
      const done = [{ user: x, reply: d1 }, { user: y, reply: d2 }].filter((d) => d.reply.status === 200);
      expect(done.length, context).to.be.at.least(1);
      for (const d of done) expect(d.reply.json.step.kind, context).to.equal('done');
      for (const r of [d1, d2].filter((reply) => reply.status !== 200)) {
        // (CSRF_INVALID: it carried the session the other login replaced.)
        expect(r.json.error.code, context).to.be.oneOf(['TRANSACTION_NOT_FOUND', 'CSRF_INVALID']);
        expect(r.cookieOrder, `${context}: the refused answer set a session cookie, replacing the logged-in session`).to.equal(undefined);
      }
      // One upstream Answer per login that went through; none for a login that was refused.
      expect(advances(cluster.cyberark.requests.slice(before)), context).to.have.length(done.length);
      // The browser holds the session of the login whose answer reached it last.
      const winner = done.sort((a, b) => (b.reply.cookieOrder ?? 0) - (a.reply.cookieOrder ?? 0))[0]!.user;
      await expectLoggedInAs(tab1, winner, context);
    }
    await expectCleanRun();
  });

  it(`(d) a reload of the step page while an answer is in flight, ${rounds} times: old or new step, never a mix, the login goes on`, async () => {
    for (let i = 0; i < rounds; i++) {
      const finalStep = i % 2 === 1;
      const username = (finalStep ? users.reloadSms : users.reloadPush)[i]!;
      let client: ClusterClient;
      let answer: string;
      if (finalStep) {
        client = await atSecondFactor(username, i % 2);
        answer = cluster.cyberark.lastCode(username)!;
      } else {
        client = new ClusterClient(cluster.urls, '/login', { startAt: i % 2 });
        await client.fetchCsrf();
        await client.start(username);
        answer = `${username}-pw`;
      }
      const oldStep = client.step!;
      const form = client.form({ mechanism: oldStep.mechanisms[0]!.id, answer });
      const before = cluster.cyberark.requests.length;
      const answerOn = i % 4 < 2 ? 0 : 1;
      const [submitted, reload] = await Promise.all([
        client.send('POST', '/login/answer', form, answerOn),
        sleep(offsetFor(i)).then(() => client.reloadStep(1 - answerOn)),
      ]);
      const context = `round ${i} (${username}, reload +${offsetFor(i)} ms, ${finalStep ? 'code' : 'password'}): ${describeReplies(submitted, reload)}`;
      expect(submitted.status, context).to.equal(200);
      expect(advances(cluster.cyberark.requests.slice(before)), context).to.have.length(1);
      if (reload.status === 200) {
        // The step as it was, or as the answer left it: the same transaction, a consistent step.
        expect(reload.json.transactionId, context).to.equal(client.tx);
        expect(reload.json.username, context).to.equal(username);
        const seen = reload.json.step;
        const isOld = seen.sequence === oldStep.sequence && seen.kind === oldStep.kind && seen.mechanisms[0].type === oldStep.mechanisms[0]!.type;
        const isNew = !finalStep && seen.sequence === submitted.json.step.sequence && seen.kind === submitted.json.step.kind
          && seen.mechanisms[0].type === submitted.json.step.mechanisms[0].type;
        expect(isOld || isNew, `${context}: reload showed ${JSON.stringify(seen)}`).to.equal(true);
      } else {
        // Only once the login is over (the session was replaced at login).
        expect(finalStep, context).to.equal(true);
        expect(reload.status, context).to.equal(404);
        expect(reload.json.error.code, context).to.equal('TRANSACTION_NOT_FOUND');
        expect(reload.cookieOrder, `${context}: the refused reload set a session cookie, replacing the logged-in session`).to.equal(undefined);
      }
      if (finalStep) {
        expect(submitted.json.step.kind, context).to.equal('done');
      } else {
        client.track(submitted);
        expect(client.step!.kind, context).to.equal('pending');
        await finishPush(client, username);
      }
      await expectLoggedInAs(client, username, context);
    }
    await expectCleanRun();
  });
  it(`(e) two tabs log in through two providers (CyberArk and IDCS) at once in one session, ${rounds} times: neither loses its step`, async () => {
    for (let i = 0; i < rounds; i++) {
      const x = users.twoProvidersCyberArk[i]!;
      const y = users.twoProvidersIdcs[i]!;
      const tab1 = new ClusterClient(cluster.urls, '/login');
      const tab2 = new ClusterClient(cluster.urls, '/idcs/login', { jar: tab1.jar });
      await tab1.fetchCsrf(i % 2);
      await tab2.fetchCsrf(1 - (i % 2));
      let context = `round ${i} (${x} / ${y})`;

      const [s1, s2] = await Promise.all([tab1.start(x, 0), sleep(offsetFor(i) % 4).then(() => tab2.start(y, 1))]);
      context += ` start: ${describeReplies(s1, s2)}`;
      expect([s1.status, s2.status], context).to.deep.equal([200, 200]);
      const [r1, r2] = [await tab1.reloadStep(1), await tab2.reloadStep(0)];
      context += `; reload: ${describeReplies(r1, r2)}`;
      expect([r1.status, r2.status], `${context}: a start was lost`).to.deep.equal([200, 200]);

      const cyberarkBefore = cluster.cyberark.requests.length;
      const idcsBefore = cluster.idcs.requests.length;
      const [p1, p2] = await Promise.all([tab1.answer(`${x}-pw`, 1), sleep(offsetFor(i)).then(() => tab2.answer(`${y}-pw`, 0))]);
      context += `; passwords: ${describeReplies(p1, p2)}`;
      expect([p1.status, p2.status], context).to.deep.equal([200, 200]);
      expect(advances(cluster.cyberark.requests.slice(cyberarkBefore)), context).to.have.length(1);
      expect(cluster.idcs.requests.slice(idcsBefore).filter((r) => r.path.endsWith('/authenticate')), context).to.have.length(1);
      // No lost update: each tab still sees the step its own answer reached.
      const [q1, q2] = [await tab1.reloadStep(i % 2), await tab2.reloadStep(1 - (i % 2))];
      context += `; reload: ${describeReplies(q1, q2)} (sequences ${q1.json.step?.sequence} / ${q2.json.step?.sequence})`;
      expect(q1.json.step?.sequence, `${context}: the CyberArk step was lost`).to.equal(p1.json.step.sequence);
      expect(q2.json.step?.sequence, `${context}: the IDCS step was lost`).to.equal(p2.json.step.sequence);

      const [d1, d2] = await Promise.all([
        tab1.answer(cluster.cyberark.lastCode(x)!, i % 2),
        sleep(offsetFor(i)).then(() => tab2.answer(cluster.idcs.totpCode(y), 1 - (i % 2))),
      ]);
      context += `; codes: ${describeReplies(d1, d2)}`;
      const done = [{ user: x, reply: d1 }, { user: y, reply: d2 }].filter((d) => d.reply.status === 200);
      expect(done.length, context).to.be.at.least(1);
      for (const d of done) expect(d.reply.json.step.kind, context).to.equal('done');
      for (const r of [d1, d2].filter((reply) => reply.status !== 200)) {
        expect(r.json.error.code, context).to.be.oneOf(['TRANSACTION_NOT_FOUND', 'CSRF_INVALID']);
        expect(r.cookieOrder, `${context}: the refused answer set a session cookie, replacing the logged-in session`).to.equal(undefined);
      }
      const winner = done.sort((a, b) => (b.reply.cookieOrder ?? 0) - (a.reply.cookieOrder ?? 0))[0]!.user;
      await expectLoggedInAs(tab1, winner, context);
    }
    await expectCleanRun();
  });

  it(`(f) another provider's login page opened while an answer is in flight, ${rounds} times: the answer's step is kept`, async () => {
    for (let i = 0; i < rounds; i++) {
      const username = users.otherPage[i]!;
      const tab1 = new ClusterClient(cluster.urls, '/login', { startAt: i % 2 });
      await tab1.fetchCsrf();
      await tab1.start(username);
      const tab2 = new ClusterClient(cluster.urls, '/oaa/login', { jar: tab1.jar });
      const [answer, page] = await Promise.all([
        tab1.answer(`${username}-pw`, i % 2),
        sleep(offsetFor(i)).then(() => tab2.fetchCsrf(1 - (i % 2))),
      ]);
      let context = `round ${i} (${username}, page +${offsetFor(i)} ms): ${describeReplies(answer, page)}`;
      expect([answer.status, page.status], context).to.deep.equal([200, 200]);
      const reload = await tab1.reloadStep();
      context += `; reload: ${describeReplies(reload)} (sequence ${reload.json.step?.sequence}, answer reached ${answer.json.step.sequence})`;
      expect(reload.json.step?.sequence, `${context}: the answer's step was lost`).to.equal(answer.json.step.sequence);
      expect((await tab1.answer(cluster.cyberark.lastCode(username))).json.step?.kind, context).to.equal('done');
      await expectLoggedInAs(tab1, username, context);
    }
    await expectCleanRun();
  });

  it('requests sent with the pre-login session cookie and handled after the login leave the logged-in session alone', async () => {
    for (const [i, kind] of (['poll', 'answer', 'reload'] as const).entries()) {
      const username = users.lateRequest[i]!;
      const client = await atSecondFactor(username, 0);
      // A second request of the same browser, already on its way with the session cookie of before the login.
      const late = new ClusterClient(cluster.urls, '/login');
      for (const cookie of await client.jar.getCookies(cluster.urls[0]!)) await late.jar.setCookie(cookie.clone()!, cluster.urls[0]!);
      late.csrf = client.csrf;
      late.tx = client.tx;
      late.step = client.step;
      const code = cluster.cyberark.lastCode(username)!;
      const done = await client.answer(code, 0);
      expect(done.json.step.kind).to.equal('done');
      const reply = kind === 'poll' ? await late.act('poll', {}, 1) : kind === 'answer' ? await late.answer(code, 1) : await late.reloadStep(1);
      const context = `${kind} after the login: ${describeReplies(reply)}`;
      expect(reply.status, context).to.be.oneOf([403, 404]);
      // Its answer must not carry a new session cookie: the browser would drop the logged-in session for it.
      expect(reply.cookieOrder, `${context}: set a cookie for a new, empty session`).to.equal(undefined);
      await expectLoggedInAs(client, username, context);
    }
    await expectCleanRun();
  });
});
