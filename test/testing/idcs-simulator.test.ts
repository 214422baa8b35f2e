/**
 * The IDCS simulator over real HTTP on loopback. Expected shapes are Oracle's saved examples
 * (shared/vendor/idcs: docs page, Postman collections, error catalogues); each block names
 * the example it checks against.
 */
import { verify } from 'node:crypto';
import { expect } from 'chai';
import { IdcsSimulator, type IdcsSimUser, idcsDemoUsers } from '../../lib/testing/index.js';
import { type SendInit, type Reply as SimReply, send as sendTo, totp, wrongCode } from './support.js';

/** The parts of an authenticate answer the tests read; factor objects vary by factor. */
interface Answer {
  status?: string;
  ecId?: string;
  displayName?: string;
  nextOp?: string[];
  nextAuthFactors?: string[];
  cause?: Array<{ code: string; message: string }>;
  requestState?: string;
  authnToken?: string;
  trustToken?: string;
  mfaSettings?: { enrollmentRequired: boolean };
  trustedDeviceSettings?: { trustDurationInDays: number };
  // Per-factor objects (`TOTP`, `SMS`, …), `TOU`, `IDP`, OAuth and SCIM fields: checked field by field.
  [key: string]: any;
}

type Reply = SimReply<Answer>;
const send = (url: string, init?: SendInit): Promise<Reply> => sendTo<Answer>(url, init);
const MY_SCOPES = 'urn:opc:idm:__myscopes__';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, any>; signature: string } {
  const [header, payload, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, any>,
    signature: signature!,
  };
}

/** A client of the simulated identity domain: one app token, one flow at a time; like Oracle's SDK it can keep a state. */
class Client {
  token = '';
  state = '';

  constructor(private readonly sim: IdcsSimulator) {}

  tokenRequest(body: string, secret = this.sim.clientSecret): Promise<Reply> {
    const basic = Buffer.from(`${this.sim.clientId}:${secret}`).toString('base64');
    return send(`${this.sim.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }

  async fetchToken(): Promise<Reply> {
    const reply = await this.tokenRequest(`grant_type=client_credentials&scope=${encodeURIComponent(MY_SCOPES)}`);
    this.token = reply.json.access_token ?? '';
    return reply;
  }

  userToken(authnToken: string): Promise<Reply> {
    return this.tokenRequest(`grant_type=${encodeURIComponent(JWT_BEARER)}&scope=${MY_SCOPES}&assertion=${authnToken}`);
  }

  me(accessToken: string): Promise<Reply> {
    return send(`${this.sim.url}/admin/v1/Me`, { headers: { authorization: `Bearer ${accessToken}` } });
  }

  async begin(appName: string | null = this.sim.appName): Promise<Reply> {
    if (!this.token) await this.fetchToken();
    const query = appName === null ? '' : `?appName=${encodeURIComponent(appName)}`;
    return this.track(await send(`${this.sim.url}/sso/v1/sdk/authenticate${query}`, { headers: this.headers() }));
  }

  /** POSTs an operation with the latest requestState (unless the body names one). */
  async post(body: Record<string, unknown>): Promise<Reply> {
    const text = JSON.stringify({ ...body, requestState: 'requestState' in body ? body.requestState : this.state });
    return this.raw(text);
  }

  async raw(text: string): Promise<Reply> {
    return this.track(await send(`${this.sim.url}/sso/v1/sdk/authenticate`, { method: 'POST', headers: this.headers(), body: text }));
  }

  password(username: string, password = `${username}-pw`, extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.post({ op: 'credSubmit', credentials: { username, password }, ...extra });
  }

  async login(username: string): Promise<Reply> {
    await this.begin();
    return this.password(username);
  }

  /** Signs in with a password-only user and returns the authnToken. */
  async authnToken(username = 'ann'): Promise<string> {
    const done = await this.login(username);
    expect(done.json.authnToken, JSON.stringify(done.json)).to.be.a('string');
    return done.json.authnToken!;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', accept: 'application/json' };
  }

  private track(reply: Reply): Reply {
    if (reply.json.requestState) this.state = reply.json.requestState;
    return reply;
  }
}

describe('IdcsSimulator (loopback Oracle IDCS Authenticate API)', () => {
  let sim: IdcsSimulator;
  let c: Client;

  before(async () => {
    sim = await IdcsSimulator.start();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    c = new Client(sim);
  });

  describe('client-credentials token (pl_* collections "Generate Access Token to Access Authn API")', () => {
    it('issues Bearer tokens for the right client only; an expired token gets HTML 401 until renewed', async () => {
      expect(sim.controlUrl).to.equal(`${sim.url}/_sim`);
      expect([sim.clientId, sim.clientSecret, sim.appName, sim.tenant]).to.deep.equal(['demo-client', 'demo-secret', 'DemoApp', 'tenant1']);
      const bad = await c.tokenRequest(`grant_type=client_credentials&scope=${MY_SCOPES}`, 'nope');
      expect(bad.status).to.equal(401);
      expect(bad.json).to.include({ error: 'invalid_client' });
      expect((await c.tokenRequest(`grant_type=password&scope=${MY_SCOPES}`)).json).to.include({ error: 'unsupported_grant_type' });
      expect((await c.tokenRequest('grant_type=client_credentials')).json).to.include({ error: 'invalid_scope' });
      expect(sim.tokensIssued()).to.equal(0);

      const ok = await c.fetchToken();
      expect(ok.status).to.equal(200);
      expect(Object.keys(ok.json)).to.have.members(['access_token', 'token_type', 'expires_in']);
      expect(ok.json).to.include({ token_type: 'Bearer', expires_in: 3600 });
      expect(sim.tokensIssued()).to.equal(1);

      const none = await send(`${sim.url}/sso/v1/sdk/authenticate?appName=DemoApp`);
      expect(none.status).to.equal(401);
      expect(none.headers['content-type']).to.equal('text/html');
      expect((await c.begin()).status).to.equal(200);

      sim.expireAccessTokens();
      const expired = await c.password('ann');
      expect(expired.status).to.equal(401);
      expect(expired.headers['content-type']).to.equal('text/html');
      expect(expired.text).to.match(/<html/i);
      // Renew and replay the same call: the requestState was not consumed by the HTML 401.
      await c.fetchToken();
      expect(sim.tokensIssued()).to.equal(2);
      expect((await c.password('ann')).json.authnToken).to.be.a('string');
    });
  });

  describe('authnToken (collection: decoded saved tokens)', () => {
    it('is an RS256 JWT {kid: SIGNING_KEY} whose payload is exactly session, iss authsdk, exp = iat + 29, iat, tenant', async () => {
      const jwt = await c.authnToken('ann');
      const { header, payload, signature } = decodeJwt(jwt);
      expect(header).to.deep.equal({ kid: 'SIGNING_KEY', typ: 'JWT', alg: 'RS256' });
      expect(Object.keys(payload)).to.deep.equal(['session', 'iss', 'exp', 'iat', 'tenant']);
      expect(payload).to.include({ iss: 'authsdk', tenant: 'tenant1' });
      expect(payload.exp - payload.iat).to.equal(29);
      expect(payload.session).to.match(/^[A-Za-z0-9+/]{1000,}={0,2}$/);
      expect(signature).to.have.length(342);
      const [h, p] = jwt.split('.');
      expect(verify('sha256', Buffer.from(`${h}.${p}`), sim.signingKey, Buffer.from(signature, 'base64url'))).to.equal(true);
      // A new session each time: nothing in it names the user.
      expect(decodeJwt(await c.authnToken('ann')).payload.session).to.not.equal(payload.session);
      expect(jwt).to.not.include(Buffer.from('ann').toString('base64url'));
    });
  });

  describe('jwt-bearer grant (docs page "Generating Access Token Using Authentication API", Step 3)', () => {
    it('exchanges a live authnToken for {access_token, token_type: Bearer, expires_in: 7600}; bad or expired ones are invalid_grant', async () => {
      const authnToken = await c.authnToken('ann');
      const user = await c.userToken(authnToken);
      expect(user.status).to.equal(200);
      expect(Object.keys(user.json)).to.have.members(['access_token', 'token_type', 'expires_in']);
      expect(user.json).to.include({ token_type: 'Bearer', expires_in: 7600 });
      expect(sim.state()).to.include({ tokensIssued: 2, userTokensIssued: 1 });
      // UNVERIFIED (single use): accepted again until it expires.
      expect((await c.userToken(authnToken)).status).to.equal(200);

      const forged = authnToken.slice(0, -4) + (authnToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const bad = await c.userToken(forged);
      expect(bad.status).to.equal(400);
      expect(bad.json.error).to.equal('invalid_grant');
      expect(bad.json.error_description).to.be.a('string');
      expect((await c.userToken('not-a-jwt')).json.error).to.equal('invalid_grant');
      expect((await c.tokenRequest(`grant_type=${encodeURIComponent(JWT_BEARER)}&scope=${MY_SCOPES}`)).json.error).to.equal('invalid_request');

      sim.expireAuthnTokens();
      const expired = await c.userToken(authnToken);
      expect(expired.status).to.equal(400);
      expect(expired.json.error).to.equal('invalid_grant');
      // A user token does not open the authenticate API.
      const asApp = await send(`${sim.url}/sso/v1/sdk/authenticate`, { headers: { authorization: `Bearer ${user.json.access_token}` } });
      expect(asApp.status).to.equal(401);
      expect(asApp.headers['content-type']).to.equal('text/html');
    });

    it('jwtAssertionGrant: false answers 400 unauthorized_client; client credentials keep working', async () => {
      sim.switches.jwtAssertionGrant = false;
      const authnToken = await c.authnToken('ann');
      const refused = await c.userToken(authnToken);
      expect(refused.status).to.equal(400);
      expect(refused.json).to.include({ error: 'unauthorized_client' });
      expect((await c.fetchToken()).status).to.equal(200);
    });
  });

  describe('GET /admin/v1/Me (docs page "Generating Access Token…", Step 4)', () => {
    it('returns the SCIM record of the user the token belongs to, with a stable 32-hex id', async () => {
      const token = (await c.userToken(await c.authnToken('ann'))).json.access_token as string;
      const me = await c.me(token);
      expect(me.status).to.equal(200);
      expect(me.headers['content-type']).to.match(/^application\/scim\+json/);
      const record = me.json;
      expect(record.schemas).to.deep.equal([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        'urn:ietf:params:scim:schemas:oracle:idcs:extension:user:User',
        'urn:ietf:params:scim:schemas:oracle:idcs:extension:userState:User',
      ]);
      expect(record.id).to.match(/^[0-9a-f]{32}$/);
      expect(record).to.include({ userName: 'ann', displayName: 'Ann Archer', active: true });
      expect(record.name).to.deep.equal({ formatted: 'Ann Archer', familyName: 'Archer', givenName: 'Ann' });
      expect(record.emails).to.deep.include({ verified: false, primary: true, secondary: false, value: 'ann@example.com', type: 'work' });
      expect(record.meta).to.include({ resourceType: 'Me', location: `${sim.url}/admin/v1/Me/${record.id}` });
      expect(record.meta.created).to.match(/^\d{4}-\d\d-\d\dT/);
      expect(record['urn:ietf:params:scim:schemas:oracle:idcs:extension:userState:User']).to.deep.equal({ locked: { on: false } });

      const again = await c.me((await c.userToken(await c.authnToken('ann'))).json.access_token as string);
      expect(again.json.id).to.equal(record.id);
      await c.login('hal');
      const halToken = (await c.userToken((await c.post({ op: 'createToken' })).json.authnToken!)).json.access_token as string;
      const hal = (await c.me(halToken)).json;
      expect(hal).to.include({ userName: 'hal', displayName: 'Hal Hughes' });
      expect(hal.id).to.match(/^[0-9a-f]{32}$/).and.not.equal(record.id);
    });

    it('answers a SCIM error 401 to app tokens and bad tokens, and 403 when the app may not read Me (meEndpoint: false)', async () => {
      await c.fetchToken();
      for (const token of [c.token, 'bogus']) {
        const refused = await c.me(token);
        expect(refused.status).to.equal(401);
        expect(refused.json.schemas).to.deep.equal(['urn:ietf:params:scim:api:messages:2.0:Error']);
        expect(refused.json).to.include({ status: '401' });
        expect(refused.json.detail).to.be.a('string');
      }
      const token = (await c.userToken(await c.authnToken('ann'))).json.access_token as string;
      sim.switches.meEndpoint = false;
      const forbidden = await c.me(token);
      expect(forbidden.status).to.equal(403);
      expect(forbidden.json).to.include({ status: '403' });
      sim.switches.meEndpoint = true;
      expect((await c.me(token)).status).to.equal(200);
      sim.expireAccessTokens();
      expect((await c.me(token)).status).to.equal(401);
    });
  });

  describe('start and password (docs page "Authenticating with User Name and Password")', () => {
    it('GET: success, ecId, credSubmit / USERNAME_PASSWORD, a ~1.5 KB requestState; appName is checked but optional', async () => {
      const first = await c.begin();
      expect(first.status).to.equal(200);
      expect(Object.keys(first.json)).to.have.members(['status', 'ecId', 'nextOp', 'nextAuthFactors', 'USERNAME_PASSWORD', 'requestState']);
      expect(first.json).to.deep.include({
        status: 'success',
        nextOp: ['credSubmit'],
        nextAuthFactors: ['USERNAME_PASSWORD'],
        USERNAME_PASSWORD: { credentials: ['username', 'password'] },
      });
      expect(first.json.ecId).to.match(/^[A-Za-z0-9^_]{8}0{9}$/);
      expect(first.headers['x-oracle-dms-ecid']).to.equal(first.json.ecId);
      expect(first.json.requestState).to.match(/^[A-Za-z0-9+/]{1400,}={0,2}$/);
      const app = await c.begin('NoSuchApp');
      expect(app.status).to.equal(400);
      expect(app.json.cause).to.deep.equal([{ message: 'You provided an invalid appName. Verify that the App display name is correct.', code: 'AUTH-1118' }]);
      expect((await c.begin(null)).status).to.equal(200);
    });

    it('password only: {authnToken, status, ecId}; Oracle\'s client sends authFactor USERNAME_PASSWORD too', async () => {
      await c.begin();
      const done = await c.password('ann');
      expect(done.status).to.equal(200);
      expect(Object.keys(done.json)).to.have.members(['authnToken', 'status', 'ecId']);
      await c.begin();
      expect((await c.password('ann@example.com', 'ann-pw', { authFactor: 'USERNAME_PASSWORD' })).json.authnToken).to.be.a('string');
    });

    it('wrong password: 401 AUTH-3001 with a fresh requestState and NO nextOp; the requestState it came with still works', async () => {
      const start = await c.begin();
      const wrong = await c.password('ann', 'nope');
      expect(wrong.status).to.equal(401);
      expect(Object.keys(wrong.json)).to.have.members(['status', 'ecId', 'cause', 'requestState']);
      expect(wrong.json.cause).to.deep.equal([{ message: 'You entered an incorrect username or password.', code: 'AUTH-3001' }]);
      expect(wrong.json.requestState).to.not.equal(start.json.requestState);
      expect((await c.password('nobody', 'x')).json.cause![0]!.code).to.equal('AUTH-3001'); // unknown users look the same
      // Oracle's loginApp.js keeps the previous requestState after a failure.
      expect((await c.password('ann', 'ann-pw', { requestState: start.json.requestState })).json.authnToken).to.be.a('string');
    });

    it('passwordFailureNextOp: the account-recovery variant repeats the password challenge', async () => {
      sim.switches.passwordFailureNextOp = true;
      await c.begin();
      const wrong = await c.password('ann', 'nope');
      expect(wrong.status).to.equal(401);
      expect(wrong.json).to.deep.include({
        status: 'failed',
        nextOp: ['credSubmit'],
        nextAuthFactors: ['USERNAME_PASSWORD'],
        USERNAME_PASSWORD: { credentials: ['username', 'password'] },
      });
      expect((await c.password('ann')).json.authnToken).to.be.a('string');
    });

    it('socialIdps: chooseIDP with Google (Social) and a SAML IdP; the password path keeps working; chooseIDP is another endpoint', async () => {
      sim.switches.socialIdps = true;
      const first = await c.begin();
      expect(first.json).to.deep.include({ nextOp: ['credSubmit', 'chooseIDP'], nextAuthFactors: ['USERNAME_PASSWORD', 'IDP'] });
      expect(first.json.IDP.credentials).to.deep.equal(['idpId', 'idpType']);
      const idps = first.json.IDP.configuredIDPs as Array<Record<string, string>>;
      expect(idps.map((i) => [i.idpName, i.idpType])).to.deep.equal([['Google', 'Social'], ['ExampleSAML', 'Saml']]);
      expect(idps[0]!.idpId).to.match(/^[0-9a-f]{32}$/);
      const choose = await c.post({ op: 'chooseIDP', credentials: { idpId: idps[0]!.idpId, idpType: 'Social' } });
      expect(choose.status).to.equal(400);
      expect(choose.json.cause![0]!.code).to.equal('AUTH-1119');
      expect((await c.password('ann')).json.authnToken).to.be.a('string');
    });

    it('usernameFirst (UNVERIFIED): USERNAME, then USERNAME_PASSWORD', async () => {
      sim.switches.usernameFirst = true;
      const first = await c.begin();
      expect(first.json).to.deep.include({ nextAuthFactors: ['USERNAME'], USERNAME: { credentials: ['username'] } });
      const pw = await c.post({ op: 'credSubmit', authFactor: 'USERNAME', credentials: { username: 'fay' } });
      expect(pw.json).to.deep.include({ status: 'success', nextAuthFactors: ['USERNAME_PASSWORD'] });
      expect((await c.password('ann')).json.cause![0]!.code).to.equal('AUTH-3001'); // another user than the one named
      expect((await c.post({ op: 'credSubmit', credentials: { password: 'fay-pw' } })).json.nextAuthFactors).to.deep.equal(['EMAIL']);
    });
  });

  describe('requestState', () => {
    it('lenient (default): older requestStates of the flow keep working, as Oracle\'s client needs after getBackupFactors', async () => {
      const mfa = await c.login('ben');
      await c.post({ op: 'getBackupFactors' });
      // idcsAuthnSDK.js does not store the requestState of a getBackupFactors answer.
      const done = await c.post({ op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: { bypassCode: '12345678' }, requestState: mfa.json.requestState });
      expect(done.json.authnToken).to.be.a('string');
      // Once the flow is finished none of its requestStates works.
      const after = await c.post({ op: 'getBackupFactors', requestState: mfa.json.requestState });
      expect(after.status).to.equal(401);
      expect(after.json.cause![0]!.code).to.equal('AUTH-1120');
    });

    it('strictRequestState: only the latest one; older ones are 401 AUTH-1120 (with a requestState, as in the collection)', async () => {
      sim.switches.strictRequestState = true;
      const first = await c.begin();
      const latest = (await c.password('ben')).json.requestState;
      const replay = await c.password('ben', 'ben-pw', { requestState: first.json.requestState });
      expect(replay.status).to.equal(401);
      expect(Object.keys(replay.json)).to.have.members(['status', 'ecId', 'cause', 'requestState']);
      expect(replay.json.cause).to.deep.equal([
        { message: 'The requestState provided is either invalid or expired. Please provide a valid requestState.', code: 'AUTH-1120' },
      ]);
      // That requestState belongs to no sign-in; the latest one still works.
      expect((await c.post({ op: 'getBackupFactors' })).json.cause![0]!.code).to.equal('AUTH-1120');
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.totpCode('ben') }, requestState: latest })).json.authnToken).to.be.a('string');
    });

    it('unknown → AUTH-1120; expired → AUTH-1117; missing → 400 AUTH-1001; malformed JSON → 400 AUTH-1121', async () => {
      await c.begin();
      expect((await c.post({ op: 'credSubmit', requestState: 'bogus' })).json.cause![0]!.code).to.equal('AUTH-1120');
      expect((await c.post({ op: 'credSubmit', requestState: undefined })).json.cause![0]!.code).to.equal('AUTH-1001');
      const malformed = await c.raw('{"op":"credSubmit",');
      expect(malformed.status).to.equal(400);
      expect(malformed.json.cause![0]!.code).to.equal('AUTH-1121');

      await c.login('ben');
      sim.expireRequestStates();
      const expired = await c.post({ op: 'getBackupFactors' });
      expect(expired.status).to.equal(401);
      expect(expired.json.cause).to.deep.equal([{ message: 'The requestState provided has expired. Please provide a valid requestState.', code: 'AUTH-1117' }]);

      sim.switches.requestStateTtlMs = 30;
      await c.begin();
      await new Promise((r) => setTimeout(r, 60));
      expect((await c.password('ann')).json.cause![0]!.code).to.equal('AUTH-1117');
    });

    it('a missing op is 422 AUTH-1111 with the challenge (status-codes page); an op not offered is 400 AUTH-1116', async () => {
      await c.begin();
      const missing = await c.post({ credentials: {} });
      expect(missing.status).to.equal(422);
      expect(missing.json).to.deep.include({
        status: 'failed',
        nextOp: ['credSubmit'],
        cause: [{ message: 'Your input request is missing the op attribute, which is mandatory.', code: 'AUTH-1111' }],
        USERNAME_PASSWORD: { credentials: ['username', 'password'] },
        nextAuthFactors: ['USERNAME_PASSWORD'],
      });
      const op = await c.post({ op: 'acceptTOU' });
      expect(op.status).to.equal(400);
      expect(op.json.cause![0]!.code).to.equal('AUTH-1116');
      expect(op.json.requestState).to.be.a('string');
      expect((await c.post({ op: 'createSession' })).json.cause![0]!.code).to.equal('AUTH-1119');
      expect((await c.password('ann')).json.authnToken).to.be.a('string');
    });
  });

  describe('preferred factor after the password (collection "…Set as the Default Method")', () => {
    it('TOTP: displayName of the phone, TOTP {otpCode}, nextOp credSubmit / getBackupFactors; wrong code 401 AUTH-1105', async () => {
      const mfa = await c.login('ben');
      expect(Object.keys(mfa.json)).to.have.members(['status', 'ecId', 'displayName', 'nextAuthFactors', 'TOTP', 'nextOp', 'requestState']);
      expect(mfa.json).to.deep.include({
        status: 'success',
        displayName: "Ben's iPhone",
        nextAuthFactors: ['TOTP'],
        TOTP: { credentials: ['otpCode'] },
        nextOp: ['credSubmit', 'getBackupFactors'],
      });
      const secret = sim.state().totp.ben!.secret;
      expect(sim.totpCode('ben')).to.equal(totp(secret));
      const wrong = await c.post({ op: 'credSubmit', credentials: { otpCode: wrongCode(totp(secret)) } });
      expect(wrong.status).to.equal(401);
      expect(wrong.json).to.deep.include({
        status: 'failed',
        cause: [{ message: 'Invalid passcode.', code: 'AUTH-1105' }],
        TOTP: { credentials: ['otpCode'] },
        nextOp: ['credSubmit', 'getBackupFactors'],
        nextAuthFactors: ['TOTP'],
        displayName: "Ben's iPhone",
      });
      expect(wrong.json.requestState).to.not.equal(mfa.json.requestState);
      const previousPeriod = totp(secret, Date.now() - 30_000);
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: previousPeriod } })).json.authnToken).to.be.a('string');
    });

    it('SMS: the code is already sent, masked number, resendCode answers nextAuthFactors at the end; expired codes are invalid', async () => {
      const mfa = await c.login('cora');
      expect(mfa.json).to.deep.include({
        displayName: '+14XXXXXX098',
        nextAuthFactors: ['SMS'],
        SMS: { credentials: ['otpCode'] },
        nextOp: ['credSubmit', 'getBackupFactors', 'resendCode'],
      });
      const first = sim.lastCode('cora', 'SMS');
      expect(first).to.match(/^\d{6}$/);
      const resent = await c.post({ op: 'resendCode' });
      expect(Object.keys(resent.json)).to.have.members(['status', 'ecId', 'SMS', 'nextOp', 'requestState', 'nextAuthFactors']);
      expect(resent.json).to.deep.include({ status: 'success', SMS: { credentials: ['otpCode'] }, nextAuthFactors: ['SMS'] });
      const second = sim.lastCode('cora')!;
      if (second !== first) expect((await c.post({ op: 'credSubmit', credentials: { otpCode: first } })).json.cause![0]!.code).to.equal('AUTH-1105');
      const wrong = await c.post({ op: 'credSubmit', credentials: { otpCode: wrongCode(second) } });
      expect(wrong.json).to.deep.include({ SMS: { credentials: ['otpCode'] }, nextAuthFactors: ['SMS'], displayName: '+14XXXXXX098' });
      sim.expireCodes();
      expect((await c.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { otpCode: second } })).json.cause![0]!.code).to.equal('AUTH-1105');
      await c.post({ op: 'resendCode' });
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('cora', 'SMS') } })).json.authnToken).to.be.a('string');
    });

    it('EMAIL: masked address, the code is already sent', async () => {
      const mfa = await c.login('fay');
      expect(mfa.json).to.deep.include({ displayName: 'fayXXXXX@example.com', nextAuthFactors: ['EMAIL'], EMAIL: { credentials: ['otpCode'] } });
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('fay', 'EMAIL') } })).json.authnToken).to.be.a('string');
    });

    it('SECURITY_QUESTIONS: one question with its hint; a wrong answer is 401 AUTH-1026 and shows the next question', async () => {
      const mfa = await c.login('eve');
      expect(mfa.json.SECURITY_QUESTIONS).to.deep.equal({
        credentials: ['questionId', 'answer'],
        questions: [{ hint: 'dog and name', questionId: 'FirstPet', text: "What's your first pet's name?" }],
      });
      expect(mfa.json).to.not.have.key('displayName');
      const wrong = await c.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: [{ questionId: 'FirstPet', answer: 'Fido' }] } });
      expect(wrong.status).to.equal(401);
      expect(wrong.json.cause).to.deep.equal([{ message: 'You have entered the wrong answer.', code: 'AUTH-1026' }]);
      expect(wrong.json).to.deep.include({ nextAuthFactors: ['SECURITY_QUESTIONS'], nextOp: ['credSubmit', 'getBackupFactors'] });
      expect(wrong.json.SECURITY_QUESTIONS.questions[0].questionId).to.equal('FirstTimeOnPlane');
      // An unasked question does not count; the first one, already shown, does (trimmed, any case).
      const answers = [{ questionId: 'FirstPet', answer: ' rex ' }];
      expect((await c.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: answers } })).json.authnToken).to.be.a('string');
    });

    it('PUSH: pending AUTH-1108 from the password submit; polls pending until approved; a denial is 401 AUTH-1007', async () => {
      const mfa = await c.login('dan');
      expect(Object.keys(mfa.json)).to.have.members(['status', 'ecId', 'displayName', 'nextAuthFactors', 'cause', 'nextOp', 'requestState']);
      expect(mfa.json).to.deep.include({
        status: 'pending',
        displayName: "Dan's iPhone",
        nextAuthFactors: ['PUSH'],
        cause: [{ message: 'Push Notification approval is pending.', code: 'AUTH-1108' }],
        nextOp: ['credSubmit', 'getBackupFactors'],
      });
      expect(sim.pendingPushes()).to.deep.equal(['dan']);
      const poll = () => c.post({ op: 'credSubmit' });
      const pending = await poll();
      expect(Object.keys(pending.json)).to.have.members(['status', 'ecId', 'cause', 'nextOp', 'requestState']);
      expect(sim.approvePush('dan')).to.equal(true);
      expect((await poll()).json.authnToken).to.be.a('string');
      expect(sim.pendingPushes()).to.deep.equal([]);

      await c.login('dan');
      expect(sim.denyPush('dan')).to.equal(true);
      const denied = await c.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: {} });
      expect(denied.status).to.equal(401);
      expect(denied.json).to.deep.include({
        status: 'failed',
        cause: [{ message: 'Authentication failed.', code: 'AUTH-1007' }],
        nextAuthFactors: ['PUSH'],
        nextOp: ['credSubmit', 'getBackupFactors'],
        displayName: "Dan's iPhone",
      });
      expect(denied.json.requestState).to.be.a('string');
      // UNVERIFIED: the next credSubmit sends a new push.
      expect((await poll()).json).to.deep.include({ status: 'pending', displayName: "Dan's iPhone" });
      expect(sim.pendingPushes()).to.deep.equal(['dan']);

      sim.switches.pushAutoApproveAfterPolls = 1;
      await c.login('dan');
      expect((await poll()).json.status).to.equal('pending'); // poll 1
      expect((await poll()).json.authnToken).to.be.a('string'); // poll 2: approved
    });
  });

  describe('backup factors (collection "…When It Isn\'t the Default Method", "Get Backup Factors", "Bypass Code Authentication")', () => {
    it('getBackupFactors lists every factor with its devices; preferred marks the default', async () => {
      await c.login('ben');
      const backups = await c.post({ op: 'getBackupFactors' });
      expect(backups.json).to.deep.include({
        status: 'success',
        nextAuthFactors: ['TOTP', 'EMAIL', 'BYPASSCODE', 'SECURITY_QUESTIONS'],
        nextOp: ['credSubmit', 'getBackupFactors'],
        BYPASSCODE: { credentials: ['bypassCode'] },
      });
      const totpId = backups.json.TOTP.enrolledDevices[0].deviceId as string;
      expect(totpId).to.match(/^[0-9a-f]{32}$/);
      expect(backups.json.TOTP).to.deep.equal({ credentials: ['otpCode', 'deviceId'], enrolledDevices: [{ deviceId: totpId, displayName: "Ben's iPhone", preferred: true }] });
      expect(backups.json.EMAIL.credentials).to.deep.equal(['preferred', 'deviceId']);
      expect(backups.json.EMAIL.enrolledDevices).to.have.length(1).and.to.deep.include({ deviceId: backups.json.EMAIL.enrolledDevices[0].deviceId, displayName: 'benXXXXX@example.com' });
      expect(backups.json.SECURITY_QUESTIONS.credentials).to.deep.equal(['questionId', 'answer', 'preferred']);
      expect(backups.json.SECURITY_QUESTIONS.questions).to.have.length(1);
      expect(sim.lastCode('ben')).to.equal(undefined); // nothing is sent before a choice
    });

    it('choosing an EMAIL device sends the code and answers WITHOUT nextAuthFactors; the code with deviceId completes', async () => {
      await c.login('ben');
      const backups = await c.post({ op: 'getBackupFactors' });
      const deviceId = backups.json.EMAIL.enrolledDevices[0].deviceId as string;
      const chosen = await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId } });
      expect(Object.keys(chosen.json)).to.have.members(['status', 'ecId', 'displayName', 'EMAIL', 'nextOp', 'requestState']);
      expect(chosen.json).to.deep.include({ displayName: 'benXXXXX@example.com', EMAIL: { credentials: ['otpCode'] }, nextOp: ['credSubmit', 'getBackupFactors', 'resendCode'] });
      expect((await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId: 'f'.repeat(32), otpCode: '1' } })).json.cause![0]!.code).to.equal('AUTH-1014');
      const done = await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId, otpCode: sim.lastCode('ben', 'EMAIL') } });
      expect(done.json.authnToken).to.be.a('string');
    });

    it('after getBackupFactors a failure lists the factors (bypass code 401 AUTH-1105); the bypass code works', async () => {
      await c.login('ben');
      await c.post({ op: 'getBackupFactors' });
      const wrong = await c.post({ op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: { bypassCode: '99999999' } });
      expect(wrong.status).to.equal(401);
      expect(wrong.json).to.deep.include({
        cause: [{ message: 'Invalid passcode.', code: 'AUTH-1105' }],
        TOTP: { credentials: ['otpCode'] },
        EMAIL: { credentials: ['otpCode'] },
        BYPASSCODE: { credentials: ['bypassCode'] },
        nextOp: ['credSubmit', 'getBackupFactors'],
        nextAuthFactors: ['TOTP', 'EMAIL', 'BYPASSCODE', 'SECURITY_QUESTIONS'],
      });
      expect((await c.post({ op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: { bypassCode: '12345678' } })).json.authnToken).to.be.a('string');
    });

    it('PUSH as the preferred factor lists PUSH first; choosing a PUSH device sends a push (pending, no nextAuthFactors)', async () => {
      await c.login('lea');
      const backups = await c.post({ op: 'getBackupFactors' });
      expect(backups.json.nextAuthFactors).to.deep.equal(['PUSH', 'SMS', 'EMAIL']);
      expect(backups.json.PUSH).to.deep.equal({ enrolledDevices: [{ deviceId: backups.json.PUSH.enrolledDevices[0].deviceId, displayName: "Lea's Pixel" }], credentials: ['preferred', 'deviceId'] });
      expect(backups.json.SMS.enrolledDevices[0]).to.include({ displayName: '+12XXXXXX142', preferred: true });
      const push = await c.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: { deviceId: backups.json.PUSH.enrolledDevices[0].deviceId } });
      expect(push.json).to.deep.include({ status: 'pending', displayName: "Lea's Pixel" });
      expect(push.json).to.not.have.key('nextAuthFactors');
      sim.approvePush('lea');
      expect((await c.post({ op: 'credSubmit' })).json.authnToken).to.be.a('string');
    });

    it('credentials.preferred: true makes the factor the default for later sign-ins (collection "Setting the Default Factor Method")', async () => {
      await c.login('dan');
      const backups = await c.post({ op: 'getBackupFactors' });
      const deviceId = backups.json.EMAIL.enrolledDevices[0].deviceId as string;
      await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId, preferred: true } });
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('dan', 'EMAIL') } })).json.authnToken).to.be.a('string');
      expect(sim.enrolledFactors('dan')).to.deep.equal(['EMAIL', 'PUSH']);
      expect((await c.login('dan')).json.nextAuthFactors).to.deep.equal(['EMAIL']);
    });
  });

  describe('trusted devices (collection "…& Setting Trusted Device")', () => {
    it('trustedDeviceSettings only for users whose policy allows it; trustedDevice: true earns a trustToken', async () => {
      expect(await c.login('ben')).to.not.have.nested.property('json.trustedDeviceSettings');
      const mfa = await c.login('lea');
      expect(mfa.json).to.deep.include({ displayName: '+12XXXXXX142', nextAuthFactors: ['SMS'], trustedDeviceSettings: { trustDurationInDays: 15 } });
      const done = await c.post({
        op: 'credSubmit',
        authFactor: 'SMS',
        credentials: { otpCode: sim.lastCode('lea', 'SMS') },
        trustedDevice: true,
        trustedDeviceDisplayName: 'Chrome on Windows',
      });
      expect(Object.keys(done.json)).to.have.members(['authnToken', 'trustToken', 'status', 'ecId']);
      expect(done.json.trustToken).to.match(/^[A-Za-z0-9+/]{300,}={0,2}$/);
      await c.login('lea');
      const plain = await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('lea', 'SMS') } });
      expect(plain.json.authnToken).to.be.a('string');
      expect(plain.json).to.not.have.key('trustToken');

      // UNVERIFIED: the trustToken as a top-level field of the password submit skips MFA, for that user only.
      await c.begin();
      expect((await c.password('lea', 'lea-pw', { trustToken: done.json.trustToken })).json.authnToken).to.be.a('string');
      await c.begin();
      expect((await c.password('cora', 'cora-pw', { trustToken: done.json.trustToken })).json.nextAuthFactors).to.deep.equal(['SMS']);
    });

    it('a push approved on a poll that carries trustedDevice: true also returns a trustToken', async () => {
      await c.login('lea');
      await c.post({ op: 'getBackupFactors' });
      await c.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: {} });
      sim.approvePush('lea');
      const done = await c.post({ op: 'credSubmit', trustedDevice: true, trustedDeviceDisplayName: 'Chrome on Windows' });
      expect(done.json.trustToken).to.be.a('string');
    });
  });

  describe('enrollment (collection "Authentication Using User Name/Password + MFA Enrollment")', () => {
    it('required: nextOp [enrollment], mfaSettings true; createToken is refused; EMAIL enrolls and is kept until reset()', async () => {
      const offer = await c.login('gus');
      expect(offer.json).to.deep.include({
        status: 'success',
        nextAuthFactors: ['PUSH', 'TOTP', 'SMS', 'EMAIL', 'SECURITY_QUESTIONS'],
        TOTP: { credentials: ['offlineTotp'] },
        SMS: { credentials: ['phoneNumber'] },
        nextOp: ['enrollment'],
        mfaSettings: { enrollmentRequired: true },
      });
      const skip = await c.post({ op: 'createToken' });
      expect(skip.status).to.equal(400);
      expect(skip.json.cause![0]!.code).to.equal('AUTH-1016');
      const email = await c.post({ op: 'enrollment', authFactor: 'EMAIL' });
      expect(email.json).to.deep.include({
        displayName: 'gus@example.com',
        EMAIL: { credentials: ['otpCode'] },
        nextOp: ['credSubmit', 'resendCode', 'enrollment'],
        mfaSettings: { enrollmentRequired: true },
      });
      const wrong = await c.post({ op: 'credSubmit', credentials: { otpCode: wrongCode(sim.lastCode('gus', 'EMAIL')) } });
      expect(wrong.status).to.equal(401);
      expect(wrong.json.cause![0]!.code).to.equal('AUTH-1105');
      const done = await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('gus', 'EMAIL') } });
      expect(Object.keys(done.json)).to.have.members(['status', 'ecId', 'displayName', 'nextOp', 'requestState']);
      expect(done.json).to.deep.include({ displayName: 'gusXXXXX@example.com', nextOp: ['createToken', 'createSession', 'enrollment'] });
      expect(sim.enrolledFactors('gus')).to.deep.equal(['EMAIL']);
      // More factors: the list again, without the enrolled one and without mfaSettings ("Enroll in More Than One Factor", Step 5).
      const more = await c.post({ op: 'enrollment' });
      expect(more.json.nextAuthFactors).to.deep.equal(['PUSH', 'TOTP', 'SMS', 'SECURITY_QUESTIONS']);
      expect(more.json).to.not.have.key('mfaSettings');
      expect(Object.keys((await c.post({ op: 'createToken' })).json)).to.have.members(['authnToken', 'status', 'ecId']);
      expect((await c.login('gus')).json).to.deep.include({ nextAuthFactors: ['EMAIL'], displayName: 'gusXXXXX@example.com' });
      sim.reset();
      expect(sim.enrolledFactors('gus')).to.deep.equal([]);
    });

    it('optional: nextOp createToken / createSession / enrollment, mfaSettings false; createToken skips', async () => {
      const offer = await c.login('hal');
      expect(offer.json).to.deep.include({ nextOp: ['createToken', 'createSession', 'enrollment'], mfaSettings: { enrollmentRequired: false } });
      expect((await c.post({ op: 'createToken' })).json.authnToken).to.be.a('string');
      expect(sim.enrolledFactors('hal')).to.deep.equal([]);
    });

    it('SMS: phoneNumber alone (155XXXXX555) or with countryCode (+44XXXXXXX455); bad numbers are AUTH-1030; resendCode', async () => {
      await c.login('hal');
      const bad = await c.post({ op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: 'call me' } });
      expect(bad.status).to.equal(400);
      expect(bad.json.cause![0]!.code).to.equal('AUTH-1030');
      const plain = await c.post({ op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: '15555555555' } });
      expect(plain.json).to.deep.include({
        displayName: '155XXXXX555',
        SMS: { credentials: ['otpCode'] },
        nextOp: ['credSubmit', 'createToken', 'createSession', 'resendCode', 'enrollment'],
        mfaSettings: { enrollmentRequired: false },
      });
      const uk = await c.post({ op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: '1122334455', countryCode: '+44' } });
      expect(uk.json.displayName).to.equal('+44XXXXXXX455');
      const resent = await c.post({ op: 'resendCode' });
      expect(resent.json).to.deep.include({ SMS: { credentials: ['otpCode'] }, nextAuthFactors: ['SMS'], mfaSettings: { enrollmentRequired: false } });
      const done = await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('hal', 'SMS') } });
      expect(done.json).to.deep.include({ displayName: '+44XXXXXXX455', nextOp: ['createToken', 'createSession', 'enrollment'] });
      expect(done.json).to.not.have.key('nextAuthFactors');
    });

    it('offline TOTP: otpauth:// content with the secret and Deviceid; verified with a code from the secret', async () => {
      await c.login('hal');
      const enroll = await c.post({ op: 'enrollment', authFactor: 'TOTP', credentials: { offlineTotp: true } });
      expect(enroll.json).to.deep.include({ displayName: "Hal's iPhone", nextOp: ['credSubmit', 'createToken', 'createSession', 'enrollment'] });
      const qr = enroll.json.TOTP.qrCode as { content: string; imageType: string; imageData: string };
      expect(enroll.json.TOTP.credentials).to.deep.equal(['otpCode']);
      expect(qr.imageType).to.equal('image/png');
      expect(Buffer.from(qr.imageData, 'base64').subarray(1, 4).toString()).to.equal('PNG');
      const url = new URL(qr.content);
      expect(qr.content).to.match(/^otpauth:\/\/totp\/hal\?issuer=tenant1&period=30&algorithm=SHA1&digits=6&RSA=SHA256withRSA&Deviceid=[0-9a-f]{32}&RequestId=/);
      expect(url.searchParams.get('ServiceType')).to.equal('TOTP');
      const secret = url.searchParams.get('secret')!;
      expect(secret).to.match(/^[A-Z2-7]{32}$/);
      expect(sim.totpCode('hal')).to.equal(totp(secret));
      expect(sim.pendingEnrollments()).to.deep.include({ username: 'hal', factor: 'TOTP', mode: 'offline', scanned: false, flow: sim.pendingEnrollments()[0]!.flow });
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: wrongCode(totp(secret)) } })).json.cause![0]!.code).to.equal('AUTH-1105');
      // Oracle's loginApp.js sends the QR code's Deviceid with the code.
      const done = await c.post({ op: 'credSubmit', credentials: { otpCode: totp(secret), deviceId: url.searchParams.get('Deviceid') } });
      expect(done.json).to.deep.include({ displayName: "Hal's iPhone", nextOp: ['createToken', 'createSession', 'enrollment'] });
      await c.post({ op: 'createToken' });
      expect((await c.login('hal')).json.nextAuthFactors).to.deep.equal(['TOTP']);
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: totp(secret) } })).json.authnToken).to.be.a('string');
    });

    it('online TOTP: oraclemobileauthenticator:// with LoginURL and an OTP JWT; pending AUTH-1109 until the app scans', async () => {
      await c.login('gus');
      const enroll = await c.post({ op: 'enrollment', authFactor: 'TOTP' });
      const content = enroll.json.TOTP.qrCode.content as string;
      expect(content).to.match(/^oraclemobileauthenticator:\/\/totp\/gus\?/);
      const url = new URL(content);
      expect(url.searchParams.get('LoginURL')).to.equal(`${sim.url}/sso/v1/`);
      expect(url.searchParams.get('ServiceType')).to.equal('TOTP');
      expect(url.searchParams.get('secret')).to.equal(null);
      const otp = decodeJwt(url.searchParams.get('OTP')!);
      expect(otp.header).to.deep.equal({ kid: 'SIGNING_KEY', typ: 'JWT', alg: 'RS256' });
      expect(otp.payload).to.include({ device_id: url.searchParams.get('Deviceid'), iss: 'AuthSrv', tenant: 'tenant1' });
      expect(otp.payload.exp - otp.payload.iat).to.equal(300);

      const pending = await c.post({ op: 'credSubmit' });
      expect(Object.keys(pending.json)).to.have.members(['status', 'ecId', 'cause', 'nextOp', 'mfaSettings', 'requestState']);
      expect(pending.json).to.deep.include({
        status: 'pending',
        cause: [{ message: 'Enrollment in the One-Time Passcode authentication method is pending verification.', code: 'AUTH-1109' }],
        nextOp: ['credSubmit', 'enrollment'],
        mfaSettings: { enrollmentRequired: true },
      });
      expect(sim.scanEnrollment('gus')).to.equal(true);
      expect(sim.scanEnrollment('gus')).to.equal(false);
      const done = await c.post({ op: 'credSubmit' });
      expect(done.json).to.deep.include({ status: 'success', displayName: "Gus's iPhone", nextOp: ['createToken', 'createSession', 'enrollment'] });
      expect(sim.totpCode('gus')).to.match(/^\d{6}$/);
    });

    it('online TOTP also accepts a typed code (UNVERIFIED)', async () => {
      await c.login('gus');
      await c.post({ op: 'enrollment', authFactor: 'TOTP' });
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.totpCode('gus') } })).json.nextOp).to.deep.equal(['createToken', 'createSession', 'enrollment']);
    });

    it('PUSH: a qrCode and no credentials; pending AUTH-1108 until scanned (control API); then PUSH is the factor', async () => {
      await c.login('gus');
      const enroll = await c.post({ op: 'enrollment', authFactor: 'PUSH' });
      expect(Object.keys(enroll.json.PUSH)).to.deep.equal(['qrCode']);
      expect(new URL(enroll.json.PUSH.qrCode.content as string).searchParams.get('ServiceType')).to.equal('TOTP+PUSH');
      const pending = await c.post({ op: 'credSubmit' });
      expect(pending.json).to.deep.include({ status: 'pending', displayName: "Gus's iPhone", cause: [{ message: 'Push Notification approval is pending.', code: 'AUTH-1108' }] });
      expect((await send(`${sim.controlUrl}/api/enrollment/gus/scan`, { method: 'POST' })).json).to.deep.equal({ ok: true });
      expect((await c.post({ op: 'credSubmit' })).json.nextOp).to.deep.equal(['createToken', 'createSession', 'enrollment']);
      await c.post({ op: 'createToken' });
      expect((await c.login('gus')).json).to.deep.include({ status: 'pending', nextAuthFactors: ['PUSH'] });
    });

    it('PUSH enrollment also completes with approvePush(); denyPush() leaves it pending', async () => {
      await c.login('hal');
      await c.post({ op: 'enrollment', authFactor: 'PUSH' });
      expect(sim.denyPush('hal')).to.equal(false);
      expect((await c.post({ op: 'credSubmit' })).json.status).to.equal('pending');
      expect(sim.approvePush('hal')).to.equal(true);
      expect((await c.post({ op: 'credSubmit' })).json).to.deep.include({ status: 'success', displayName: "Hal's iPhone" });
    });

    it('SECURITY_QUESTIONS: settings and Oracle\'s 15 questions; three valid answers are kept and asked next time', async () => {
      await c.login('hal');
      const enroll = await c.post({ op: 'enrollment', authFactor: 'SECURITY_QUESTIONS' });
      expect(enroll.json.SECURITY_QUESTIONS.credentials).to.deep.equal(['questionId', 'answer', 'hint']);
      expect(enroll.json.SECURITY_QUESTIONS.secQuesSettings).to.deep.equal({ numQuestionsToSetup: '3', minAnswerLength: '6', numQuestionsToAns: '1', maxFieldLength: '100' });
      expect(enroll.json.SECURITY_QUESTIONS.questions).to.have.length(15).and.to.deep.include({ questionId: 'FavoriteFood', text: "What's your favorite food?" });
      const answer = (questionId: string, text: string, hint?: string) => ({ questionId, answer: text, ...(hint ? { hint } : {}) });
      const few = await c.post({ op: 'credSubmit', credentials: { questions: [answer('FavoriteFood', 'Mexican food')] } });
      expect(few.status).to.equal(400);
      expect(few.json.cause![0]!.code).to.equal('AUTH-1022');
      const short = await c.post({ op: 'credSubmit', credentials: { questions: [answer('FavoriteFood', 'Taco'), answer('DreamJob', 'Novelist'), answer('FirstCar', 'Beetle car')] } });
      expect(short.json.cause![0]!.code).to.equal('AUTH-1021');
      const ok = [answer('FavoriteFood', 'Mexican', 'Cinco'), answer('DreamJob', 'Novelist'), answer('FirstCar', 'Beetle car')];
      const done = await c.post({ op: 'credSubmit', credentials: { questions: ok } });
      expect(Object.keys(done.json)).to.have.members(['status', 'ecId', 'nextOp', 'requestState']);
      await c.post({ op: 'createToken' });
      const next = await c.login('hal');
      expect(next.json.SECURITY_QUESTIONS.questions).to.deep.equal([{ hint: 'Cinco', questionId: 'FavoriteFood', text: "What's your favorite food?" }]);
      expect((await c.post({ op: 'credSubmit', credentials: { questions: [{ questionId: 'FavoriteFood', answer: 'mexican' }] } })).json.authnToken).to.be.a('string');
    });
  });

  describe('terms of use (collection "… + Terms Of Use", docs page "…with TOU Consent")', () => {
    it('TOU {statement, credentials: [consent], locale}; consent true → authnToken; false → 401 AUTH-3035 with no requestState', async () => {
      const tou = await c.login('ida');
      expect(Object.keys(tou.json)).to.have.members(['status', 'ecId', 'nextOp', 'TOU', 'requestState']);
      expect(tou.json.nextOp).to.deep.equal(['acceptTOU']);
      expect(Object.keys(tou.json.TOU)).to.deep.equal(['statement', 'credentials', 'locale']);
      expect(tou.json.TOU).to.deep.include({ credentials: ['consent'], locale: 'en' });
      expect(tou.json.TOU.statement).to.match(/Terms of Use/);
      expect(Object.keys((await c.post({ op: 'acceptTOU', credentials: { consent: true } })).json)).to.have.members(['authnToken', 'status', 'ecId']);

      await c.login('ida');
      const declined = await c.post({ op: 'acceptTOU', credentials: { consent: false } });
      expect(declined.status).to.equal(401);
      expect(declined.json).to.deep.equal({
        status: 'failed',
        ecId: declined.json.ecId,
        cause: [{ message: 'You must accept the Terms of Use to access this application.', code: 'AUTH-3035' }],
      });
    });
  });

  describe('locked accounts, lockouts and expired passwords', () => {
    it('locked: AUTH-3002; N wrong passwords lock until unlock(); expired: AUTH-3004; all without nextOp or requestState', async () => {
      const jo = await c.login('jo');
      expect(jo.status).to.equal(401);
      expect(jo.json).to.deep.equal({ status: 'failed', ecId: jo.json.ecId, cause: [{ message: 'Your account is locked. Contact your system administrator.', code: 'AUTH-3002' }] });

      sim.switches.lockoutAfterFailures = 2;
      await c.begin();
      expect((await c.password('ann', 'bad-1')).json.cause![0]!.code).to.equal('AUTH-3001');
      const locked = await c.password('ann', 'bad-2');
      expect(locked.json.cause![0]!.code).to.equal('AUTH-3002');
      expect(locked.json).to.not.have.any.keys('nextOp', 'requestState');
      expect((await c.login('ann')).json.cause![0]!.code).to.equal('AUTH-3002');
      expect(sim.state().users.find((u) => u.username === 'ann')).to.include({ lockedOut: true, failures: 2 });
      sim.unlock('ann');
      expect((await c.login('ann')).json.authnToken).to.be.a('string');

      const kim = await c.login('kim');
      expect(kim.status).to.equal(401);
      expect(kim.json.cause).to.deep.equal([{ message: 'Your password is expired.', code: 'AUTH-3004' }]);
      expect(kim.json).to.not.have.any.keys('nextOp', 'requestState');
    });

    it('too many second-factor failures end the flow with AUTH-1028', async () => {
      sim.switches.lockoutAfterFailures = 2;
      await c.login('ben');
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: wrongCode(sim.totpCode('ben')) } })).json.cause![0]!.code).to.equal('AUTH-1105');
      const locked = await c.post({ op: 'credSubmit', credentials: { otpCode: wrongCode(sim.totpCode('ben')) } });
      expect(locked.status).to.equal(401);
      expect(locked.json.cause![0]!.code).to.equal('AUTH-1028');
      expect(locked.json).to.not.have.any.keys('nextOp', 'requestState');
      expect((await c.login('ben')).json.cause![0]!.code).to.equal('AUTH-3002');
    });
  });

  describe('requests and faults', () => {
    it('records requests and injects faults by last path segment (authenticate, token, Me)', async () => {
      sim.injectFault({ kind: 'status', status: 503 }, { path: 'token' });
      expect((await c.fetchToken()).status).to.equal(503);
      expect((await c.fetchToken()).status).to.equal(200);
      sim.injectFault({ kind: 'truncated' }, { path: 'authenticate' });
      const cut = await send(`${sim.url}/sso/v1/sdk/authenticate?appName=DemoApp`, { headers: { authorization: `Bearer ${c.token}` } });
      expect(() => JSON.parse(cut.text)).to.throw();
      sim.injectFault({ kind: 'html' }, { path: 'authenticate' });
      expect((await c.begin()).text).to.match(/<form/);
      sim.injectFault({ kind: 'status', status: 500 }, { path: 'Me' });
      expect((await c.me('x')).status).to.equal(500);
      expect(sim.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
        'POST /oauth2/v1/token',
        'POST /oauth2/v1/token',
        'GET /sso/v1/sdk/authenticate',
        'GET /sso/v1/sdk/authenticate',
        'GET /admin/v1/Me',
      ]);
      const missing = await send(`${sim.url}/sso/v1/sdk/nothing`, { headers: { authorization: `Bearer ${c.token}` } });
      expect(missing.status).to.equal(404);
      expect(missing.headers['content-type']).to.match(/text\/html/);
      expect((await send(`${sim.url}/admin/v1/Me`, { method: 'POST' })).status).to.equal(405);
      expect(() => sim.injectFault({ kind: 'nope' } as never)).to.throw(TypeError);
    });
  });

  describe('control page and JSON control API', () => {
    it('serves an escaped page and an API that are not recorded', async () => {
      const users: IdcsSimUser[] = [
        ...idcsDemoUsers,
        { username: 'mal', password: '<b>pw</b>', displayName: '<script>alert(1)</script>', email: 'mal@example.com', factors: ['TOTP', 'PUSH'] },
      ];
      const other = await IdcsSimulator.start({ users, clientId: 'cid', clientSecret: 'cs', appName: 'Payroll', tenant: 'acme', switches: { latencyMs: 1 } });
      try {
        const client = new Client(other);
        expect((await client.login('dan')).json.nextAuthFactors).to.deep.equal(['PUSH']);
        await client.login('gus');
        await client.post({ op: 'enrollment', authFactor: 'PUSH' });
        const page = await send(other.controlUrl);
        expect(page.status).to.equal(200);
        expect(page.text).to.include('http-equiv="refresh"');
        expect(page.text).to.not.include('<script>alert');
        expect(page.text).to.include('&#60;script&#62;').and.include('&#60;b&#62;pw');
        expect(page.text).to.include('Approve').and.include('Scan QR code').and.include('acme');
        expect(page.text).to.include(other.totpCode('mal'));

        const state = (await send(`${other.controlUrl}/api/state`)).json as unknown as ReturnType<IdcsSimulator['state']>;
        expect(state.pendingPushes.map((p) => p.username)).to.deep.equal(['dan']);
        expect(state.pendingEnrollments.map((p) => [p.username, p.factor, p.mode])).to.deep.equal([['gus', 'PUSH', 'online']]);
        expect(state.switches.latencyMs).to.equal(1);
        expect(state.tenant).to.equal('acme');
        expect((await send(`${other.controlUrl}/api/totp/mal`)).json).to.deep.include({ code: other.totpCode('mal') });
        expect((await send(`${other.controlUrl}/api/totp/ann`)).status).to.equal(404);
        expect((await send(`${other.controlUrl}/api/push/dan/approve`, { method: 'POST' })).json).to.deep.equal({ ok: true });
        expect((await send(`${other.controlUrl}/api/enrollment/ann/scan`, { method: 'POST' })).json).to.deep.equal({ ok: false });

        await client.login('cora');
        const code = (await send(`${other.controlUrl}/api/code/cora`)).json as unknown as { code: string; byFactor: Record<string, string> };
        expect(code.byFactor.SMS).to.equal(code.code).and.equal(other.lastCode('cora', 'SMS'));
        const authnToken = decodeJwt((await client.authnToken('ann'))).payload;
        expect(authnToken.tenant).to.equal('acme');

        const switches = await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: JSON.stringify({ socialIdps: true, strictRequestState: true }) });
        expect(switches.json).to.include({ socialIdps: true, strictRequestState: true });
        expect((await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: '{"constructor":1}' })).status).to.equal(400);
        await send(`${other.controlUrl}/api/expire-access-tokens`, { method: 'POST' });
        expect((await client.begin()).status).to.equal(401);
        for (const action of ['expire-authn-tokens', 'expire-request-states', 'expire-codes']) {
          expect((await send(`${other.controlUrl}/api/${action}`, { method: 'POST' })).json).to.deep.equal({ ok: true });
        }
        await send(`${other.controlUrl}/api/reset`, { method: 'POST' });
        expect(other.switches.socialIdps).to.equal(false);
        expect(other.requests).to.deep.equal([]);
        expect(other.tokensIssued()).to.equal(0);
        const refused = await send(`${other.controlUrl}/api/reset`, { method: 'POST', headers: { origin: 'http://evil.example' } });
        expect(refused.status).to.equal(403);
      } finally {
        await other.close();
      }
    });
  });

  describe('validation at start', () => {
    it('rejects invalid users, switches and client settings', async () => {
      const attempts: Array<() => Promise<IdcsSimulator>> = [
        () => IdcsSimulator.start({ users: [{ username: 'x', password: 'p', displayName: 'X', email: 'x@example.com', factors: ['BYPASSCODE'] }] }),
        () => IdcsSimulator.start({ users: [{ username: 'x', password: 'p', displayName: 'X', email: 'x@example.com', factors: [], trustDurationInDays: -1 }] }),
        () => IdcsSimulator.start({ switches: { lockoutAfterFailures: 0 } }),
        () => IdcsSimulator.start({ switches: { strictRequestState: 'yes' as never } }),
        () => IdcsSimulator.start({ tenant: '' }),
      ];
      for (const attempt of attempts) {
        let error: unknown;
        try {
          await (await attempt()).close();
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(TypeError);
      }
    });
  });
});
