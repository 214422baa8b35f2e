/**
 * Redis with persistence (an append-only file, fsync on every write) stops in the middle of a
 * login and comes back with its data: the login in progress goes on where it was, on either
 * instance, with no app restart. While it is away: 503 SESSION_STORE_UNAVAILABLE (JSON and
 * the page), no upstream call, no `details.restart` (nothing was lost).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimUser } from '../../lib/testing/index.js';
import { Browser } from '../support/browser.js';
import { requireRedisOrSkip } from '../support/redis-server.js';
import { ClusterClient } from './cluster-client.js';
import { startCluster, type Cluster } from './cluster.js';

const user: SimUser = { username: 'po-1', password: 'po-1-pw', displayName: 'po-1', email: 'po-1@example.com', challenges: [['UP'], ['SMS']] };

describe('scale-out: Redis with persistence stops mid-login and comes back', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let dir = '';

  before(async function () {
    requireRedisOrSkip(this, 'the Redis persistence test');
    dir = mkdtempSync(join(tmpdir(), 'pm-redis-aof-'));
    cluster = await startCluster({ cyberark: { users: [user] }, redis: { dir } });
  });

  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Until every instance's Redis client is connected again. */
  async function instancesReconnected(): Promise<number> {
    const started = Date.now();
    for (;;) {
      const ready = await Promise.all(cluster.urls.map(async (url) => ((await (await fetch(`${url}/_stats`)).json()) as { redisReady: boolean }).redisReady));
      if (ready.every(Boolean)) return Date.now() - started;
      if (Date.now() - started > 10_000) throw new Error('the instances did not reconnect within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function waitForNoLock(): Promise<void> {
    const started = Date.now();
    for (;;) {
      const keys: string[] = [];
      for await (const batch of cluster.redisClient.scanIterator({ MATCH: 'pm:lock:*', COUNT: 100 })) keys.push(...batch);
      if (keys.length === 0) return;
      if (Date.now() - started > 5_000) throw new Error(`a lock was not given back: ${keys.length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('503 while Redis is away, then the same login finishes where it was', async () => {
    const client = new ClusterClient(cluster.urls, '/login');
    await client.start(user.username);
    const atCode = await client.answer(user.password);
    expect(atCode.status).to.equal(200);
    expect(client.step?.mechanisms[0]?.type).to.equal('otp');
    const smsCode = cluster.cyberark.lastCode(user.username, 'SMS')!;
    const upstreamBefore = cluster.cyberark.requests.length;
    const step = client.step!;

    // Redis dies between two requests: the last one has given its lock back (else the lock, persisted
    // with the rest, comes back with Redis and this browser waits for its TTL: see docs/scale-out.md).
    await waitForNoLock();
    await cluster.killRedis();
    const sent = Date.now();
    const refused = await client.answer(smsCode, 0);
    expect(refused.status, JSON.stringify(refused.json)).to.equal(503);
    expect(refused.json.error.code).to.equal('SESSION_STORE_UNAVAILABLE');
    expect(refused.json.error.details.restart, 'nothing was lost').to.equal(undefined);
    expect(Date.now() - sent).to.be.below(2_500);
    const page = await new Browser(cluster.urls[1]!, 'html', client.jar).post('/login/answer', client.form({ mechanism: step.mechanisms[0]!.id, answer: smsCode }));
    expect(page.status).to.equal(503);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.text).to.include('SESSION_STORE_UNAVAILABLE');
    expect(cluster.cyberark.requests.length, 'no upstream call').to.equal(upstreamBefore);

    await cluster.startRedis();
    const reconnectedMs = await instancesReconnected();
    console.log(`      both instances reconnected ${reconnectedMs} ms after Redis was back`);

    client.step = step; // the browser answers the same step again
    const done = await client.answer(smsCode, 1);
    expect(done.status, JSON.stringify(done.json)).to.equal(200);
    expect(done.json.step.kind).to.equal('done');
    expect(await client.me(0)).to.include({ username: user.username });
    expect(await cluster.serverErrors()).to.deep.equal([]);
    for (const app of cluster.apps) {
      expect(app.exited(), app.name).to.equal(undefined);
      expect(app.output(), app.name).to.not.match(/unhandled/i);
    }
  });
});
