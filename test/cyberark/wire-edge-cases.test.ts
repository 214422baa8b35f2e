/**
 * Upstream answers the simulator does not produce, scripted with undici's MockAgent:
 * each test lists the CyberArk responses in order and checks what the user gets.
 */
import { expect } from 'chai';
import { MockAgent } from 'undici';
import type { Profile, UpstreamTokens } from '../../lib/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';

const tenant = 'https://abc1234.id.cyberark.cloud';
const ok = (result: object) => ({ success: true, Result: result, Message: null, ErrorID: null });
const up = { AnswerType: 'Text', Name: 'UP', PromptSelectMech: 'Password', PromptMechChosen: 'Enter Password', MechanismId: 'M-UP' };
const email = { AnswerType: 'StartTextOob', Name: 'EMAIL', PromptSelectMech: 'Email', MechanismId: 'M-EM' };
const pkg = (...challenges: object[][]) => ok({ SessionId: 'S-1', TenantId: 'ABC1234', Summary: 'NewPackage', Challenges: challenges.map((m) => ({ Mechanisms: m })) });

describe('CyberArk wire edge cases (MockAgent)', () => {
  let agent: MockAgent;
  let app: TestApp;
  let bodies: unknown[];

  let verified: { profile: Profile; tokens: UpstreamTokens } | undefined;

  async function script(replies: unknown[], provider: object = {}): Promise<LoginClient> {
    agent = new MockAgent();
    agent.disableNetConnect();
    bodies = [];
    const queue = [...replies];
    agent.get(tenant).intercept({ path: /^\/Security\//, method: 'POST' }).reply((options) => {
      bodies.push(JSON.parse(String(options.body)));
      const next = queue.shift();
      if (next === undefined) return { statusCode: 500, data: 'no more replies' };
      if (typeof next === 'number') return { statusCode: next, data: '<html>error</html>', responseOptions: { headers: { 'content-type': 'text/html' } } };
      return { statusCode: 200, data: JSON.stringify(next), responseOptions: { headers: { 'content-type': 'application/json; charset=utf-8' } } };
    }).persist();
    app = await startApp({ upstreamUrl: tenant, provider, strategy: { http: { dispatcher: agent } }, onVerify: (profile, tokens) => { verified = { profile, tokens }; } });
    return new LoginClient(app.url);
  }
  afterEach(async () => {
    await app?.close();
    await agent?.close();
  });

  it('MultipleOperations answered with a plain OobPending (no ResultAppliesTo) is about the last operation', async () => {
    const client = await script([pkg([up], [email]), ok({ Summary: 'OobPending' })]);
    await client.startWithPassword('alice');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({ type: 'link', acceptsCode: true });
    expect((bodies[1] as { MultipleOperations: unknown[] }).MultipleOperations).to.have.length(2);
  });

  it('a failed automatic start after an accepted password offers the method again instead of stranding the login', async () => {
    const client = await script([pkg([up], [email]), ok({ Summary: 'StartNextChallenge' }), 503, ok({ Summary: 'OobPending' })], { multipleOperations: false });
    await client.startWithPassword('alice');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.message).to.match(/could not be started/i);
    expect(client.step!.challenge).to.deep.equal({ index: 2, count: 2 });
    await client.select('link');
    expect(client.step!.kind).to.equal('pending');
    expect((bodies.at(-1) as { Action: string; MechanismId: string })).to.include({ Action: 'StartOOB', MechanismId: 'M-EM' });
  });

  it('success:false without a Result is AUTH_FAILED', async () => {
    const client = await script([pkg([up]), { success: false, Message: 'some error' }]);
    await client.start('alice');
    const res = await client.answer('x');
    expect(res.json.error.code).to.equal('AUTH_FAILED');
  });

  it('an unknown Summary is UPSTREAM_BAD_RESPONSE, never a login', async () => {
    const client = await script([pkg([up]), ok({ Summary: 'SomethingNew' })]);
    await client.start('alice');
    const res = await client.answer('x');
    expect(res.status).to.equal(502);
    expect(res.json.error.code).to.equal('UPSTREAM_BAD_RESPONSE');
  });

  it('no challenges, or only FIDO2/Duo, is MECHANISM_UNSUPPORTED', async () => {
    let client = await script([ok({ SessionId: 'S', Summary: 'NewPackage', Challenges: [] })]);
    expect((await client.start('alice')).json.error.code).to.equal('MECHANISM_UNSUPPORTED');
    await app.close(); await agent.close();
    client = await script([pkg([{ AnswerType: 'StartOob', Name: 'U2F', MechanismId: 'M-U2F' }])]);
    expect((await client.start('alice')).json.error.code).to.equal('MECHANISM_UNSUPPORTED');
  });

  it('a second pod redirect in a row is refused (no redirect loops)', async () => {
    const client = await script([ok({ PodFqdn: 'abc1234.id.cyberark.cloud' }), ok({ podfqdn: 'abc1234.id.cyberark.cloud' })]);
    const res = await client.start('alice');
    expect(res.json.error.code).to.equal('UPSTREAM_BAD_RESPONSE');
    expect(bodies).to.have.length(2);
  });

  it('a pod redirect that would downgrade to http is refused', async () => {
    const client = await script([ok({ PodFqdn: 'http://xyz.id.cyberark.cloud' })]);
    expect((await client.start('alice')).json.error.code).to.equal('UPSTREAM_REDIRECT_REFUSED');
  });

  it('a LoginSuccess without user fields is UPSTREAM_BAD_RESPONSE (never a login as nobody)', async () => {
    const client = await script([pkg([up]), ok({ Summary: 'LoginSuccess' })]);
    await client.start('alice');
    expect((await client.answer('x')).json.error.code).to.equal('UPSTREAM_BAD_RESPONSE');
  });

  it('profile._json holds user fields only, never credential-like fields', async () => {
    const client = await script([pkg([up]), ok({
      Summary: 'LoginSuccess', UserId: 'u-1', User: 'alice@example.com', DisplayName: 'Alice', Token: 'tok-secret',
      Auth: 'auth-secret', SessionToken: 'session-secret', OAuthTokens: { access_token: 'at-secret' },
    })]);
    await client.start('alice');
    const done = await client.answer('x');
    expect(done.json.step.kind).to.equal('done');
    expect(verified!.profile).to.include({ id: 'u-1', username: 'alice@example.com', displayName: 'Alice' });
    expect(Object.keys(verified!.profile._json)).to.have.members(['UserId', 'User', 'DisplayName']);
    expect(JSON.stringify(verified!.profile)).to.not.match(/secret/);
    expect(verified!.tokens).to.include({ accessToken: 'tok-secret', auth: 'auth-secret' });
  });
});
