/**
 * Scale-out acceptance: 200 users log in at once through two app instances that share
 * only Redis (connect-redis sessions + redisLocks), every request of every user going to
 * the other instance than the previous one. Each user has one of eight mechanism mixes
 * over the three simulated providers.
 */
import { expect } from 'chai';
import { ClusterClient, type Reply } from './cluster-client.js';
import { sessionPrefix, startCluster, type Cluster } from './cluster.js';
import { LoginFailed, logIn, mixes, planUsers, simulatorUsers } from './users.js';
import { requireRedisOrSkip } from '../support/redis-server.js';

const userCount = 200;
const sessionTtlSeconds = 600;

describe('scale-out: 200 users through two instances sharing Redis', function () {
  this.timeout(120_000);
  const users = planUsers(userCount);
  let cluster: Cluster;

  before(async function () {
    requireRedisOrSkip(this, 'the scale-out test');
    cluster = await startCluster({
      ...(() => {
        const lists = simulatorUsers(users);
        return { cyberark: { users: lists.cyberark }, idcs: { users: lists.idcs }, oaa: { users: lists.oaa } };
      })(),
      env: { SESSION_TTL_SECONDS: String(sessionTtlSeconds), POLL_INTERVAL_MS: '20' },
    });
  });

  after(async () => {
    await cluster?.stop();
  });

  it('logs every user in as themselves, alternating instances on every step, with zero errors', async () => {
    const sims = { cyberark: cluster.cyberark, idcs: cluster.idcs, oaa: cluster.oaa };
    // Half the users of each mix start on A, half on B.
    const clients = users.map((u, i) => new ClusterClient(cluster.urls, u.mount, { startAt: Math.floor(i / mixes.length) % 2 }));

    const started = performance.now();
    const outcomes = await Promise.allSettled(users.map((u, i) => logIn(clients[i]!, u, sims)));
    const elapsedMs = performance.now() - started;

    const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${users[i]!.username}: ${o.reason instanceof LoginFailed ? o.reason.message : String(o.reason)}`] : []));
    const replies: Reply[] = clients.flatMap((c) => c.replies);
    const non2xx = replies.filter((r) => r.status < 200 || r.status >= 300);

    // Throughput, for the record.
    const latencies = replies.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1);
    const perInstance = cluster.urls.map((_, i) => replies.filter((r) => r.instance === i).length);
    console.log(`      ${userCount} logins (${mixes.length} mixes) through ${cluster.urls.length} instances in ${(elapsedMs / 1000).toFixed(2)} s: `
      + `${(userCount / (elapsedMs / 1000)).toFixed(1)} logins/s, ${replies.length} requests (${(replies.length / (elapsedMs / 1000)).toFixed(0)} req/s, `
      + `per instance ${perInstance.join(' / ')}), latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);

    expect(failures, failures.slice(0, 5).join('\n')).to.deep.equal([]);
    expect(non2xx.map((r) => `${r.method} ${r.path} → ${r.status}`)).to.deep.equal([]);

    // Every step of every user went to the other instance than the step before.
    for (const client of clients) {
      client.replies.forEach((r, i) => {
        if (i > 0) expect(r.instance).to.not.equal(client.replies[i - 1]!.instance);
      });
    }
    for (const count of perInstance) expect(count).to.be.above(replies.length * 0.4);

    // Each browser is logged in as its own user, whichever instance it asks.
    const seen = await Promise.all(clients.map(async (c) => [await c.me(0), await c.me(1)] as const));
    seen.forEach(([onA, onB], i) => {
      const expected = { username: users[i]!.username, provider: users[i]!.provider };
      expect(onA, `user ${users[i]!.username} on A`).to.include(expected);
      expect(onB, `user ${users[i]!.username} on B`).to.include(expected);
    });

    // No upstream request carried another login's upstream cookie.
    expect(cluster.cyberark.cookieViolations).to.deep.equal([]);
    // Each CyberArk login started once upstream, and no login was cleaned up as failed.
    const cyberarkPaths = cluster.cyberark.requests.map((r) => r.path.split('/').pop());
    expect(cyberarkPaths.filter((p) => p === 'StartAuthentication')).to.have.length(users.filter((u) => u.provider === 'cyberark').length);
    expect(cyberarkPaths).to.not.include('CleanupAuthentication');
    expect(await cluster.serverErrors()).to.deep.equal([]);

    // All state is in Redis: exactly one (logged-in) session per user, each with the session TTL;
    // the pre-login sessions were destroyed at login, and no lock is left behind.
    const keys = await cluster.sessionKeys();
    expect(keys).to.have.length(userCount);
    const ttls = await Promise.all(keys.slice(0, 20).map((k) => cluster.redisClient.ttl(k)));
    for (const ttl of ttls) expect(ttl).to.be.within(1, sessionTtlSeconds);
    const sample = JSON.parse((await cluster.redisClient.get(keys[0]!))!) as { passport?: { user?: { username?: string } } };
    expect(sample.passport?.user?.username).to.be.a('string');
    const locks: string[] = [];
    for await (const batch of cluster.redisClient.scanIterator({ MATCH: 'pm:lock:*' })) locks.push(...batch);
    expect(locks).to.deep.equal([]);
    expect(keys.every((k) => k.startsWith(sessionPrefix))).to.equal(true);
  });
});
