import { expect } from 'chai';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { startApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';
import { selfSignedCertificate, startHttpsFront, startProxy } from '../support/proxy.js';

describe('upstream transport: proxy from the environment, private CA, path prefix', () => {
  let sim: CyberArkSimulator;
  before(async () => { sim = await CyberArkSimulator.start(); });
  after(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  async function loginAlice(app: { url: string }) {
    const client = new LoginClient(app.url);
    await client.startWithPassword('alice');
    return client.last!;
  }

  it('http.proxy: true sends every upstream call through HTTP_PROXY, and NO_PROXY is honoured', async () => {
    const proxy = await startProxy();
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '';
    try {
      const app = await startApp({ upstreamUrl: sim.url, strategy: { http: { proxy: true } } });
      try {
        expect((await loginAlice(app)).json.step.kind).to.equal('done');
        expect(proxy.seen.length).to.be.at.least(1);
      } finally { await app.close(); }
      process.env.NO_PROXY = '127.0.0.1';
      const seen = proxy.seen.length;
      const bypass = await startApp({ upstreamUrl: sim.url, strategy: { http: { proxy: true } } });
      try {
        expect((await loginAlice(bypass)).json.step.kind).to.equal('done');
        expect(proxy.seen.length).to.equal(seen);
      } finally { await bypass.close(); }
    } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
      await proxy.close();
    }
  });

  it('http.ca trusts a private CA for this strategy only; without it the TLS failure is UPSTREAM_UNAVAILABLE', async function () {
    const tls = selfSignedCertificate();
    if (!tls) this.skip(); // needs the openssl command (CI installs it)
    const front = await startHttpsFront(sim.url, tls!);
    try {
      const trusted = await startApp({ upstreamUrl: front.url, strategy: { http: { ca: tls!.cert } } });
      try { expect((await loginAlice(trusted)).json.step.kind).to.equal('done'); } finally { await trusted.close(); }
      const untrusted = await startApp({ upstreamUrl: front.url });
      try {
        const res = await new LoginClient(untrusted.url).start('alice');
        expect(res.status).to.equal(502);
        expect(res.json.error.code).to.equal('UPSTREAM_UNAVAILABLE');
      } finally { await untrusted.close(); }
    } finally { await front.close(); }
  });

  it('a base URL with a path prefix (Delinea: /identity) is used for every call', async () => {
    const prefixed = await CyberArkSimulator.start({ basePath: '/identity' });
    try {
      const app = await startApp({ upstreamUrl: prefixed.url });
      try {
        expect(prefixed.url).to.match(/\/identity$/);
        const client = new LoginClient(app.url);
        await client.startWithPassword('bob');
        await client.answer(prefixed.lastCode('bob'));
        expect(client.last!.json.step.kind).to.equal('done');
        expect(prefixed.requests.every((r) => r.path.startsWith('/identity/Security/'))).to.equal(true);
      } finally { await app.close(); }
    } finally { await prefixed.close(); }
  });
});
