import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { check } from '../../lib/index.js';
import { IdcsSimulator } from '../../lib/testing/index.js';
import { collectSecrets } from '../support/log-capture.js';
import { selfSignedCertificate, startHttpsFront, startProxy } from '../support/proxy.js';
import { closedPort, noProxyEnv, result, statuses, withEnv } from './helpers.js';

describe('check: transport (nothing listening, TLS, proxy, timeouts) through the strategy\'s own client', () => {
  let sim: IdcsSimulator;
  before(async () => { sim = await IdcsSimulator.start(); });
  after(async () => { await sim.close(); });
  afterEach(() => { collectSecrets(sim.requests); sim.reset(); });

  const idcsAt = (url: string, http?: Record<string, unknown>) =>
    check({ provider: 'idcs', url, clientId: sim.clientId, clientSecret: sim.clientSecret, appName: sim.appName, ...(http ? { http } : {}) });

  it('nothing listening: the connection fails (ECONNREFUSED), later checks are not run', async () => {
    const port = await closedPort();
    const report = await withEnv(noProxyEnv, () => idcsAt(`http://127.0.0.1:${port}`));
    expect(report.ok).to.equal(false);
    expect(statuses(report)).to.deep.equal({ config: 'pass', connect: 'fail', http: 'skip', 'idcs.api': 'skip' });
    expect(result(report, 'connect').summary).to.include('ECONNREFUSED').and.include(`127.0.0.1:${port}`);
    expect(result(report, 'connect').next).to.include('Nothing listens');
  });

  it('a proxy in the environment that the strategy ignores (proxy off) is pointed out when the connection fails', async () => {
    const port = await closedPort();
    const report = await withEnv({ ...noProxyEnv, HTTPS_PROXY: 'http://user:pw@proxy.example:3128' }, () => idcsAt(`https://127.0.0.1:${port}`));
    const next = result(report, 'connect').next!;
    expect(next).to.include('HTTPS_PROXY=http://proxy.example:3128').and.include('proxy: true');
    expect(JSON.stringify(report)).to.not.include('pw@');
    expect(result(report, 'tls').status).to.equal('skip');
  });

  it('a self-signed certificate: connection ✔, TLS ✖ with the `http.ca` hint; with `ca` every check passes', async function () {
    const tls = selfSignedCertificate();
    if (!tls) this.skip(); // needs the openssl command (CI installs it)
    const front = await startHttpsFront(sim.url, tls!);
    try {
      const untrusted = await withEnv(noProxyEnv, () => idcsAt(front.url));
      expect(statuses(untrusted)).to.deep.equal({ config: 'pass', connect: 'pass', tls: 'fail', http: 'skip', 'idcs.api': 'skip' });
      const failure = result(untrusted, 'tls');
      expect(failure.summary).to.include('self-signed').and.include('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(failure.next).to.include('http.ca').and.include('--ca');

      const trusted = await withEnv(noProxyEnv, () => idcsAt(front.url, { ca: tls!.cert }));
      expect(trusted.ok).to.equal(true);
      expect(result(trusted, 'tls').summary).to.include('http.ca');
      expect(result(trusted, 'idcs.authenticate').status).to.equal('pass');
    } finally { await front.close(); }
  });

  it('a CA that does not sign the certificate: the hint says to give the issuing CA', async function () {
    const tls = selfSignedCertificate();
    const other = selfSignedCertificate();
    if (!tls || !other) this.skip();
    const front = await startHttpsFront(sim.url, tls!);
    try {
      const report = await withEnv(noProxyEnv, () => idcsAt(front.url, { ca: other!.cert }));
      expect(result(report, 'tls').status).to.equal('fail');
      expect(result(report, 'tls').next).to.include('does not sign');
    } finally { await front.close(); }
  });

  it('https:// to a plain-HTTP port: the TLS handshake fails with a scheme/port hint', async () => {
    const report = await withEnv(noProxyEnv, () => idcsAt(sim.url.replace('http:', 'https:')));
    expect(result(report, 'tls').status).to.equal('fail');
    expect(result(report, 'tls').next).to.include('does not speak TLS');
  });

  it('http.proxy: true goes through HTTP_PROXY (every call), and the report names the proxy', async () => {
    const proxy = await startProxy();
    try {
      const report = await withEnv({ ...noProxyEnv, HTTP_PROXY: proxy.url }, () => idcsAt(sim.url, { proxy: true }));
      expect(report.ok).to.equal(true);
      expect(result(report, 'connect').summary).to.include(`through the proxy ${proxy.url}`).and.include('HTTP_PROXY');
      expect(proxy.seen.length).to.be.at.least(1); // undici tunnels (CONNECT) even plain http, one per connection
      const seen = proxy.seen.length;
      // NO_PROXY exempts the host: said so, and the proxy sees nothing more.
      const bypass = await withEnv({ ...noProxyEnv, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, () => idcsAt(sim.url, { proxy: true }));
      expect(result(bypass, 'connect').summary).to.include('NO_PROXY');
      expect(proxy.seen).to.have.length(seen);
    } finally { await proxy.close(); }
  });

  it('a proxy that is down, and one that wants credentials (407), are told apart from the target', async () => {
    const port = await closedPort();
    const down = await withEnv({ ...noProxyEnv, HTTP_PROXY: `http://127.0.0.1:${port}` }, () => idcsAt(sim.url, { proxy: true }));
    expect(result(down, 'connect').summary).to.include(`the proxy http://127.0.0.1:${port} refused`);

    const auth = http.createServer((_req, res) => { res.writeHead(407, { 'proxy-authenticate': 'Basic' }); res.end(); });
    auth.on('connect', (_req, socket: import('node:net').Socket) => { socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n'); });
    await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
    try {
      const proxyUrl = `http://127.0.0.1:${(auth.address() as AddressInfo).port}`;
      const report = await withEnv({ ...noProxyEnv, HTTP_PROXY: proxyUrl }, () => idcsAt(sim.url, { proxy: true }));
      expect(result(report, 'connect').status).to.equal('fail');
      expect(result(report, 'connect').summary).to.include('407');
      expect(result(report, 'connect').next).to.include('user:password@');
    } finally {
      auth.closeAllConnections();
      await new Promise<void>((resolve) => auth.close(() => resolve()));
    }
  });

  it('a host that accepts the connection but never answers: the headers timeout, with the option to raise', async () => {
    sim.injectFault({ kind: 'hang' });
    const report = await withEnv(noProxyEnv, () => idcsAt(sim.url, { headersTimeoutMs: 300 }));
    expect(statuses(report)).to.deep.equal({ config: 'pass', connect: 'pass', http: 'fail', 'idcs.api': 'skip' });
    expect(result(report, 'http').summary).to.include('300 ms').and.include('UND_ERR_HEADERS_TIMEOUT');
    expect(result(report, 'http').next).to.include('--timeout');
  });

  it('a call that hangs later (the token endpoint) fails that check with the timeout explained', async () => {
    sim.injectFault({ kind: 'hang' }, { path: 'token' });
    const report = await withEnv(noProxyEnv, () => idcsAt(sim.url, { requestTimeoutMs: 300 }));
    expect(result(report, 'idcs.token').status).to.equal('fail');
    expect(result(report, 'idcs.token').summary).to.include('300 ms');
  });

  it('a plain-http URL outside loopback is a warning; a malformed URL a failure', async () => {
    const report = await withEnv(noProxyEnv, () => check({ provider: 'cyberark', url: 'http://does-not-resolve.invalid', http: { connectTimeoutMs: 1000 } }));
    expect(result(report, 'config').status).to.equal('warn');
    expect(result(report, 'config').next).to.include('https://');
    expect(result(report, 'connect').status).to.equal('fail');

    const bad = await check({ provider: 'cyberark', url: 'not a url' });
    expect(bad.ok).to.equal(false);
    expect(result(bad, 'config').summary).to.include('absolute URL');
  });
});
