import { expect } from 'chai';
import { check } from '../../lib/index.js';
import { OaaSimulator } from '../../lib/testing/index.js';
import { collectSecrets } from '../support/log-capture.js';
import { noProxyEnv, result, statuses, withEnv } from './helpers.js';

describe('check: OAA (runtime API credentials; nothing that needs a user)', () => {
  let sim: OaaSimulator;
  before(async () => { sim = await OaaSimulator.start(); });
  after(async () => { await sim.close(); });
  afterEach(() => { collectSecrets(sim.requests); sim.reset(); });

  const run = (extra: Record<string, unknown> = {}) => withEnv(noProxyEnv, () => check({
    provider: 'oaa', url: sim.url, auth: { username: sim.apiUsername, password: sim.apiKey }, ...extra,
  }));

  it('valid API credentials pass; the agent and assurance level are honestly reported as not checked; no challenge is started', async () => {
    const report = await run({ clientId: sim.clientId, clientSecret: sim.clientSecret, assuranceLevel: 'PassportAL1' });
    expect(report.ok).to.equal(true);
    expect(statuses(report)).to.deep.equal({ config: 'pass', connect: 'pass', http: 'pass', 'oaa.api': 'pass', 'oaa.agent': 'skip' });
    expect(result(report, 'oaa.agent').summary).to.include('without a user');
    expect(JSON.stringify(report)).to.not.include(sim.apiKey).and.not.include(sim.clientSecret);
    // One empty PUT (no correlationId, no user) and never a POST, which would start a challenge.
    const authn = sim.requests.filter((r) => r.path.endsWith('/authn/v1'));
    expect(authn.map((r) => r.method)).to.deep.equal(['PUT']);
    expect(authn[0]!.body).to.deep.equal({});
    expect(sim.state().sessions).to.have.length(0);
  });

  it('a bearer token (string or function) is sent as the provider sends it', async () => {
    expect((await run({ auth: { bearer: sim.bearerToken } })).ok).to.equal(true);
    expect((await run({ auth: { bearer: async () => sim.bearerToken } })).ok).to.equal(true);
  });

  it('a wrong API key: 401, the next step explains the Basic user and the decoded oaaapikey', async () => {
    const report = await run({ auth: { username: sim.apiUsername, password: 'wrong-key' } });
    const api = result(report, 'oaa.api');
    expect(report.ok).to.equal(false);
    expect(api.status).to.equal('fail');
    expect(api.summary).to.include('HTTP 401');
    expect(api.next).to.include('oaaapikey');
  });

  it('a base URL without /oaa/runtime: a warning, then no runtime API there', async () => {
    const report = await run({ url: sim.url.replace('/oaa/runtime', '/oaa') });
    expect(result(report, 'config').status).to.equal('warn');
    expect(result(report, 'oaa.api').status).to.equal('fail');
    expect(result(report, 'oaa.api').next).to.include('/oaa/runtime');
  });

  it('the browser UI URL (/oaa/rui) is refused before any call', async () => {
    const report = await run({ url: sim.registrationUrl });
    expect(report.results.map((r) => r.id)).to.deep.equal(['config']);
    expect(result(report, 'config').status).to.equal('fail');
    expect(sim.requests).to.have.length(0);
  });

  it('no API credentials: the credentials check is skipped, the report still passes', async () => {
    const report = await run({ auth: undefined });
    expect(report.ok).to.equal(true);
    expect(result(report, 'oaa.api').status).to.equal('skip');
    expect(result(report, 'oaa.api').next).to.include('OAA_API_KEY');
  });

  it('an HTML page instead of the API (a login portal in front) fails', async () => {
    sim.injectFault({ kind: 'html' }, { path: 'authn' });
    const api = result(await run(), 'oaa.api');
    expect(api.status).to.equal('fail');
    expect(api.summary).to.include('text/html');
  });
});
