/**
 * Self-test of the conformance harness: the fixture table holds what the brief says
 * Oracle's examples hold, and the scripted upstream answers, re-mints and checks as
 * documented (driven with raw HTTP, without the library).
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { request } from 'undici';
import { decodeJwt, example, exampleBody, oracleExamples, type JsonObject } from './oracle-examples.js';
import { AUTHENTICATE_PATH, get, JWT_BEARER, ME_PATH, post, SCOPE, ScriptedUpstream, TOKEN_PATH } from './scripted-upstream.js';

const vendorFiles = [
  'Oracle_Identity_Cloud_Service_Authentication_API.postman_collection.json', 'usingauthenticateapis-2025-01-14.md',
  'MFAAuthAPIStatusCodes-2023-10-12.md', 'MFAAuthAPIErrorCodes-2025-01-14.md', 'idcsAuthnSDK.js', 'pl_IDCS-Authn-API-Username-Password.postman_collection.json',
];

describe('IDCS conformance: the Oracle example table', () => {
  it('names a vendor source for every entry, and a note for every entry that is not an Oracle example', () => {
    expect(Object.keys(oracleExamples).length).to.be.at.least(60);
    for (const [id, entry] of Object.entries(oracleExamples)) {
      expect(vendorFiles.some((file) => entry.source.startsWith(file)), `${id}: ${entry.source}`).to.equal(true);
      expect(entry.httpStatus, id).to.be.oneOf([200, 400, 401, 422]);
      expect(entry.body, id).to.satisfy((b: unknown) => typeof b === 'string' || (typeof b === 'object' && b !== null));
      if (entry.unverified) expect(entry.note, id).to.be.a('string');
    }
    if (existsSync('/work/shared/vendor/idcs')) {
      for (const file of vendorFiles) expect(existsSync(`/work/shared/vendor/idcs/${file}`), file).to.equal(true);
    }
  });

  it('holds Oracle-shaped authnTokens only: {kid,typ,alg} and {session,iss:"authsdk",exp,iat,tenant}, no user claims', () => {
    let seen = 0;
    for (const [id, entry] of Object.entries(oracleExamples)) {
      if (typeof entry.body === 'string' || typeof entry.body.authnToken !== 'string') continue;
      seen++;
      const { header, payload } = decodeJwt(entry.body.authnToken);
      expect(header, id).to.deep.equal({ kid: 'SIGNING_KEY', typ: 'JWT', alg: 'RS256' });
      expect(Object.keys(payload).sort(), id).to.deep.equal(['exp', 'iat', 'iss', 'session', 'tenant']);
      expect(payload.iss, id).to.equal('authsdk');
      expect((payload.exp as number) - (payload.iat as number), id).to.equal(29);
    }
    expect(seen).to.be.at.least(15);
  });

  it('keeps the facts the provider is built on', () => {
    const body = (id: string) => exampleBody(id);
    // Wrong password: 401 AUTH-3001 without nextOp; the account-recovery variant has nextOp.
    expect(example('password-wrong').httpStatus).to.equal(401);
    expect(body('password-wrong')).to.not.have.any.keys('nextOp', 'nextAuthFactors');
    expect((body('password-wrong').cause as JsonObject[])[0]!.code).to.equal('AUTH-3001');
    expect(body('password-wrong-account-recovery')).to.include.keys('nextOp', 'nextAuthFactors', 'USERNAME_PASSWORD', 'requestState');
    // Push: pending AUTH-1108 right after the password, denied 401 AUTH-1007.
    expect(body('password-then-push-pending')).to.include({ status: 'pending', displayName: "Joe's iPhone" });
    expect((body('push-denied').cause as JsonObject[])[0]).to.deep.equal({ message: 'Authentication failed.', code: 'AUTH-1007' });
    // A device choice answers without nextAuthFactors: the factor is the object that is present.
    for (const id of ['device-choice-sms', 'device-choice-email', 'device-choice-push-pending']) expect(body(id), id).to.not.have.property('nextAuthFactors');
    // A verified enrollment: status + nextOp [createToken, createSession, enrollment], no nextAuthFactors.
    for (const id of ['enroll-email-verified', 'enroll-sms-verified', 'enroll-totp-online-verified', 'enroll-totp-offline-verified', 'enroll-push-verified', 'enroll-sq-verified']) {
      expect(body(id).nextOp, id).to.deep.equal(['createToken', 'createSession', 'enrollment']);
      expect(body(id), id).to.not.have.property('nextAuthFactors');
    }
    expect((body('enroll-totp-online-start').TOTP as { qrCode: { content: string } }).qrCode.content).to.match(/^oraclemobileauthenticator:\/\//);
    expect((body('enroll-totp-offline-start').TOTP as { qrCode: { content: string } }).qrCode.content).to.match(/^otpauth:\/\/totp\/.*[?&]secret=G7CQBK3EQOHUHT4IKO5COINDPQ&/);
    expect((body('enroll-totp-pending').cause as JsonObject[])[0]!.code).to.equal('AUTH-1109');
    // Terms of use: declining is 401 AUTH-3035 without nextOp or requestState.
    expect(example('tou-declined').httpStatus).to.equal(401);
    expect(body('tou-declined')).to.not.have.any.keys('nextOp', 'requestState');
    expect(body('token-jwt-bearer')).to.include({ token_type: 'Bearer', expires_in: 7600 });
    expect(body('scim-me')).to.include({ id: 'de94e8399a0e4f23ac52fc681f5fb828', userName: 'admin@oracle.com', displayName: 'admin opc' });
  });
});

describe('IDCS conformance: the scripted upstream', () => {
  let up: ScriptedUpstream;
  before(async () => { up = await ScriptedUpstream.start({ appName: 'SelfTest' }); });
  beforeEach(() => up.reset());
  after(async () => up.close());

  const basic = () => `Basic ${Buffer.from(`${up.clientId}:${up.clientSecret}`).toString('base64')}`;
  async function call(method: 'GET' | 'POST', path: string, options: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(options.json); }
    if (options.form) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(options.form).toString(); }
    const res = await request(`${up.url}${path}`, { method, headers, body });
    const text = await res.body.text();
    let parsed: any;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.statusCode, contentType: String(res.headers['content-type']), text, json: parsed };
  }
  const appToken = async () => (await call('POST', TOKEN_PATH, { headers: { authorization: basic() }, form: { grant_type: 'client_credentials', scope: SCOPE } })).json.access_token as string;

  it('plays a whole password login: token, GET, credSubmit, JWT-bearer grant, Me', async () => {
    up.script(get('start-password'), post('password-success', { op: 'credSubmit', credentials: ['username', 'password'] }));
    const token = await appToken();
    const started = await call('GET', `${AUTHENTICATE_PATH}?appName=SelfTest`, { headers: { authorization: `Bearer ${token}` } });
    expect(started.status).to.equal(200);
    expect(Object.keys(started.json)).to.deep.equal(Object.keys(exampleBody('start-password')));
    expect(started.json.requestState).to.be.a('string').and.not.equal(exampleBody('start-password').requestState);
    const done = await call('POST', AUTHENTICATE_PATH, {
      headers: { authorization: `Bearer ${token}` },
      json: { op: 'credSubmit', credentials: { username: 'u', password: 'p' }, requestState: started.json.requestState },
    });
    const { header, payload } = decodeJwt(done.json.authnToken);
    expect(header).to.deep.equal({ kid: 'SIGNING_KEY', typ: 'JWT', alg: 'RS256' });
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).to.be.below(5);
    expect((payload.exp as number) - (payload.iat as number)).to.equal(29);
    expect(payload).to.include({ iss: 'authsdk', tenant: 'tenant1' });
    const user = await call('POST', TOKEN_PATH, { headers: { authorization: basic() }, form: { grant_type: JWT_BEARER, scope: SCOPE, assertion: done.json.authnToken } });
    expect(user.json).to.include({ token_type: 'Bearer', expires_in: 7600 });
    const me = await call('GET', ME_PATH, { headers: { authorization: `Bearer ${user.json.access_token}` } });
    expect(me.json.userName).to.equal('admin@oracle.com');
    expect(up.requests.map((r) => r.kind)).to.deep.equal(['token', 'authenticate', 'authenticate', 'token', 'me']);
    expect(up.problems).to.deep.equal([]);
    up.verify();
  });

  it('reports a stale requestState, a wrong op, missing credentials, and an unscripted call', async () => {
    up.script(get('start-password'), post('password-then-sms', { op: 'credSubmit', credentials: ['username', 'password'] }), post('sms-wrong-code', { op: 'credSubmit', authFactor: 'SMS' }));
    const auth = { authorization: `Bearer ${await appToken()}` };
    const started = await call('GET', `${AUTHENTICATE_PATH}?appName=SelfTest`, { headers: auth });
    await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'credSubmit', credentials: { username: 'u' }, requestState: started.json.requestState } });
    await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'resendCode', requestState: started.json.requestState } });
    await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'credSubmit', requestState: 'x' } });
    expect(up.problems.join('\n')).to.include('expected credentials {username, password}, got {username}')
      .and.include('expected op credSubmit, got "resendCode"')
      .and.include('expected authFactor SMS, got undefined')
      .and.include('requestState of the previous request sent again')
      .and.include('unscripted POST op=credSubmit');
    expect(() => up.verify()).to.throw(/scripted IDCS upstream/);
  });

  it('checks "reused": after a failure without nextOp the failed call\'s requestState is sent again', async () => {
    up.script(get('start-password'), post('password-wrong'), post('password-success', { requestState: 'reused' }));
    const auth = { authorization: `Bearer ${await appToken()}` };
    const started = await call('GET', `${AUTHENTICATE_PATH}?appName=SelfTest`, { headers: auth });
    const wrong = await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'credSubmit', credentials: { username: 'u', password: 'x' }, requestState: started.json.requestState } });
    expect(wrong.status).to.equal(401);
    expect(wrong.json).to.not.have.property('nextOp');
    await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'credSubmit', credentials: { username: 'u', password: 'p' }, requestState: started.json.requestState } });
    up.verify();
  });

  it('answers the scripted HTML 401 and then refuses the revoked app token; keeps app tokens across reset()', async () => {
    const first = await appToken();
    up.reset();
    up.script(get('start-password'), post('app-token-rejected-html', {}, { revokeAppTokens: true }));
    const started = await call('GET', `${AUTHENTICATE_PATH}?appName=SelfTest`, { headers: { authorization: `Bearer ${first}` } });
    expect(started.status).to.equal(200);
    const refused = await call('POST', AUTHENTICATE_PATH, { headers: { authorization: `Bearer ${first}` }, json: { op: 'credSubmit', requestState: started.json.requestState } });
    expect(refused.status).to.equal(401);
    expect(refused.contentType).to.match(/^text\/html/);
    expect(up.problems).to.deep.equal([]);
    await call('GET', `${AUTHENTICATE_PATH}?appName=SelfTest`, { headers: { authorization: `Bearer ${first}` } });
    expect(up.problems.join('\n')).to.include('without a live app token');
  });

  it('refuses a token request without client authentication, a foreign assertion, and Me with the app token', async () => {
    const token = await appToken();
    expect((await call('POST', TOKEN_PATH, { form: { grant_type: 'client_credentials', scope: SCOPE } })).status).to.equal(401);
    expect((await call('POST', TOKEN_PATH, { headers: { authorization: basic() }, form: { grant_type: JWT_BEARER, assertion: 'a.b.c' } })).status).to.equal(400);
    expect((await call('GET', ME_PATH, { headers: { authorization: `Bearer ${token}` } })).status).to.equal(401);
    expect(up.problems).to.have.length(3);
    expect(up.problems[2]).to.include('app token instead of the user token');
  });

  it('applies patches and hands out fresh requestStates and trustTokens on every answer', async () => {
    up.script(get('start-password'), post('password-then-sms', {}, { patch: (b) => { delete b.trustedDeviceSettings; } }), post('sms-success-trusted', { requestState: 'any' }));
    const auth = { authorization: `Bearer ${await appToken()}` };
    const a = await call('GET', `${AUTHENTICATE_PATH}?appName=SelfTest`, { headers: auth });
    const b = await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'credSubmit', credentials: {}, requestState: a.json.requestState } });
    expect(b.json).to.not.have.property('trustedDeviceSettings');
    expect(b.json.requestState).to.not.equal(a.json.requestState);
    const c = await call('POST', AUTHENTICATE_PATH, { headers: auth, json: { op: 'credSubmit', requestState: 'whatever' } });
    expect(c.json.trustToken).to.be.a('string').and.not.equal(exampleBody('sms-success-trusted').trustToken);
    up.verify();
  });
});
