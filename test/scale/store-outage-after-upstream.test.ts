/**
 * Redis goes away while the upstream call of a step is in flight: the upstream accepted the
 * password (and sent the SMS), but the session that would record it cannot be written. The
 * browser is told so (503 SESSION_STORE_UNAVAILABLE with `details.restart`), the upstream is
 * told to drop the login (CyberArk CleanupAuthentication) and nothing else is called. Once
 * Redis is back, the browser starts again and logs in.
 */
import { expect } from 'chai';
import type { SimUser } from '../../lib/testing/index.js';
import { requireRedisOrSkip } from '../support/redis-server.js';
import { ClusterClient } from './cluster-client.js';
import { startCluster, type Cluster } from './cluster.js';

const user: SimUser = { username: 'au-1', password: 'au-1-pw', displayName: 'au-1', email: 'au-1@example.com', challenges: [['UP'], ['SMS']] };
const endpoint = (path: string) => path.split('/').filter(Boolean).pop();

describe('scale-out: Redis goes away while the upstream call is in flight', function () {
  this.timeout(60_000);
  let cluster: Cluster;

  before(async function () {
    requireRedisOrSkip(this, 'the Redis outage tests');
    cluster = await startCluster({ cyberark: { users: [user] } });
  });

  after(async () => {
    await cluster?.stop();
  });

  it('503 with details.restart, the upstream login cleaned up; after Redis is back a new login works', async () => {
    const client = new ClusterClient(cluster.urls, '/login');
    await client.start(user.username, 0);
    const from = cluster.cyberark.requests.length;
    // The answer is processed upstream at once; its body reaches the app 700 ms later.
    cluster.cyberark.injectFault({ kind: 'slowBody', delayMs: 700 }, { path: 'AdvanceAuthentication' });
    const answering = client.answer(user.password, 0);
    const deadline = Date.now() + 5_000;
    while (!cluster.cyberark.requests.slice(from).some((r) => endpoint(r.path) === 'AdvanceAuthentication')) {
      if (Date.now() > deadline) throw new Error('the answer never reached the simulator');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await cluster.killRedis();
    const answer = await answering;
    expect(answer.status, JSON.stringify(answer.json)).to.equal(503);
    expect(answer.json.error.code).to.equal('SESSION_STORE_UNAVAILABLE');
    expect(answer.json.error.details.restart).to.equal(true);
    expect(answer.json.error.message).to.match(/start again/i);
    expect(answer.json.step, 'no step to go on with').to.equal(undefined);
    const upstream = cluster.cyberark.requests.slice(from).map((r) => endpoint(r.path));
    expect(upstream).to.deep.equal(['AdvanceAuthentication', 'CleanupAuthentication']);

    await cluster.startRedis();
    // Every instance reconnects on its own (under load, not all at the same moment): wait for each.
    const started = Date.now();
    for (let instance = 0; instance < cluster.urls.length; instance++) {
      while ((await new ClusterClient(cluster.urls, '/login').fetchCsrf(instance)).status !== 200) {
        if (Date.now() - started > 10_000) throw new Error(`instance ${instance} did not recover within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const again = new ClusterClient(cluster.urls, '/login');
    const begun = await again.start(user.username);
    expect(begun.status, JSON.stringify(begun.json)).to.equal(200);
    const password = await again.answer(user.password);
    expect(password.status, JSON.stringify(password.json)).to.equal(200);
    const done = await again.answer(cluster.cyberark.lastCode(user.username, 'SMS'));
    expect(done.json.step?.kind, JSON.stringify(done.json)).to.equal('done');
    expect(await cluster.serverErrors()).to.deep.equal([]);
    for (const app of cluster.apps) expect(app.output(), app.name).to.not.match(/unhandled/i);
  });
});
