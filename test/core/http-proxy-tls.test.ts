import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { expect } from 'chai';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { startApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';
import { selfSignedCertificate, startHttpsFront, startProxy } from '../support/proxy.js';

const proxyVars = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS'] as const;

/** Sets the proxy variables for one test (EnvHttpProxyAgent reads them when the strategy is built). */
function withEnv(values: Partial<Record<(typeof proxyVars)[number], string>>): () => void {
  const saved = Object.fromEntries(proxyVars.map((k) => [k, process.env[k]]));
  for (const k of proxyVars) delete process.env[k];
  Object.assign(process.env, values);
  return () => { for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; } };
}

/** A TCP server that accepts connections and never says anything (no TLS, no HTTP). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => { for (const s of sockets) s.destroy(); return new Promise((resolve) => server.close(() => resolve())); },
  };
}

describe('upstream transport through a proxy: http.ca, caMode and the connect timeout apply to proxied requests', () => {
  let sim: CyberArkSimulator;
  let cert: { key: string; cert: string } | undefined;
  before(async () => { sim = await CyberArkSimulator.start(); cert = selfSignedCertificate(); });
  after(async () => { await sim.close(); });
  beforeEach(function () { if (!cert) this.skip(); sim.reset(); }); // needs the openssl command (CI installs it)

  it('a private-CA HTTPS upstream behind a CONNECT proxy: succeeds with http.ca, fails without it', async () => {
    const front = await startHttpsFront(sim.url, cert!);
    const proxy = await startProxy();
    const restore = withEnv({ HTTPS_PROXY: proxy.url });
    try {
      const trusted = await startApp({ upstreamUrl: front.url, strategy: { http: { proxy: true, ca: cert!.cert } } });
      try {
        const client = new LoginClient(trusted.url);
        await client.startWithPassword('alice');
        expect(client.last!.json.step.kind).to.equal('done');
        expect(proxy.seen).to.include(`CONNECT ${new URL(front.url).host}`);
      } finally { await trusted.close(); }

      const seen = proxy.seen.length;
      const untrusted = await startApp({ upstreamUrl: front.url, strategy: { http: { proxy: true } } });
      try {
        const res = await new LoginClient(untrusted.url).start('alice');
        expect(res.status).to.equal(502);
        expect(res.json.error.code).to.equal('UPSTREAM_UNAVAILABLE');
        expect(proxy.seen.length).to.be.above(seen); // it did go through the proxy, and TLS refused the certificate
      } finally { await untrusted.close(); }
    } finally {
      restore();
      await proxy.close();
      await front.close();
    }
  });

  it('caMode: by default http.ca adds to the default roots; caMode "replace" trusts http.ca only', async function () {
    // Node 20 has no tls.getCACertificates: the default roots are then rootCertificates plus
    // NODE_EXTRA_CA_CERTS, read when the strategy is built, which lets this test add a root.
    if (typeof (tls as { getCACertificates?: unknown }).getCACertificates === 'function') this.skip();
    const other = selfSignedCertificate()!;
    const dir = mkdtempSync(join(tmpdir(), 'pm-ca-'));
    writeFileSync(join(dir, 'extra.pem'), cert!.cert);
    const front = await startHttpsFront(sim.url, cert!);
    const proxy = await startProxy();
    const restore = withEnv({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem') });
    try {
      // The upstream's CA is a default root (NODE_EXTRA_CA_CERTS); http.ca names an unrelated CA.
      const added = await startApp({ upstreamUrl: front.url, strategy: { http: { proxy: true, ca: other.cert } } });
      try {
        const client = new LoginClient(added.url);
        await client.startWithPassword('alice');
        expect(client.last!.json.step.kind).to.equal('done');
      } finally { await added.close(); }
      const replaced = await startApp({ upstreamUrl: front.url, strategy: { http: { proxy: true, ca: other.cert, caMode: 'replace' } } });
      try {
        const res = await new LoginClient(replaced.url).start('alice');
        expect(res.status).to.equal(502);
        expect(res.json.error.code).to.equal('UPSTREAM_UNAVAILABLE');
      } finally { await replaced.close(); }
      // Directly (no proxy), the same rule.
      restore();
      const direct = await startApp({ upstreamUrl: front.url, strategy: { http: { ca: [other.cert, cert!.cert], caMode: 'replace' } } });
      try {
        const client = new LoginClient(direct.url);
        await client.startWithPassword('alice');
        expect(client.last!.json.step.kind).to.equal('done');
      } finally { await direct.close(); }
    } finally {
      restore();
      await proxy.close();
      await front.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** A login start against `upstreamUrl` answers 504 UPSTREAM_TIMEOUT well before the request timeout. */
  async function expectQuickTimeout(upstreamUrl: string, http: object): Promise<void> {
    const app = await startApp({ upstreamUrl, strategy: { http } });
    try {
      const started = Date.now();
      const res = await new LoginClient(app.url).start('alice');
      expect(Date.now() - started).to.be.below(3_000);
      expect(res.status).to.equal(504);
      expect(res.json.error.code).to.equal('UPSTREAM_TIMEOUT');
    } finally { await app.close(); }
  }

  it('the connect timeout applies through the proxy: a silent upstream behind the tunnel, and a proxy that never answers CONNECT', async () => {
    const silent = await startSilentServer();
    const proxy = await startProxy();
    const restore = withEnv({ HTTPS_PROXY: proxy.url });
    const http = { proxy: true, ca: cert!.cert, connectTimeoutMs: 300, headersTimeoutMs: 8_000, requestTimeoutMs: 8_000 };
    try {
      // The tunnel opens, but the upstream never answers the TLS handshake.
      await expectQuickTimeout(`https://localhost:${silent.port}`, http);
      expect(proxy.seen).to.include(`CONNECT localhost:${silent.port}`);
    } finally {
      restore();
      await proxy.close();
    }
    // The "proxy" accepts the TCP connection and never answers CONNECT.
    const restore2 = withEnv({ HTTPS_PROXY: `http://127.0.0.1:${silent.port}` });
    try {
      await expectQuickTimeout('https://localhost:9', http);
    } finally {
      restore2();
      await silent.close();
    }
  });
});
