import { expect } from 'chai';
import { check } from '../../lib/index.js';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { collectSecrets } from '../support/log-capture.js';
import { noProxyEnv, result, statuses, withEnv } from './helpers.js';

describe('check: CyberArk (StartAuthentication without a user; pod redirects)', () => {
  let sim: CyberArkSimulator;
  before(async () => { sim = await CyberArkSimulator.start(); });
  after(async () => { await sim.close(); });
  afterEach(() => { collectSecrets(sim.requests); sim.reset(); });

  const run = (extra: Record<string, unknown> = {}) => withEnv(noProxyEnv, () => check({ provider: 'cyberark', url: sim.url, ...extra }));

  it('a tenant passes; the only API call names no user and opens no session', async () => {
    const report = await run({ tenantId: 'ABC1234' });
    expect(report.ok).to.equal(true);
    expect(statuses(report)).to.deep.equal({ config: 'pass', connect: 'pass', http: 'pass', 'cyberark.api': 'pass' });
    expect(result(report, 'cyberark.api').summary).to.include('Undefined').and.include('no session');
    const api = sim.requests.filter((r) => r.method === 'POST');
    expect(api.map((r) => r.path)).to.deep.equal(['/Security/StartAuthentication']);
    expect(api[0]!.body).to.deep.equal({ User: '', Version: '1.0', TenantId: 'ABC1234' });
    expect(api[0]!.headers['x-idap-native-client']).to.equal('true');
  });

  it('a Delinea-style path prefix is kept', async () => {
    const prefixed = await CyberArkSimulator.start({ basePath: '/identity' });
    try {
      const report = await withEnv(noProxyEnv, () => check({ provider: 'cyberark', url: prefixed.url }));
      expect(report.ok).to.equal(true);
      expect(prefixed.requests.at(-1)!.path).to.equal('/identity/Security/StartAuthentication');
    } finally { await prefixed.close(); }
  });

  it('a pod redirect outside podAllowlist: reported with the host to configure', async () => {
    sim.switches.podRedirects = { '127.0.0.1': `localhost:${sim.port}` };
    const report = await run();
    const pod = result(report, 'cyberark.pod');
    expect(report.ok).to.equal(false);
    expect(pod.status).to.equal('fail');
    expect(pod.summary).to.include(`localhost:${sim.port}`);
    expect(pod.next).to.include(`http://localhost:${sim.port}`).and.include('podAllowlist');
  });

  it('an allowed pod redirect: the pod host is reached, and using it directly is suggested', async () => {
    sim.switches.podRedirects = { '127.0.0.1': `localhost:${sim.port}` };
    const report = await run({ podAllowlist: [`localhost:${sim.port}`] });
    const pod = result(report, 'cyberark.pod');
    expect(report.ok).to.equal(true);
    expect(pod.status).to.equal('pass');
    expect(pod.next).to.include(`http://localhost:${sim.port}/`);
    expect(sim.requests.filter((r) => r.method === 'POST').map((r) => r.host)).to.deep.equal([`127.0.0.1:${sim.port}`, `localhost:${sim.port}`]);
  });

  it('an HTML page where the API should be (a wrong tenant URL or a portal) fails with the URL to use', async () => {
    sim.injectFault({ kind: 'html' }, { path: 'StartAuthentication' });
    const api = result(await run(), 'cyberark.api');
    expect(api.status).to.equal('fail');
    expect(api.summary).to.include('text/html');
    expect(api.next).to.include('tenant URL');
  });

  it('JSON that is not CyberArk\'s envelope fails', async () => {
    sim.injectFault({ kind: 'status', status: 200, contentType: 'application/json', body: '{"hello":"world"}' }, { path: 'StartAuthentication' });
    const api = result(await run(), 'cyberark.api');
    expect(api.status).to.equal('fail');
    expect(api.summary).to.include('envelope');
  });
});
