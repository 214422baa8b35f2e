import { expect } from 'chai';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { startApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';
import { loopbackAgent } from '../support/loopback-dns.js';

describe('CyberArk T6: pod redirect', () => {
  let sim: CyberArkSimulator;
  before(async () => { sim = await CyberArkSimulator.start(); });
  after(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  async function loginThrough(podTarget: string, podAllowlist?: string[]) {
    sim.switches.podRedirects = { 'pod0.sim.test': podTarget };
    const dispatcher = loopbackAgent();
    const app = await startApp({
      upstreamUrl: `http://pod0.sim.test:${sim.port}`,
      provider: podAllowlist ? { podAllowlist } : {},
      strategy: { http: { dispatcher } },
    });
    try {
      const client = new LoginClient(app.url);
      await client.start('alice');
      if (client.last!.status === 200) await client.answer('alice-pw');
      return client.last!;
    } finally {
      await app.close();
      await dispatcher.close();
    }
  }

  it('follows PodFqdn to an allowed host and keeps using it', async () => {
    const res = await loginThrough(`acme.sim.test:${sim.port}`, [`*.sim.test:${sim.port}`]);
    expect(res.json.step.kind).to.equal('done');
    expect(sim.requests.map((r) => r.host.split(':')[0])).to.deep.equal(['pod0.sim.test', 'acme.sim.test', 'acme.sim.test']);
    // The pod host's cookies are dropped, the same Start body is repeated.
    expect(sim.requests[1]!.cookies).to.deep.equal({});
    expect(sim.requests[1]!.body).to.deep.equal(sim.requests[0]!.body);
  });

  it('by default trusts no sibling of a custom domain', async () => {
    const res = await loginThrough(`acme.sim.test:${sim.port}`);
    expect(res.json.error.code).to.equal('UPSTREAM_REDIRECT_REFUSED');
  });

  it('refuses a redirect to a host outside the allowlist, without sending it anything', async () => {
    const res = await loginThrough(`evil.example:${sim.port}`, [`*.sim.test:${sim.port}`]);
    expect(res.status).to.equal(502);
    expect(res.json.error.code).to.equal('UPSTREAM_REDIRECT_REFUSED');
    expect(sim.requests.map((r) => r.host.split(':')[0])).to.deep.equal(['pod0.sim.test']);
  });

  it('honours an explicit allowlist', async () => {
    const refused = await loginThrough(`acme.sim.test:${sim.port}`, [`other.sim.test:${sim.port}`]);
    expect(refused.json.error.code).to.equal('UPSTREAM_REDIRECT_REFUSED');
    sim.reset();
    const allowed = await loginThrough(`acme.sim.test:${sim.port}`, [`acme.sim.test:${sim.port}`]);
    expect(allowed.json.step.kind).to.equal('done');
  });
});
