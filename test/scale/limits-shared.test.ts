/**
 * Limits across two app instances sharing Redis (issue 15): the counters live in Redis
 * (`limits.redis`, the client of `redisLocks`), so alternating instances neither resets nor
 * doubles them; and the keys hold no user name or address.
 */
import { expect } from 'chai';
import type { SimUser } from '../../lib/testing/index.js';
import { ClusterClient, type Reply } from './cluster-client.js';
import { startCluster, type Cluster } from './cluster.js';
import { requireRedisOrSkip } from '../support/redis-server.js';

const hour = 3_600_000;
const user = (username: string, challenges: SimUser['challenges']): SimUser => ({
  username, password: `${username}-pw`, displayName: username, email: `${username}@example.com`, challenges,
});

function expectRateLimited(reply: Reply): void {
  expect(reply.status, JSON.stringify(reply.json)).to.equal(429);
  expect(reply.json.error.code).to.equal('RATE_LIMITED');
  expect(reply.json.error.details.retryAfterSeconds).to.be.a('number').greaterThan(0);
}

/** CyberArk StartOOB operations the simulator received. */
function startOobs(cluster: Cluster): number {
  return cluster.cyberark.requests.filter((r) => /advanceauthentication$/i.test(r.path)).reduce((n, r) => {
    const body = r.body as { Action?: string; MultipleOperations?: Array<{ Action?: string }> };
    return n + (body.MultipleOperations ?? [body]).filter((o) => o.Action === 'StartOOB').length;
  }, 0);
}

describe('scale-out: limits shared by two instances through Redis', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async function () {
    requireRedisOrSkip(this, 'the shared limits test');
    cluster = await startCluster({
      cyberark: { users: [user('lim-guess', [['UP']]), user('lim-sms', [['UP'], ['SMS']])] },
      env: {
        LIMITS: JSON.stringify({
          guesses: { perUserAndClient: { points: 3, durationMs: hour }, perUser: { points: 50, durationMs: hour } },
          sends: { perUser: { points: 3, durationMs: hour } },
        }),
      },
    });
  });

  after(async () => {
    await cluster?.stop();
  });

  it('wrong passwords on alternating instances add up; the next attempt gets 429 from either', async () => {
    const client = new ClusterClient(cluster.urls);
    for (let i = 0; i < 3; i += 1) {
      await client.start('lim-guess');
      const wrong = await client.answer('wrong');
      expect(wrong.json.error.code, JSON.stringify(wrong.json)).to.equal('AUTH_FAILED');
    }
    const instances = new Set(client.replies.map((r) => r.instance));
    expect(instances.size).to.equal(2);
    for (const instance of [0, 1]) expectRateLimited(await client.start('lim-guess', instance));
    expect(await cluster.serverErrors()).to.deep.equal([]);
  });

  it('out-of-band sends per user add up across instances and logins', async () => {
    const first = new ClusterClient(cluster.urls);
    await first.start('lim-sms', 0);
    await first.answer('lim-sms-pw', 1); // the password and the SMS (MultipleOperations) on B
    expect(first.step!.kind).to.equal('answer');
    expect((await first.act('resend', {}, 0)).status).to.equal(200);
    expect((await first.act('resend', {}, 1)).status).to.equal(200);
    expect(startOobs(cluster)).to.equal(3);
    expectRateLimited(await first.act('resend', {}, 0));

    const second = new ClusterClient(cluster.urls, '/login', { startAt: 1 });
    await second.start('lim-sms');
    await second.answer('lim-sms-pw');
    expect(second.step!.kind).to.equal('select'); // not started on its own
    expectRateLimited(await second.act('select', { mechanism: second.step!.mechanisms[0]!.id }));
    expect(startOobs(cluster)).to.equal(3);
  });

  it('the counters are in Redis under hashed keys: no user name, no address', async () => {
    const keys = await cluster.redisClient.keys('pm:limit:*');
    expect(keys.length).to.be.greaterThan(0);
    for (const key of keys) {
      expect(key).to.not.match(/lim-|127\.0\.0\.1|::1/);
    }
  });
});
