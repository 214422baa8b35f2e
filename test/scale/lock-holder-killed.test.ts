/**
 * An instance dies (SIGKILL) while it holds a browser's login lock in Redis, its upstream call
 * still in flight. The same browser's next request, on the other instance, waits at most for
 * the rest of the lock's TTL (never forever, never a 5xx) and the login then goes on and
 * finishes there. Short lock values (ttlMs 1 500, waitMs 4 000) keep it fast.
 */
import { expect } from 'chai';
import type { SimUser } from '../../lib/testing/index.js';
import { requireRedisOrSkip } from '../support/redis-server.js';
import { ClusterClient } from './cluster-client.js';
import { startCluster, type Cluster } from './cluster.js';

const lockTtlMs = 1_500;
const lockWaitMs = 4_000;
const user: SimUser = { username: 'lk-1', password: 'lk-1-pw', displayName: 'lk-1', email: 'lk-1@example.com', challenges: [['UP'], ['SMS']] };
const endpoint = (path: string) => path.split('/').filter(Boolean).pop();

describe('scale-out: an instance killed while holding the login lock', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async function () {
    requireRedisOrSkip(this, 'the lock holder test');
    cluster = await startCluster({ cyberark: { users: [user] }, env: { LOCK_TTL_MS: String(lockTtlMs), LOCK_WAIT_MS: String(lockWaitMs) } });
  });

  after(async () => {
    await cluster?.stop();
  });

  async function lockKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of cluster.redisClient.scanIterator({ MATCH: 'pm:lock:*', COUNT: 100 })) keys.push(...batch);
    return keys;
  }

  it('the other instance goes on after at most the lock TTL, and the login finishes there', async () => {
    const client = new ClusterClient(cluster.urls, '/login');
    await client.start(user.username, 0);
    const step = client.step!;
    const from = cluster.cyberark.requests.length;
    // A's answer reaches the simulator, which never answers it: A holds the lock, waiting.
    cluster.cyberark.injectFault({ kind: 'hang' }, { path: 'AdvanceAuthentication' });
    const onA = client.answer(user.password, 0).catch((error: unknown) => error);
    const deadline = Date.now() + 5_000;
    while (!cluster.cyberark.requests.slice(from).some((r) => endpoint(r.path) === 'AdvanceAuthentication')) {
      if (Date.now() > deadline) throw new Error('the answer never reached the simulator');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const [lock] = await lockKeys();
    expect(lock, 'A holds the lock').to.be.a('string');
    const ttlLeft = await cluster.redisClient.pTTL(lock!);
    expect(ttlLeft).to.be.within(1, lockTtlMs);

    await cluster.apps[0]!.kill();
    const killedAt = Date.now();
    expect(await onA, 'A never answered').to.be.instanceOf(Error);

    client.step = step; // the browser sends its answer again, to B
    const sent = Date.now();
    const onB = await client.answer(user.password, 1);
    const waitedMs = Date.now() - sent;
    console.log(`      B answered after ${waitedMs} ms (the lock had ${ttlLeft} ms left when A died; ttlMs ${lockTtlMs})`);
    expect(onB.status, JSON.stringify(onB.json)).to.equal(200);
    expect(onB.json.step.mechanisms[0].type, 'the login went on: the SMS step').to.equal('otp');
    expect(Date.now() - killedAt, 'at most the lock TTL after the kill (plus a margin)').to.be.below(lockTtlMs + 750);
    expect(waitedMs, 'B waited for the dead holder\'s lock to expire').to.be.at.least(ttlLeft - (sent - killedAt) - 250);

    const done = await client.answer(cluster.cyberark.lastCode(user.username, 'SMS'), 1);
    expect(done.json.step.kind, JSON.stringify(done.json)).to.equal('done');
    expect(await client.me(1)).to.include({ username: user.username });
    expect(await lockKeys(), 'no lock left').to.deep.equal([]);
    const errors = await (await fetch(`${cluster.urls[1]}/_stats`)).json() as { serverErrors: string[] };
    expect(errors.serverErrors).to.deep.equal([]);
  });
});
