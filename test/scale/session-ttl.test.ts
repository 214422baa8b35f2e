/**
 * Lifetimes with the shared store: the session's TTL in Redis (connect-redis `ttl`) and the
 * login transaction's own TTL inside it (`transactionTtlMs`). Short values so it runs in seconds.
 */
import { expect } from 'chai';
import type { SimUser } from '../../lib/testing/index.js';
import { ClusterClient } from './cluster-client.js';
import { sessionCookieName, sessionPrefix, startCluster, type Cluster } from './cluster.js';
import { requireRedisOrSkip } from '../support/redis-server.js';

const sessionTtlSeconds = 2;
const transactionTtlMs = 700;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sms = (username: string): SimUser => ({
  username, password: `${username}-pw`, displayName: username, email: `${username}@example.com`, challenges: [['UP'], ['SMS']],
});

describe('scale-out lifetimes: session TTL in Redis and login transaction TTL', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async function () {
    requireRedisOrSkip(this, 'the session TTL tests');
    cluster = await startCluster({
      cyberark: { users: ['tt-1', 'tt-2', 'tt-3'].map(sms) },
      env: { SESSION_TTL_SECONDS: String(sessionTtlSeconds), TRANSACTION_TTL_MS: String(transactionTtlMs) },
    });
  });

  after(async () => {
    await cluster?.stop();
  });

  /** The browser's session record as Redis holds it (undefined when gone). */
  async function storedSession(client: ClusterClient): Promise<{ key: string; ttl: number; data: any } | undefined> {
    const cookie = (await client.jar.getCookies(cluster.urls[0]!)).find((c) => c.key === sessionCookieName);
    if (!cookie) return undefined;
    const id = decodeURIComponent(cookie.value).replace(/^s:/, '').replace(/\.[^.]+$/, ''); // s:<id>.<signature>
    const key = `${sessionPrefix}${id}`;
    const raw = await cluster.redisClient.get(key);
    return raw ? { key, ttl: await cluster.redisClient.ttl(key), data: JSON.parse(raw) } : undefined;
  }

  it('keeps the session in Redis with the configured TTL, refreshed by each request', async () => {
    const client = new ClusterClient(cluster.urls, '/login');
    await client.fetchCsrf();
    await client.start('tt-1');
    const first = await storedSession(client);
    expect(first, 'the session is in Redis').to.not.equal(undefined);
    expect(first!.ttl).to.be.within(1, sessionTtlSeconds);
    expect(first!.data['pm-cyberark'].transactions.map((tx: { id: string }) => tx.id)).to.deep.equal([client.tx]);
    await sleep(1_100);
    await client.reloadStep(); // touch: express-session asks the store to extend the TTL
    expect((await storedSession(client))!.ttl).to.equal(sessionTtlSeconds);
  });

  it('expires a login transaction after transactionTtlMs on access, and prunes expired ones on every save', async () => {
    const tab1 = new ClusterClient(cluster.urls, '/login', { startAt: 0 });
    await tab1.fetchCsrf();
    await tab1.start('tt-2');
    const abandoned = tab1.tx;
    await sleep(transactionTtlMs + 100);

    // Another login in the same session (the other instance) prunes the expired one when it saves.
    const tab2 = new ClusterClient(cluster.urls, '/login', { jar: tab1.jar, startAt: 1 });
    tab2.csrf = tab1.csrf;
    expect((await tab2.start('tt-2')).status).to.equal(200);
    const stored = await storedSession(tab2);
    expect(stored!.data['pm-cyberark'].transactions.map((tx: { id: string }) => tx.id)).to.deep.equal([tab2.tx]);

    // The abandoned tab's next action is refused with TRANSACTION_EXPIRED or, once pruned, NOT_FOUND; no upstream call.
    const before = cluster.cyberark.requests.length;
    const late = await tab1.answer('tt-2-pw');
    expect(late.status).to.be.oneOf([404, 410]);
    expect(late.json.error.code).to.be.oneOf(['TRANSACTION_NOT_FOUND', 'TRANSACTION_EXPIRED']);
    expect(cluster.cyberark.requests.length).to.equal(before);
    expect(tab1.tx).to.equal(abandoned);

    // Accessing a transaction past its TTL before any prune: TRANSACTION_EXPIRED, then it is gone from Redis.
    const tab3 = new ClusterClient(cluster.urls, '/login');
    await tab3.fetchCsrf();
    await tab3.start('tt-3');
    await sleep(transactionTtlMs + 100);
    const expired = await tab3.answer('tt-3-pw');
    expect(expired.status).to.equal(410);
    expect(expired.json.error.code).to.equal('TRANSACTION_EXPIRED');
    expect((await storedSession(tab3))!.data['pm-cyberark'].transactions).to.deep.equal([]);
    // … and the user simply starts again.
    await tab3.start('tt-3');
    await tab3.answer('tt-3-pw');
    expect((await tab3.answer(cluster.cyberark.lastCode('tt-3'))).json.step.kind).to.equal('done');
    expect((await tab3.me())?.username).to.equal('tt-3');
  });

  it('drops an abandoned login with its session when the session TTL passes', async () => {
    const client = new ClusterClient(cluster.urls, '/login');
    await client.fetchCsrf();
    await client.start('tt-1');
    const stored = await storedSession(client);
    expect(stored).to.not.equal(undefined);
    await sleep(sessionTtlSeconds * 1000 + 300);
    expect(await cluster.redisClient.exists(stored!.key)).to.equal(0);
    const gone = await client.reloadStep();
    expect(gone.status).to.equal(404);
    expect(gone.json.error.code).to.equal('TRANSACTION_NOT_FOUND');
  });
});
