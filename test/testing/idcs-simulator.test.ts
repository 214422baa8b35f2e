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
  scenario?: string;
  mfaSettings?: { enrollmentRequired: boolean };
  trustedDeviceSettings?: { trustDurationInDays: number };
  // Per-factor objects (`TOTP`, `SMS`, …) and `TOU`: checked field by field.
  [key: string]: any;
}

type Reply = SimReply<Answer>;
const send = (url: string, init?: SendInit): Promise<Reply> => sendTo<Answer>(url, init);

function claims(jwt: string): Record<string, any> {
  const [header, payload, signature] = jwt.split('.');
  expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).to.include({ alg: 'HS256', typ: 'JWT' });
  expect(signature).to.match(/^[A-Za-z0-9_-]{43}$/);
  return JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, any>;
}

/** A client of the simulated identity domain: one access token, one flow at a time. */
class Client {
  token = '';
  state = '';

  constructor(private readonly sim: IdcsSimulator) {}

  async fetchToken(): Promise<Reply> {
    const basic = Buffer.from(`${this.sim.clientId}:${this.sim.clientSecret}`).toString('base64');
    const reply = await send(`${this.sim.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=urn%3Aopc%3Aidm%3A__myscopes__',
    });
    this.token = (reply.json as { access_token?: string }).access_token ?? '';
    return reply;
  }

  async begin(appName: string | null = this.sim.appName): Promise<Reply> {
    if (!this.token) await this.fetchToken();
    const query = appName === null ? '' : `?appName=${encodeURIComponent(appName)}`;
    return this.track(await send(`${this.sim.url}/sso/v1/sdk/authenticate${query}`, { headers: this.headers() }));
  }

  /** POSTs an operation with the latest requestState (unless the body names one). */
  async post(body: Record<string, unknown>): Promise<Reply> {
    const text = JSON.stringify({ ...body, requestState: 'requestState' in body ? body.requestState : this.state });
    return this.track(await send(`${this.sim.url}/sso/v1/sdk/authenticate`, { method: 'POST', headers: this.headers(), body: text }));
  }

  password(username: string, password = `${username}-pw`, extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.post({ op: 'credSubmit', credentials: { username, password }, ...extra });
  }

  async login(username: string): Promise<Reply> {
    await this.begin();
    return this.password(username);
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', accept: 'application/json' };
  }

  private track(reply: Reply): Reply {
    if (reply.json.requestState) this.state = reply.json.requestState;
    return reply;
  }
}

describe('IdcsSimulator (loopback Oracle IDCS authentication API)', () => {
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

  describe('client-credentials token', () => {
    it('issues Bearer tokens for the right client only; an expired token gets HTML 401 until renewed', async () => {
      expect(sim.controlUrl).to.equal(`${sim.url}/_sim`);
      expect([sim.clientId, sim.clientSecret, sim.appName]).to.deep.equal(['demo-client', 'demo-secret', 'DemoApp']);
      const bad = await send(`${sim.url}/oauth2/v1/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('demo-client:nope').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&scope=urn:opc:idm:__myscopes__',
      });
      expect(bad.status).to.equal(401);
      expect(bad.json).to.include({ error: 'invalid_client' });
      const grant = await send(`${sim.url}/oauth2/v1/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('demo-client:demo-secret').toString('base64')}` },
        body: 'grant_type=password&scope=urn:opc:idm:__myscopes__',
      });
      expect(grant.status).to.equal(400);
      expect(grant.json).to.include({ error: 'unsupported_grant_type' });
      expect(sim.tokensIssued()).to.equal(0);

      const ok = await c.fetchToken();
      expect(ok.status).to.equal(200);
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

  it('T1: password only; every answer has ecId and a new ~1.5 KB requestState; the authnToken carries the claims', async () => {
    const first = await c.begin();
    expect(first.status).to.equal(200);
    expect(first.json).to.deep.include({
      status: 'success',
      nextOp: ['credSubmit'],
      nextAuthFactors: ['USERNAME_PASSWORD'],
      USERNAME_PASSWORD: { credentials: ['username', 'password'] },
    });
    expect(Object.keys(first.json)).to.deep.equal(['status', 'ecId', 'nextOp', 'nextAuthFactors', 'USERNAME_PASSWORD', 'requestState']);
    expect(first.json.ecId).to.match(/^[A-Za-z0-9^_]{8}0{9}$/);
    expect(first.json.requestState).to.match(/^[A-Za-z0-9+/]{1400,}={0,2}$/);

    const done = await c.password('ann');
    expect(done.status).to.equal(200);
    expect(done.json).to.include({ status: 'success', displayName: 'Ann Archer' });
    expect(done.json).to.not.have.any.keys('requestState', 'nextOp', 'trustToken');
    const t = claims(done.json.authnToken!);
    expect(t).to.include({ sub: 'ann', user_displayname: 'Ann Archer', user_email: 'ann@example.com', iss: sim.url, aud: 'demo-client' });
    expect(t.user_id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(t.exp - t.iat).to.equal(300);
    expect(t.jti).to.be.a('string');
    // The user id is stable across logins.
    expect(claims((await c.login('ann')).json.authnToken!).user_id).to.equal(t.user_id);
  });

  it('T2: password then TOTP (a real RFC 6238 code, ±1 period); a wrong code is retried with the new requestState', async () => {
    const mfa = await c.login('ben');
    expect(mfa.json).to.deep.include({
      status: 'success',
      displayName: 'Ben Baker',
      nextAuthFactors: ['TOTP'],
      nextOp: ['credSubmit', 'getBackupFactors'],
      scenario: 'AUTHENTICATION',
    });
    expect(mfa.json.TOTP.credentials).to.deep.equal(['otpCode']);
    expect(mfa.json.TOTP.enrolledDevices[0]).to.have.keys('deviceId', 'displayName');
    expect(mfa.json).to.not.have.key('trustedDeviceSettings'); // ben's policy does not allow trusted devices

    const secret = sim.state().totp.ben!.secret;
    expect(sim.totpCode('ben')).to.equal(totp(secret));
    const before = c.state;
    const wrong = await c.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { otpCode: wrongCode(totp(secret)) } });
    expect(wrong.status).to.equal(401);
    expect(wrong.json.status).to.equal('failed');
    expect(wrong.json.cause![0]!.code).to.equal('AUTH-1109');
    expect(wrong.json.nextOp).to.include('credSubmit');
    expect(wrong.json.requestState).to.be.a('string').and.not.equal(before);

    const previousPeriod = totp(secret, Date.now() - 30_000);
    const done = await c.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { otpCode: previousPeriod } });
    expect(done.json.authnToken).to.be.a('string');
  });

  it('T3: SMS code already sent to +1XXXXXX6098; resendCode sends a new one (same shape, new requestState)', async () => {
    const mfa = await c.login('cora');
    expect(mfa.json).to.deep.include({ nextAuthFactors: ['SMS'], nextOp: ['credSubmit', 'resendCode'] });
    expect(mfa.json.SMS).to.deep.include({ credentials: ['otpCode'] });
    expect(mfa.json.SMS.enrolledDevices[0].displayName).to.equal('+1XXXXXX6098');
    const first = sim.lastCode('cora', 'SMS');
    expect(first).to.match(/^\d{6}$/);

    const resent = await c.post({ op: 'resendCode' });
    expect(resent.json.requestState).to.not.equal(mfa.json.requestState);
    const { requestState: _a, ecId: _b, ...shapeAfter } = resent.json;
    const { requestState: _c, ecId: _d, ...shapeBefore } = mfa.json;
    expect(shapeAfter).to.deep.equal(shapeBefore);
    const second = sim.lastCode('cora');
    expect(second).to.match(/^\d{6}$/);
    if (second !== first) expect((await c.post({ op: 'credSubmit', credentials: { otpCode: first } })).json.cause![0]!.code).to.equal('AUTH-1109');

    sim.expireCodes();
    const expired = await c.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { otpCode: second } });
    expect(expired.status).to.equal(401);
    expect(expired.json.cause![0]!.code).to.equal('AUTH-1112');
    await c.post({ op: 'resendCode' });
    expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('cora', 'SMS') } })).json.authnToken).to.be.a('string');
  });

  it('T4: PUSH is pending (AUTH-1108) until approved; a denied push ends the flow', async () => {
    const mfa = await c.login('dan');
    expect(mfa.json.nextAuthFactors).to.deep.equal(['PUSH']);
    const deviceId = mfa.json.PUSH.enrolledDevices[0].deviceId as string;
    const poll = () => c.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: { deviceId } });
    const pending = await poll();
    expect(pending.status).to.equal(200);
    expect(pending.json).to.deep.include({ status: 'pending', cause: [{ code: 'AUTH-1108', message: 'Push notification pending' }], nextOp: ['credSubmit'] });
    expect(pending.json.requestState).to.be.a('string');
    expect(sim.pendingPushes()).to.deep.equal(['dan']);
    expect((await poll()).json.status).to.equal('pending');
    expect(sim.approvePush('dan')).to.equal(true);
    expect((await poll()).json.authnToken).to.be.a('string');
    expect(sim.pendingPushes()).to.deep.equal([]);

    await c.login('dan');
    await poll();
    expect(sim.denyPush('dan')).to.equal(true);
    const stale = c.state;
    const denied = await poll();
    expect(denied.status).to.equal(401);
    expect(denied.json.status).to.equal('failed');
    expect(denied.json.cause![0]!.code).to.match(/^AUTH-11/);
    expect(denied.json).to.not.have.any.keys('nextOp', 'requestState');
    expect((await c.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: { deviceId }, requestState: stale })).json.cause![0]!.code).to.equal('AUTH-1120');

    sim.switches.pushAutoApproveAfterPolls = 1;
    await c.login('dan');
    expect((await poll()).json.status).to.equal('pending'); // sends the push
    expect((await poll()).json.status).to.equal('pending'); // poll 1
    expect((await poll()).json.authnToken).to.be.a('string'); // poll 2: approved
  });

  it('T5: getBackupFactors lists the other factors; EMAIL (choose the device, then the code), bypass code, security questions', async () => {
    await c.login('ben');
    const backups = await c.post({ op: 'getBackupFactors' });
    expect(backups.json).to.deep.include({ nextAuthFactors: ['EMAIL', 'BYPASSCODE', 'SECURITY_QUESTIONS'], nextOp: ['credSubmit'] });
    expect(backups.json.BYPASSCODE).to.deep.equal({ credentials: ['bypassCode'] });
    expect(backups.json.EMAIL.enrolledDevices[0].displayName).to.equal('b*****@example.com');
    expect(backups.json.SECURITY_QUESTIONS.questions).to.deep.equal([
      { questionId: 'FirstPetName', text: 'What was the name of your first pet?' },
      { questionId: 'BirthCity', text: 'In which town were you born?' },
    ]);
    const deviceId = backups.json.EMAIL.enrolledDevices[0].deviceId as string;
    const chosen = await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId } });
    expect(chosen.json).to.deep.include({ status: 'success', nextAuthFactors: ['EMAIL'], nextOp: ['credSubmit', 'resendCode', 'getBackupFactors'] });
    const done = await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { otpCode: sim.lastCode('ben', 'EMAIL'), deviceId } });
    expect(done.json.authnToken).to.be.a('string');

    await c.login('ben');
    await c.post({ op: 'getBackupFactors' });
    expect((await c.post({ op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: { bypassCode: '12345678' } })).json.authnToken).to.be.a('string');

    const eve = await c.login('eve');
    expect(eve.json.nextAuthFactors).to.deep.equal(['SECURITY_QUESTIONS']);
    expect(eve.json.nextOp).to.deep.equal(['credSubmit']);
    const wrong = await c.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: [{ questionId: 'FirstPetName', answer: 'Rex' }] } });
    expect(wrong.json.cause![0]!.code).to.equal('AUTH-1109');
    const answers = [{ questionId: 'FirstPetName', answer: ' rex ' }, { questionId: 'BirthCity', answer: 'Leeds' }];
    expect((await c.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: answers } })).json.authnToken).to.be.a('string');
  });

  describe('T6: enrollment', () => {
    it('required: TOTP with the QR code and shared secret, proved with its code; kept until reset()', async () => {
      const offer = await c.login('gus');
      expect(offer.json).to.deep.include({
        status: 'success',
        nextOp: ['enrollment'],
        nextAuthFactors: ['TOTP', 'SMS', 'EMAIL'],
        scenario: 'ENROLLMENT',
        mfaSettings: { enrollmentRequired: true },
      });
      const enroll = await c.post({ op: 'enrollment', authFactor: 'TOTP', credentials: { offlineTotp: true } });
      expect(enroll.json.nextOp).to.deep.equal(['credSubmit']);
      const { qrCode, sharedSecret } = enroll.json.TOTP as { qrCode: { content: string; imageType: string; imageData: string }; sharedSecret: string };
      expect(sharedSecret).to.match(/^[A-Z2-7]{32}$/);
      expect(qrCode.content).to.match(/^otpauth:\/\/totp\//).and.include(`secret=${sharedSecret}`);
      expect(qrCode.imageType).to.equal('image/png');
      expect(Buffer.from(qrCode.imageData, 'base64').subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
      expect(sim.totpCode('gus')).to.equal(totp(sharedSecret));

      const wrong = await c.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { otpCode: totp(sharedSecret, Date.now() + 300_000) } });
      expect(wrong.json.cause![0]!.code).to.equal('AUTH-1109');
      const enrolled = await c.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { otpCode: totp(sharedSecret) } });
      expect(enrolled.json).to.deep.include({ status: 'success', nextOp: ['createToken'] });
      expect(sim.enrolledFactors('gus')).to.deep.equal(['TOTP']);
      expect((await c.post({ op: 'createToken' })).json.authnToken).to.be.a('string');

      // Next time gus has a TOTP factor.
      const again = await c.login('gus');
      expect(again.json.nextAuthFactors).to.deep.equal(['TOTP']);
      expect((await c.post({ op: 'credSubmit', credentials: { otpCode: totp(sharedSecret) } })).json.authnToken).to.be.a('string');
      sim.reset();
      expect(sim.enrolledFactors('gus')).to.deep.equal([]);
    });

    it('required: SMS to a new phone number, then the code sent to it; optional: createToken skips', async () => {
      await c.login('gus');
      const badPhone = await c.post({ op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: 'call me', countryCode: '+44' } });
      expect(badPhone.status).to.equal(400);
      expect(badPhone.json.nextOp).to.deep.equal(['enrollment']);
      const sent = await c.post({ op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: '7700900123', countryCode: '+44' } });
      expect(sent.json.nextOp).to.deep.equal(['credSubmit', 'resendCode']);
      expect(sent.json.SMS.enrolledDevices[0].displayName).to.equal('+44XXXXXX0123');
      await c.post({ op: 'resendCode' });
      const enrolled = await c.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { otpCode: sim.lastCode('gus', 'SMS') } });
      expect(enrolled.json.nextOp).to.deep.equal(['createToken']);
      expect((await c.post({ op: 'createToken' })).json.authnToken).to.be.a('string');
      expect(sim.enrolledFactors('gus')).to.deep.equal(['SMS']);
      expect((await c.login('gus')).json.SMS.enrolledDevices[0].displayName).to.equal('+44XXXXXX0123');

      const optional = await c.login('hal');
      expect(optional.json).to.deep.include({ nextOp: ['enrollment', 'createToken'], mfaSettings: { enrollmentRequired: false } });
      expect((await c.post({ op: 'createToken' })).json.authnToken).to.be.a('string');
      expect(sim.enrolledFactors('hal')).to.deep.equal([]);
    });
  });

  it('T7: a wrong password is retried with the new requestState (AUTH-3001, nextOp credSubmit)', async () => {
    await c.begin();
    const wrong = await c.password('ann', 'nope');
    expect(wrong.status).to.equal(401);
    expect(wrong.json).to.deep.include({
      status: 'failed',
      nextOp: ['credSubmit'],
      nextAuthFactors: ['USERNAME_PASSWORD'],
      USERNAME_PASSWORD: { credentials: ['username', 'password'] },
    });
    expect(wrong.json.cause![0]!.code).to.equal('AUTH-3001');
    expect(wrong.json.requestState).to.be.a('string');
    expect((await c.password('nobody', 'x')).json.cause![0]!.code).to.equal('AUTH-3001'); // unknown users look the same
    expect((await c.password('ann')).json.authnToken).to.be.a('string');
  });

  it('T8: a replayed older requestState, an unknown or an expired one → 401 AUTH-1120 without nextOp', async () => {
    const first = await c.begin();
    await c.password('ben');
    const replay = await c.password('ben', 'ben-pw', { requestState: first.json.requestState });
    expect(replay.status).to.equal(401);
    expect(replay.json).to.deep.equal({ status: 'failed', ecId: replay.json.ecId, cause: [{ code: 'AUTH-1120', message: 'Invalid request state.' }] });
    expect((await c.post({ op: 'credSubmit', requestState: 'bogus' })).json.cause![0]!.code).to.equal('AUTH-1120');
    // The current one still works after those attempts.
    expect((await c.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { otpCode: sim.totpCode('ben') } })).json.authnToken).to.be.a('string');

    await c.login('ben');
    sim.expireRequestStates();
    expect((await c.post({ op: 'getBackupFactors' })).json.cause![0]!.code).to.equal('AUTH-1120');

    sim.switches.requestStateTtlMs = 30;
    await c.begin();
    await new Promise((r) => setTimeout(r, 60));
    expect((await c.password('ann')).json.cause![0]!.code).to.equal('AUTH-1120');
  });

  it('T9: locked (AUTH-1010), lockout after N failures (AUTH-3002) until unlock(), expired password (AUTH-3004)', async () => {
    const jo = await c.login('jo');
    expect(jo.status).to.equal(401);
    expect(jo.json.cause![0]!.code).to.equal('AUTH-1010');
    expect(jo.json).to.not.have.any.keys('nextOp', 'requestState');

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
    expect(kim.json.cause![0]!.code).to.equal('AUTH-3004');
    expect(kim.json).to.not.have.key('nextOp');
  });

  it('terms of use: acceptTOU with consent continues; declining ends the flow', async () => {
    const tou = await c.login('ida');
    expect(tou.json).to.deep.include({ status: 'success', nextOp: ['acceptTOU'] });
    expect(tou.json.TOU.text).to.match(/terms/i);
    expect((await c.post({ op: 'acceptTOU', credentials: { consent: true } })).json.authnToken).to.be.a('string');

    await c.login('ida');
    const declined = await c.post({ op: 'acceptTOU', credentials: { consent: false } });
    expect(declined.json.status).to.equal('failed');
    expect(declined.json).to.not.have.any.keys('nextOp', 'requestState');
  });

  it('trusted device: trustedDevice:true earns a trustToken; sent with the first credSubmit it skips MFA for that user only', async () => {
    const choice = await c.login('lea');
    expect(choice.json).to.deep.include({
      nextAuthFactors: ['SMS', 'EMAIL', 'PUSH'],
      nextOp: ['credSubmit'],
      trustedDeviceSettings: { trustDurationInDays: 15 },
    });
    expect(sim.lastCode('lea')).to.equal(undefined); // nothing is sent before a choice
    const deviceId = choice.json.SMS.enrolledDevices[0].deviceId as string;
    const sent = await c.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { deviceId } });
    expect(sent.json).to.deep.include({ nextAuthFactors: ['SMS'], nextOp: ['credSubmit', 'resendCode', 'getBackupFactors'] });
    const done = await c.post({
      op: 'credSubmit',
      authFactor: 'SMS',
      credentials: { otpCode: sim.lastCode('lea', 'SMS'), deviceId },
      trustedDevice: true,
      trustedDeviceDisplayName: 'Firefox on Linux',
    });
    const trustToken = done.json.trustToken!;
    expect(trustToken).to.be.a('string');

    await c.begin();
    expect((await c.password('lea', 'lea-pw', { trustToken })).json.authnToken).to.be.a('string');
    expect((await c.login('lea')).json.nextAuthFactors).to.deep.equal(['SMS', 'EMAIL', 'PUSH']);
    await c.begin();
    expect((await c.password('ben', 'ben-pw', { trustToken })).json.nextAuthFactors).to.deep.equal(['TOTP']);

    // Without trustedDevice: no trustToken.
    await c.login('lea');
    await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId: choice.json.EMAIL.enrolledDevices[0].deviceId } });
    const plain = await c.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { otpCode: sim.lastCode('lea', 'EMAIL') } });
    expect(plain.json.authnToken).to.be.a('string');
    expect(plain.json).to.not.have.key('trustToken');
  });

  it('user name first: the usernameFirst switch (everyone), and a user whose own policy is user name first', async () => {
    sim.switches.usernameFirst = true;
    const first = await c.begin();
    expect(first.json).to.deep.include({ nextAuthFactors: ['USERNAME'], USERNAME: { credentials: ['username'] } });
    const pw = await c.post({ op: 'credSubmit', authFactor: 'USERNAME', credentials: { username: 'ann' } });
    expect(pw.json).to.deep.include({ status: 'success', nextAuthFactors: ['USERNAME_PASSWORD'] });
    expect(pw.json).to.not.have.key('displayName');
    expect((await c.password('ann')).json.authnToken).to.be.a('string');

    sim.reset();
    expect(sim.switches.usernameFirst).to.equal(false);
    expect(sim.tokensIssued()).to.equal(0);
    expect((await c.begin()).status).to.equal(401); // reset() also dropped the access token
    await c.fetchToken();
    await c.begin();
    // fay is a plain e-mail user: one combined submit, then the code.
    const email = await c.password('fay');
    expect(email.json).to.deep.include({ nextAuthFactors: ['EMAIL'], nextOp: ['credSubmit', 'resendCode'] });
    expect((await c.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('fay', 'EMAIL') } })).json.authnToken).to.be.a('string');
  });

  it('is robust: malformed JSON, unknown appName, wrong op, unknown path', async () => {
    await c.begin();
    const malformed = await send(`${sim.url}/sso/v1/sdk/authenticate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: '{"op":"credSubmit",',
    });
    expect(malformed.status).to.equal(400);
    expect(malformed.json.status).to.equal('failed');
    const app = await c.begin('NoSuchApp');
    expect(app.status).to.equal(400);
    expect(app.json.cause![0]!.code).to.match(/^SSO-/);
    expect((await c.begin(null)).status).to.equal(200);
    const op = await c.post({ op: 'createToken' });
    expect(op.status).to.equal(400);
    expect(op.json.nextOp).to.deep.equal(['credSubmit']);
    expect((await c.password('ann')).json.authnToken).to.be.a('string');
    const missing = await send(`${sim.url}/sso/v1/sdk/nothing`, { headers: { authorization: `Bearer ${c.token}` } });
    expect(missing.status).to.equal(404);
    expect(missing.headers['content-type']).to.match(/text\/html/);
  });

  it('records requests and injects faults by last path segment (authenticate, token)', async () => {
    sim.injectFault({ kind: 'status', status: 503 }, { path: 'token' });
    expect((await c.fetchToken()).status).to.equal(503);
    expect((await c.fetchToken()).status).to.equal(200);
    sim.injectFault({ kind: 'truncated' }, { path: 'authenticate' });
    const cut = await send(`${sim.url}/sso/v1/sdk/authenticate?appName=DemoApp`, { headers: { authorization: `Bearer ${c.token}` } });
    expect(() => JSON.parse(cut.text)).to.throw();
    sim.injectFault({ kind: 'html' }, { path: 'authenticate' });
    expect((await c.begin()).text).to.match(/<form/);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'POST /oauth2/v1/token',
      'POST /oauth2/v1/token',
      'GET /sso/v1/sdk/authenticate',
      'GET /sso/v1/sdk/authenticate',
    ]);
    expect(() => sim.injectFault({ kind: 'nope' } as never)).to.throw(TypeError);
  });

  it('serves an escaped control page and a JSON control API that are not recorded', async () => {
    const users: IdcsSimUser[] = [
      ...idcsDemoUsers,
      { username: 'mal', password: '<b>pw</b>', displayName: '<script>alert(1)</script>', email: 'mal@example.com', factors: ['TOTP', 'PUSH'] },
    ];
    const other = await IdcsSimulator.start({ users, clientId: 'cid', clientSecret: 'cs', appName: 'Payroll', switches: { latencyMs: 1 } });
    try {
      const client = new Client(other);
      expect((await client.login('dan')).json.nextAuthFactors).to.deep.equal(['PUSH']);
      await client.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: {} });
      const page = await send(other.controlUrl);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('http-equiv="refresh"');
      expect(page.text).to.not.include('<script>alert');
      expect(page.text).to.include('&#60;script&#62;').and.include('&#60;b&#62;pw');
      expect(page.text).to.include('Approve');
      expect(page.text).to.include(other.totpCode('mal'));

      const state = (await send(`${other.controlUrl}/api/state`)).json as unknown as ReturnType<IdcsSimulator['state']>;
      expect(state.pendingPushes.map((p) => p.username)).to.deep.equal(['dan']);
      expect(state.switches.latencyMs).to.equal(1);
      expect((await send(`${other.controlUrl}/api/totp/mal`)).json).to.deep.include({ code: other.totpCode('mal') });
      expect((await send(`${other.controlUrl}/api/totp/ann`)).status).to.equal(404);
      expect((await send(`${other.controlUrl}/api/push/dan/approve`, { method: 'POST' })).json).to.deep.equal({ ok: true });
      expect((await client.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: {} })).json.authnToken).to.be.a('string');

      await client.login('cora');
      const code = (await send(`${other.controlUrl}/api/code/cora`)).json as unknown as { code: string; byFactor: Record<string, string> };
      expect(code.byFactor.SMS).to.equal(code.code).and.equal(other.lastCode('cora', 'SMS'));

      const switches = await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: JSON.stringify({ usernameFirst: true }) });
      expect((switches.json as unknown as { usernameFirst: boolean }).usernameFirst).to.equal(true);
      expect((await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: '{"constructor":1}' })).status).to.equal(400);
      await send(`${other.controlUrl}/api/expire-access-tokens`, { method: 'POST' });
      expect((await client.begin()).status).to.equal(401);
      await send(`${other.controlUrl}/api/expire-request-states`, { method: 'POST' });
      await send(`${other.controlUrl}/api/reset`, { method: 'POST' });
      expect(other.switches.usernameFirst).to.equal(false);
      expect(other.requests).to.deep.equal([]);
      expect(other.tokensIssued()).to.equal(0);
      const refused = await send(`${other.controlUrl}/api/reset`, { method: 'POST', headers: { origin: 'http://evil.example' } });
      expect(refused.status).to.equal(403);
    } finally {
      await other.close();
    }
  });

  it('rejects invalid users and switches at start', async () => {
    let error: unknown;
    try {
      await IdcsSimulator.start({ users: [{ username: 'x', password: 'p', displayName: 'X', email: 'x@example.com', factors: ['BYPASSCODE'] }] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError);
    error = undefined;
    try {
      await IdcsSimulator.start({ switches: { lockoutAfterFailures: 0 } });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TypeError);
  });
});
