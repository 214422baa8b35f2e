import { expect } from 'chai';
import { check } from '../../lib/index.js';
import { IdcsSimulator } from '../../lib/testing/index.js';
import { collectSecrets } from '../support/log-capture.js';
import { noProxyEnv, result, statuses, tokenLike, withEnv } from './helpers.js';

describe('check: IDCS (client-credentials token, first Authenticate API call)', () => {
  let sim: IdcsSimulator;
  before(async () => { sim = await IdcsSimulator.start(); });
  after(async () => { await sim.close(); });
  afterEach(() => { collectSecrets(sim.requests); sim.reset(); });

  const run = (extra: Record<string, unknown> = {}) => withEnv(noProxyEnv, () => check({
    provider: 'idcs', url: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, appName: sim.appName, ...extra,
  }));

  it('a correct configuration passes every check, and the report carries no secret, token or requestState', async () => {
    const report = await run();
    expect(report.ok).to.equal(true);
    expect(statuses(report)).to.deep.equal({ config: 'pass', connect: 'pass', http: 'pass', 'idcs.token': 'pass', 'idcs.authenticate': 'pass' });
    expect(result(report, 'idcs.authenticate').summary).to.include('"DemoApp"').and.include('USERNAME_PASSWORD');
    const text = JSON.stringify(report);
    expect(text).to.not.include(sim.clientSecret);
    expect(text).to.not.match(tokenLike);
    // Exactly the calls a login begins with, and no user named anywhere.
    const api = sim.requests.map((r) => `${r.method} ${r.path}`);
    expect(api).to.deep.equal(['GET /', 'POST /oauth2/v1/token', 'GET /sso/v1/sdk/authenticate']);
    expect(sim.requests[1]!.body).to.include('grant_type=client_credentials');
    expect(sim.requests[2]!.headers.authorization).to.match(/^Bearer /);
  });

  it('without appName the default sign-on policy is checked', async () => {
    const report = await run({ appName: undefined });
    expect(report.ok).to.equal(true);
    expect(result(report, 'idcs.authenticate').summary).to.include('default sign-on policy');
  });

  it('a wrong client secret: invalid_client, the next step names the id and secret; the Authenticate API is not called', async () => {
    const report = await run({ clientSecret: 'not-the-secret' });
    expect(report.ok).to.equal(false);
    const token = result(report, 'idcs.token');
    expect(token.status).to.equal('fail');
    expect(token.summary).to.include('invalid_client');
    expect(token.next).to.include('IDCS_CLIENT_SECRET');
    expect(result(report, 'idcs.authenticate').status).to.equal('skip');
    expect(JSON.stringify(report)).to.not.include('not-the-secret');
    expect(sim.requests.some((r) => r.path.includes('/sso/'))).to.equal(false);
  });

  it('an app without the Client Credentials grant (unauthorized_client): enable the grant', async () => {
    sim.injectFault({ kind: 'status', status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'unauthorized_client', error_description: 'x' }) }, { path: 'token' });
    const token = result(await run(), 'idcs.token');
    expect(token.status).to.equal('fail');
    expect(token.summary).to.include('unauthorized_client');
    expect(token.next).to.include('Client Credentials');
  });

  it('a scope IDCS refuses (invalid_scope): the Signin app role or the scope option', async () => {
    const token = result(await run({ scope: 'urn:example:wrong' }), 'idcs.token');
    expect(token.status).to.equal('fail');
    expect(token.summary).to.include('invalid_scope');
    expect(token.next).to.include('Signin').and.include('scope');
  });

  it('a wrong app name: AUTH-1118, the next step says what appName must be', async () => {
    const report = await run({ appName: 'NoSuchApp' });
    const auth = result(report, 'idcs.authenticate');
    expect(report.ok).to.equal(false);
    expect(auth.status).to.equal('fail');
    expect(auth.summary).to.include('"NoSuchApp"').and.include('AUTH-1118');
    expect(auth.next).to.include('display name');
  });

  it('an HTML 401 from the Authenticate API: the app lacks the Signin app role', async () => {
    sim.injectFault({ kind: 'status', status: 401, contentType: 'text/html', body: '<html><body>401 Unauthorized</body></html>' }, { path: 'authenticate' });
    const auth = result(await run(), 'idcs.authenticate');
    expect(auth.status).to.equal('fail');
    expect(auth.summary).to.include('HTTP 401');
    expect(auth.next).to.include('Signin');
  });

  it('a URL that is not the identity domain (HTML 404 at the token endpoint)', async () => {
    const report = await run({ url: `${sim.url}/ui/v1/signin` });
    expect(result(report, 'config').status).to.equal('warn');
    const token = result(report, 'idcs.token');
    expect(token.status).to.equal('fail');
    expect(token.summary).to.include('HTTP 404');
    expect(token.next).to.include('identity domain URL');
  });

  it('a token endpoint that fails (503) is reported as the domain failing', async () => {
    sim.injectFault({ kind: 'status', status: 503 }, { path: 'token' });
    const token = result(await run(), 'idcs.token');
    expect(token.status).to.equal('fail');
    expect(token.summary).to.include('HTTP 503');
  });

  it('missing client credentials are a configuration failure, before any call', async () => {
    const report = await run({ clientSecret: '' });
    expect(report.ok).to.equal(false);
    expect(report.results).to.have.length(1);
    expect(result(report, 'config').summary).to.include('clientSecret');
    expect(sim.requests).to.have.length(0);
  });
});
