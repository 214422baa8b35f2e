import { expect } from 'chai';
import { OaaSimulator, type OaaSimUser, oaaDemoUsers } from '../../lib/testing/index.js';
import { type SendInit, type Reply as SimReply, send as sendTo, totp, wrongCode as wrong } from './support.js';

/** The parts of an `/authn/v1` answer the tests read (both namings, and the error body). */
interface Answer {
  correlationId?: string;
  transactionId?: string;
  nonce?: string;
  statusInfo?: { status: string; code?: string; message?: string };
  challengeInfo?: Array<{ challengeType: string; prompts: string[]; challengeAttrMap: Record<string, string> }>;
  initContext?: { contextId: string };
  resource?: string;
  // legacy naming
  status?: string;
  code?: string;
  message?: string;
  challenges?: Array<{ factorKey: string; prompts: string[]; attributes: Record<string, string> }>;
  contextId?: string;
  // error body
  responseCode?: string;
  responseMessage?: string;
  [key: string]: any;
}

type Reply = SimReply<Answer>;
const send = (url: string, init?: SendInit): Promise<Reply> => sendTo<Answer>(url, init);

/** The literal header of oaa.md §1.3 (`oaainstall-oaa:apikeytobesetduringinstallation`). */
const DOC_BASIC = 'Basic b2FhaW5zdGFsbC1vYWE6YXBpa2V5dG9iZXNldGR1cmluZ2luc3RhbGxhdGlvbg==';

/** A client of the runtime API: one correlationId at a time, always the latest nonce. */
class Client {
  correlationId = '';
  nonce = '';
  readonly nonces: string[] = [];

  constructor(
    private readonly sim: OaaSimulator,
    private readonly authorization = `Basic ${Buffer.from(`${sim.apiUsername}:${sim.apiKey}`).toString('base64')}`,
  ) {}

  /** `POST /authn/v1` for `userId` (group Default, level PassportAL1), with `extra` merged over the body. */
  async start(userId: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const body = {
      clientInfo: { clientId: this.sim.clientId, clientSecret: this.sim.clientSecret },
      context: {
        assuranceLevel: { name: 'PassportAL1' },
        ipAddress: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (test)',
        headers: [{ name: 'x-forwarded-for', value: '203.0.113.7' }],
      },
      userInfo: { userId, groups: ['Default'] },
      ...extra,
    };
    return this.track(await this.call('POST', body));
  }

  /** `PUT /authn/v1` with the current correlationId and nonce, unless the body names them (`undefined` leaves one out). */
  async put(body: Record<string, unknown>): Promise<Reply> {
    const full: Record<string, unknown> = { correlationId: this.correlationId, nonce: this.nonce, ...body };
    for (const key of Object.keys(full)) if (full[key] === undefined) delete full[key];
    return this.track(await this.call('PUT', full));
  }

  /** Init without a nonce, as the docs allow (T1). */
  init(factorKey: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.put({ challengeop: 'Init', nonce: undefined, challengedata: { factorKey }, ...extra });
  }

  validate(challengeAnswer?: string): Promise<Reply> {
    return this.put({ challengeop: 'Validate', ...(challengeAnswer === undefined ? {} : { challengeAnswer }) });
  }

  finalize(challengeResult: string, challengeResultReason?: string): Promise<Reply> {
    return this.put({ challengeop: 'Finalize', challengeResult, ...(challengeResultReason ? { challengeResultReason } : {}) });
  }

  call(method: 'POST' | 'PUT', body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return send(`${this.sim.url}/authn/v1`, {
      method,
      headers: { authorization: this.authorization, 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  private track(reply: Reply): Reply {
    const id = reply.json.correlationId ?? reply.json.transactionId;
    if (id) this.correlationId = id;
    if (reply.json.nonce) {
      this.nonce = reply.json.nonce;
      this.nonces.push(reply.json.nonce);
    }
    return reply;
  }
}

const AUTHENTICATED = { status: 'authenticated', code: 'ORA-40004', message: 'Authenticated' };

describe('OaaSimulator (loopback Oracle Advanced Authentication runtime API)', () => {
  let sim: OaaSimulator;
  let c: Client;

  before(async () => {
    sim = await OaaSimulator.start();
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    c = new Client(sim);
  });

  it('has the documented defaults: OAAService base, API key, agent, enrolment page', async () => {
    expect(sim.url).to.equal(`http://127.0.0.1:${sim.port}/oaa/runtime`);
    expect(sim.controlUrl).to.equal(`http://127.0.0.1:${sim.port}/_sim`);
    expect(sim.registrationUrl).to.equal(`http://127.0.0.1:${sim.port}/oaa/rui`);
    expect([sim.apiUsername, sim.apiKey, sim.bearerToken]).to.deep.equal(['oaainstall-oaa', 'apikeytobesetduringinstallation', 'demo-oaa-bearer']);
    expect([sim.clientId, sim.clientSecret]).to.deep.equal(['demo-agent', 'demo-agent-secret']);
    expect(sim.switches).to.deep.equal({
      naming: 'documented',
      statusStyle: 'spaces',
      omitStatusOn: [],
      retryCount: 10,
      sessionTtlSeconds: 300,
      pushAutoApproveAfterPolls: null,
      latencyMs: 0,
      yubikeyFactorKey: 'ChallengeYOTP',
    });
    const page = await send(`${sim.registrationUrl}?userId=${encodeURIComponent('<uma>')}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('ChallengeEmail').and.include('&#60;uma&#62;').and.not.include('<uma>');
    expect(sim.verifyPassword('olga', 'olga-pw')).to.equal(true);
    expect(sim.verifyPassword('OLGA', 'olga-pw')).to.equal(true);
    expect(sim.verifyPassword('olga', 'pete-pw')).to.equal(false);
    expect(sim.verifyPassword('nobody', 'nobody-pw')).to.equal(false);
  });

  it('T1: Email OTP: POST lists it, Init sends the code, Validate authenticates (ORA-40004); every answer rotates the nonce', async () => {
    const post = await c.start('olga');
    expect(post.status).to.equal(200);
    expect(post.headers['content-type']).to.match(/^application\/json/);
    expect(post.json.correlationId).to.match(/^[0-9a-f-]{36}$/);
    expect(post.json.statusInfo).to.deep.equal({ status: 'pending identification' });
    expect(post.json.challengeInfo).to.deep.equal([
      { challengeType: 'ChallengeEmail', prompts: ['Enter OTP sent to o***@example.com.'], challengeAttrMap: { email: 'o***@example.com' } },
    ]);
    expect(post.json.initContext!.contextId).to.equal(sim.state().users.find((u) => u.username === 'olga')!.contextId);
    expect(sim.lastCode('olga')).to.equal(undefined);

    const init = await c.init('ChallengeEmail');
    expect(init.status).to.equal(200);
    expect(init.json.correlationId).to.equal(post.json.correlationId);
    expect(init.json.statusInfo).to.deep.equal({ status: 'pending verification' });
    expect(init.json.challengeInfo![0]!.challengeType).to.equal('ChallengeEmail');
    const code = sim.lastCode('olga', 'ChallengeEmail');
    expect(code).to.match(/^\d{6}$/);
    expect(sim.lastCode('olga')).to.equal(code);

    const ok = await c.validate(code);
    expect(ok.status).to.equal(200);
    expect(ok.json.statusInfo).to.deep.equal(AUTHENTICATED);
    expect(ok.json.challengeInfo).to.equal(undefined);
    expect(new Set(c.nonces).size).to.equal(3);

    // The correlationId is closed once authenticated.
    const again = await c.validate(code);
    expect(again.status).to.equal(400);
    expect(again.json).to.deep.equal({ responseCode: 'OAA-400', responseMessage: 'Invalid correlationId' });

    expect(sim.lastContext('olga')).to.deep.equal({
      assuranceLevel: { name: 'PassportAL1' },
      ipAddress: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (test)',
      headers: [{ name: 'x-forwarded-for', value: '203.0.113.7' }],
    });
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'POST /oaa/runtime/authn/v1',
      'PUT /oaa/runtime/authn/v1',
      'PUT /oaa/runtime/authn/v1',
      'PUT /oaa/runtime/authn/v1',
    ]);
    expect(sim.requests[1]!.body).to.deep.equal({ correlationId: post.json.correlationId, challengeop: 'Init', challengedata: { factorKey: 'ChallengeEmail' } });
  });

  it('T2: a choice of Email, SMS and TOTP; SMS picked (factor key also top-level); switching factor with another Init', async () => {
    const post = await c.start('sam');
    expect(post.json.statusInfo!.status).to.equal('pending identification');
    expect(post.json.challengeInfo!.map((i) => i.challengeType)).to.deep.equal(['ChallengeEmail', 'ChallengeSMS', 'ChallengeOMATOTP']);
    const sms = await c.put({ challengeop: 'Init', challengedata: { factorKey: 'ChallengeSMS' }, challengeType: 'ChallengeSMS' });
    expect(sms.json.statusInfo!.status).to.equal('pending verification');
    expect(sms.json.challengeInfo).to.deep.equal([
      { challengeType: 'ChallengeSMS', prompts: ['Enter OTP sent to ***-***-6789.'], challengeAttrMap: { phone: '***-***-6789' } },
    ]);
    expect(sim.lastCode('sam', 'ChallengeEmail')).to.equal(undefined);
    expect((await c.validate(sim.lastCode('sam', 'ChallengeSMS'))).json.statusInfo).to.deep.equal(AUTHENTICATED);

    // Another session: Email via challengedata.challengeType, then switch to TOTP via a top-level challengeType.
    await c.start('sam');
    expect((await c.put({ challengeop: 'Init', challengedata: { challengeType: 'ChallengeEmail' } })).json.challengeInfo![0]!.challengeType).to.equal('ChallengeEmail');
    const emailCode = sim.lastCode('sam', 'ChallengeEmail');
    expect(emailCode).to.match(/^\d{6}$/);
    const switched = await c.put({ challengeop: 'Init', challengeType: 'ChallengeOMATOTP' });
    expect(switched.json.challengeInfo![0]!.challengeType).to.equal('ChallengeOMATOTP');
    // The Email code belongs to the abandoned factor now.
    expect((await c.validate(emailCode)).json.statusInfo).to.deep.include({ status: 'pending verification', message: 'Entered TOTP is incorrect.' });
    expect((await c.validate(sim.totpCode('sam'))).json.statusInfo).to.deep.equal(AUTHENTICATED);

    // A factor the user does not have, or no factor at all with several to choose from.
    await c.start('sam');
    const pete = await c.init('ChallengeOMAPUSH');
    expect(pete.status).to.equal(400);
    expect(pete.json.responseCode).to.equal('OAA-400');
    expect((await c.put({ challengeop: 'Init' })).status).to.equal(400);
  });

  it('T3: TOTP from the registered secret (RFC 6238, ±1 step)', async () => {
    const quinn = oaaDemoUsers.find((u) => u.username === 'quinn')!;
    expect(sim.totpCode('quinn')).to.equal(totp(quinn.totpSecret!));
    expect(() => sim.totpCode('olga')).to.throw(Error);
    const post = await c.start('quinn');
    expect(post.json.challengeInfo).to.deep.equal([{ challengeType: 'ChallengeOMATOTP', prompts: ['Enter TOTP from the registered Phone'], challengeAttrMap: {} }]);
    // A single factor: Init may leave the factor out.
    expect((await c.put({ challengeop: 'Init', nonce: undefined })).json.statusInfo!.status).to.equal('pending verification');
    expect((await c.validate(totp(quinn.totpSecret!, Date.now() - 30_000))).json.statusInfo).to.deep.equal(AUTHENTICATED);
    await c.start('quinn');
    await c.init('ChallengeOMATOTP');
    expect((await c.validate(totp(quinn.totpSecret!, Date.now() - 120_000))).json.statusInfo!.status).to.equal('pending verification');
  });

  it('T4: push: Validate polls stay pending until approved; a denied push fails and ends the session; auto-approve switch', async () => {
    const post = await c.start('rosa');
    expect(post.json.challengeInfo![0]).to.deep.include({ challengeType: 'ChallengeOMAPUSH', challengeAttrMap: { deviceName: "Rosa's iPhone" } });
    expect(sim.pendingPushes()).to.deep.equal([]);
    expect((await c.init('ChallengeOMAPUSH')).json.statusInfo!.status).to.equal('pending verification');
    expect(sim.pendingPushes()).to.deep.equal(['rosa']);
    expect((await c.validate()).json.statusInfo).to.deep.equal({ status: 'pending verification' });
    expect((await c.validate()).json.statusInfo).to.deep.equal({ status: 'pending verification' });
    expect(sim.state().pendingPushes[0]).to.deep.include({ username: 'rosa', deviceName: "Rosa's iPhone", polls: 2 });
    expect(sim.approvePush('rosa')).to.equal(true);
    expect(sim.pendingPushes()).to.deep.equal([]);
    expect((await c.validate()).json.statusInfo).to.deep.equal(AUTHENTICATED);
    expect(sim.approvePush('rosa')).to.equal(false);

    await c.start('rosa');
    await c.init('ChallengeOMAPUSH');
    expect(sim.denyPush('rosa')).to.equal(true);
    const denied = await c.validate();
    expect(denied.json.statusInfo!.status).to.equal('failed');
    expect((await c.validate()).json.responseMessage).to.equal('Invalid correlationId');

    sim.setSwitches({ pushAutoApproveAfterPolls: 1 });
    await c.start('rosa');
    await c.init('ChallengeOMAPUSH');
    expect((await c.validate()).json.statusInfo!.status).to.equal('pending verification');
    expect((await c.validate()).json.statusInfo).to.deep.equal(AUTHENTICATED);
  });

  it('T5: a wrong answer is "pending verification" with a message and a new nonce; the right one then authenticates', async () => {
    await c.start('olga');
    await c.init('ChallengeEmail');
    const code = sim.lastCode('olga')!;
    const bad = await c.validate(wrong(code));
    expect(bad.status).to.equal(200);
    expect(bad.json.statusInfo).to.deep.equal({ status: 'pending verification', message: 'Entered OTP is incorrect.' });
    expect(sim.state().users.find((u) => u.username === 'olga')!.failures).to.deep.equal({ ChallengeEmail: 1 });
    expect((await c.validate(code)).json.statusInfo).to.deep.equal(AUTHENTICATED);
    // Success clears the counter.
    expect(sim.state().users.find((u) => u.username === 'olga')!.failures).to.deep.equal({});
    expect((await c.validate(code)).status).to.equal(400);
  });

  it('T6: after retryCount wrong answers the factor is blocked (also for new sessions) until DELETE /challengecounter/v1 or unlock()', async () => {
    sim.setSwitches({ retryCount: 3 });
    const post = await c.start('olga');
    const contextId = post.json.initContext!.contextId;
    await c.init('ChallengeEmail');
    const code = sim.lastCode('olga')!;
    expect((await c.validate(wrong(code))).json.statusInfo!.status).to.equal('pending verification');
    expect((await c.validate(wrong(code))).json.statusInfo!.status).to.equal('pending verification');
    const blocked = await c.validate(wrong(code));
    expect(blocked.json.statusInfo).to.deep.equal({ status: 'challenge blocked', message: 'Too many failed attempts' });
    expect((await c.validate(code)).json.statusInfo!.status).to.equal('challenge blocked');
    const reported = await c.finalize('Failure', 'too_many_attempts');
    expect(reported.json.statusInfo).to.deep.equal({ status: 'failed' });
    expect(sim.lastFinalize('olga')).to.deep.equal({ result: 'Failure', reason: 'too_many_attempts' });
    expect(sim.state().users.find((u) => u.username === 'olga')!.blocked).to.deep.equal(['ChallengeEmail']);

    const later = await c.start('olga');
    expect(later.json.statusInfo!.status).to.equal('challenge blocked');
    expect(later.json.challengeInfo).to.deep.equal([]);
    expect((await c.init('ChallengeEmail')).json.statusInfo!.status).to.equal('challenge blocked');

    const auth = { authorization: DOC_BASIC };
    const counter = `${sim.url}/challengecounter/v1`;
    const unknown = await send(`${counter}?challengeType=ChallengeEmail&contextId=nope`, { method: 'DELETE', headers: auth });
    expect(unknown.status).to.equal(404);
    expect((await send(`${counter}?challengeType=ChallengeEmail`, { method: 'DELETE', headers: auth })).status).to.equal(400);
    const reset = await send(`${counter}?challengeType=ChallengeEmail&contextId=${contextId}`, { method: 'DELETE', headers: auth });
    expect(reset.status).to.equal(200);
    expect(reset.json).to.deep.equal({ responseCode: '200', responseMessage: 'Challenge Counter is reseted.' });
    expect((await c.start('olga')).json.statusInfo!.status).to.equal('pending identification');

    // A blocked factor of a user with several: the others are still offered; unlock() lifts it.
    await c.start('sam');
    await c.init('ChallengeOMATOTP');
    for (let i = 0; i < 3; i++) await c.validate(wrong(sim.totpCode('sam')));
    expect((await c.start('sam')).json.challengeInfo!.map((i) => i.challengeType)).to.deep.equal(['ChallengeEmail', 'ChallengeSMS']);
    sim.unlock('sam');
    expect((await c.start('sam')).json.challengeInfo!.map((i) => i.challengeType)).to.deep.equal(['ChallengeEmail', 'ChallengeSMS', 'ChallengeOMATOTP']);
  });

  it('T7: missing registration for a user without factors and for an unknown user', async () => {
    for (const userId of ['uma', 'newbie']) {
      const post = await c.start(userId);
      expect(post.status).to.equal(200);
      expect(post.json.correlationId).to.be.a('string');
      expect(post.json.nonce).to.be.a('string');
      expect(post.json.statusInfo).to.deep.equal({ status: 'missing registration', message: 'No factor registered for user' });
      expect(post.json.challengeInfo).to.deep.equal([]);
      expect((await c.init('ChallengeEmail')).status).to.equal(400);
    }
    expect(sim.lastContext('newbie')).to.deep.include({ ipAddress: '203.0.113.7' });
    // A user is identified by userId + group: another group is someone else.
    expect((await c.start('olga', { userInfo: { userId: 'olga', groups: ['Payroll'] } })).json.statusInfo!.status).to.equal('missing registration');
    // uniqueUserId wins over userId.
    const olga = sim.state().users.find((u) => u.username === 'olga')!;
    const byUnique = await c.start('x', { userInfo: { userId: 'nobody', uniqueUserId: olga.uniqueUserId } });
    expect(byUnique.json.statusInfo!.status).to.equal('pending identification');
  });

  it('T8: a stale or missing nonce → 400 Invalid nonce (the current one stays valid); Init may omit it but not send a stale one', async () => {
    await c.start('olga');
    const first = c.nonce;
    await c.init('ChallengeEmail');
    const n81 = c.nonce;
    const code = sim.lastCode('olga')!;
    await c.validate(wrong(code));
    const n82 = c.nonce;
    expect(new Set([first, n81, n82]).size).to.equal(3);
    const stale = await c.put({ challengeop: 'Validate', nonce: n81, challengeAnswer: code });
    expect(stale.status).to.equal(400);
    expect(stale.json).to.deep.equal({ responseCode: 'OAA-400', responseMessage: 'Invalid nonce' });
    expect((await c.put({ challengeop: 'Validate', nonce: undefined, challengeAnswer: code })).json.responseMessage).to.equal('Invalid nonce');
    expect((await c.put({ challengeop: 'Finalize', nonce: first, challengeResult: 'Failure', challengeResultReason: 'user_abandoned' })).status).to.equal(400);
    expect((await c.put({ challengeop: 'Init', nonce: first, challengedata: { factorKey: 'ChallengeEmail' } })).json.responseMessage).to.equal('Invalid nonce');
    expect(c.nonce).to.equal(n82);
    expect((await c.put({ challengeop: 'Validate', nonce: n82, challengeAnswer: code })).json.statusInfo).to.deep.equal(AUTHENTICATED);

    // Unknown, missing and expired correlationIds.
    expect((await c.put({ correlationId: 'c-unknown', challengeop: 'Init' })).json).to.deep.equal({ responseCode: 'OAA-400', responseMessage: 'Invalid correlationId' });
    expect((await c.put({ correlationId: undefined, challengeop: 'Init' })).json.responseMessage).to.equal('Invalid correlationId');
    await c.start('olga');
    sim.expireSessions();
    expect((await c.init('ChallengeEmail')).json.responseMessage).to.equal('Invalid correlationId');
    await c.start('olga', { timeToLiveInSec: 1 });
    await new Promise((r) => setTimeout(r, 1050));
    expect((await c.init('ChallengeEmail')).json.responseMessage).to.equal('Invalid correlationId');
    expect((await c.put({ challengeop: 'Cancel' })).status).to.equal(400);
  });

  it('T9: Finalize Failure user_abandoned → failed; the session is closed and the reason recorded', async () => {
    await c.start('olga');
    await c.init('ChallengeEmail');
    expect((await c.finalize('Failure')).json.responseCode).to.equal('OAA-400');
    expect((await c.finalize('Failure', 'bored')).status).to.equal(400);
    expect((await c.finalize('Maybe', 'user_abandoned')).status).to.equal(400);
    expect((await c.finalize('Success')).status).to.equal(400);
    expect(sim.lastFinalize('olga')).to.equal(undefined);
    const done = await c.finalize('Failure', 'user_abandoned');
    expect(done.status).to.equal(200);
    expect(done.json).to.have.keys(['correlationId', 'nonce', 'statusInfo']);
    expect(done.json.statusInfo).to.deep.equal({ status: 'failed' });
    expect(sim.lastFinalize('olga')).to.deep.equal({ result: 'Failure', reason: 'user_abandoned' });
    expect((await c.finalize('Failure', 'user_abandoned')).json.responseMessage).to.equal('Invalid correlationId');
    // Error without a reason is accepted too.
    await c.start('olga');
    expect((await c.finalize('Error')).json.statusInfo!.status).to.equal('failed');
    expect(sim.lastFinalize('OLGA')).to.deep.equal({ result: 'Error' });
  });

  it('legacy naming and upper-case statuses: transactionId, top-level status, challenges[{factorKey, prompts}]', async () => {
    sim.setSwitches({ naming: 'legacy', statusStyle: 'upper' });
    const post = await c.start('sam');
    expect(post.json).to.not.have.any.keys('correlationId', 'statusInfo', 'challengeInfo', 'initContext');
    expect(post.json.transactionId).to.match(/^[0-9a-f-]{36}$/);
    expect(post.json.status).to.equal('PENDING_IDENTIFICATION');
    expect(post.json.contextId).to.be.a('string');
    expect(post.json.challenges![0]).to.deep.equal({
      factorKey: 'ChallengeEmail',
      prompts: ['Enter OTP sent to s***@example.com.'],
      attributes: { email: 's***@example.com' },
    });
    const init = await c.init('ChallengeEmail');
    expect(init.json.status).to.equal('PENDING_VERIFICATION');
    expect(init.json.transactionId).to.equal(post.json.transactionId);
    const bad = await c.validate(wrong(sim.lastCode('sam')));
    expect(bad.json).to.deep.include({ status: 'PENDING_VERIFICATION', message: 'Entered OTP is incorrect.' });
    // The session may be named by transactionId in this naming.
    const ok = await c.put({ correlationId: undefined, transactionId: c.correlationId, challengeop: 'Validate', challengeAnswer: sim.lastCode('sam') });
    expect(ok.json).to.deep.include({ status: 'AUTHENTICATED', code: 'ORA-40004', message: 'Authenticated' });

    sim.setSwitches({ naming: 'documented' });
    expect((await c.start('sam')).json.statusInfo!.status).to.equal('PENDING_IDENTIFICATION');
    expect((await c.put({ correlationId: undefined, transactionId: c.correlationId, challengeop: 'Init', nonce: undefined })).status).to.equal(400);
  });

  it('foreign naming and statuses, and answers without any status (omitStatusOn), for clients that must not guess', async () => {
    sim.setSwitches({ naming: 'foreign', statusStyle: 'foreign' });
    const post = await c.call('POST', {
      clientInfo: { clientId: sim.clientId, clientSecret: sim.clientSecret },
      context: { assuranceLevel: { name: 'PassportAL1' } },
      userInfo: { userId: 'olga', groups: ['Default'] },
    });
    expect(post.json).to.not.have.any.keys('correlationId', 'transactionId', 'nonce', 'statusInfo', 'status', 'challengeInfo', 'challenges');
    expect(post.json).to.deep.include({ outcome: { state: 'CHOOSE_FACTOR' } });
    expect(post.json.options).to.deep.equal([{ kind: 'ChallengeEmail', texts: ['Enter OTP sent to o***@example.com.'], attrs: { email: 'o***@example.com' } }]);
    // A PUT still names the session with correlationId.
    c.correlationId = post.json.sessionRef;
    const init = await c.put({ challengeop: 'Init', nonce: post.json.nextNonce, challengedata: { factorKey: 'ChallengeEmail' } });
    expect(init.json.outcome).to.deep.equal({ state: 'AWAITING_ANSWER' });
    const ok = await c.put({ challengeop: 'Validate', nonce: init.json.nextNonce, challengeAnswer: sim.lastCode('olga') });
    expect(ok.json.outcome).to.deep.equal({ state: 'OK', reason: 'ORA-40004', detail: 'Authenticated' });

    sim.setSwitches({ naming: 'documented', statusStyle: 'spaces', omitStatusOn: ['Init', 'Finalize'] });
    const plain = new Client(sim);
    expect((await plain.start('olga')).json.statusInfo).to.deep.equal({ status: 'pending identification' });
    const bare = await plain.init('ChallengeEmail');
    expect(bare.json).to.not.have.any.keys('statusInfo', 'status', 'code', 'message');
    expect(bare.json.challengeInfo).to.have.length(1); // the Init was carried out: a code was sent, the nonce rotated
    expect(sim.lastCode('olga')).to.be.a('string');
    expect((await plain.validate(sim.lastCode('olga'))).json.statusInfo).to.deep.include({ status: 'authenticated' });
    const other = new Client(sim);
    await other.start('olga');
    await other.init('ChallengeEmail');
    const finalized = await other.finalize('Failure', 'user_abandoned');
    expect(finalized.status).to.equal(200);
    expect(finalized.json).to.not.have.any.keys('statusInfo');
    expect(sim.lastFinalize('olga')).to.deep.equal({ result: 'Failure', reason: 'user_abandoned' });
  });

  it('API authentication: Basic apiUsername:apiKey or Bearer, else 401 {responseCode, responseMessage}', async () => {
    const url = `${sim.url}/authn/v1`;
    const body = JSON.stringify({});
    const json = { 'content-type': 'application/json' };
    for (const authorization of [undefined, `Basic ${Buffer.from('oaainstall-oaa:wrong').toString('base64')}`, 'Bearer nope', 'Basic !!!']) {
      const reply = await send(url, { method: 'POST', headers: { ...json, ...(authorization ? { authorization } : {}) }, body });
      expect(reply.status).to.equal(401);
      expect(reply.json).to.deep.equal({ responseCode: '401', responseMessage: 'Unauthorized' });
    }
    expect((await send(`${sim.url}/challengecounter/v1?challengeType=ChallengeEmail&contextId=x`, { method: 'DELETE' })).status).to.equal(401);
    expect((await new Client(sim, DOC_BASIC).start('olga')).json.statusInfo!.status).to.equal('pending identification');
    const bearer = new Client(sim, 'Bearer demo-oaa-bearer');
    await bearer.start('olga');
    expect((await bearer.init('ChallengeEmail')).status).to.equal(200);
  });

  it('agent credentials: a wrong clientSecret is 401; missing clientInfo is 400', async () => {
    const bad = await c.start('olga', { clientInfo: { clientId: sim.clientId, clientSecret: 'wrong' } });
    expect(bad.status).to.equal(401);
    expect(bad.json).to.have.keys(['responseCode', 'responseMessage']);
    expect(bad.json.responseCode).to.equal('401');
    expect((await c.start('olga', { clientInfo: { clientId: 'other', clientSecret: sim.clientSecret } })).status).to.equal(401);
    expect((await c.start('olga', { clientInfo: undefined })).status).to.equal(400);
    expect(sim.lastContext('olga')).to.equal(undefined);
  });

  it('validates the POST: assurance level (object or bare string), one group only, context, TTL, JSON media type', async () => {
    expect((await c.start('olga', { context: { assuranceLevel: 'PassportAL1' } })).json.statusInfo!.status).to.equal('pending identification');
    expect(sim.lastContext('olga')).to.deep.equal({ assuranceLevel: 'PassportAL1' });
    const unknownLevel = await c.start('olga', { context: { assuranceLevel: { name: 'AL9' } } });
    expect(unknownLevel.status).to.equal(400);
    expect(unknownLevel.json.responseCode).to.equal('OAA-400');
    expect((await c.start('olga', { context: {} })).status).to.equal(400);
    expect((await c.start('olga', { context: undefined })).status).to.equal(400);
    expect((await c.start('olga', { userInfo: { userId: 'olga', groups: ['Default', 'Other'] } })).status).to.equal(400);
    expect((await c.start('olga', { userInfo: { groups: ['Default'] } })).status).to.equal(400);
    expect((await c.start('olga', { userInfo: { userId: 'olga' } })).json.statusInfo!.status).to.equal('pending identification');
    expect((await c.start('olga', { timeToLiveInSec: 'soon' })).status).to.equal(400);

    const xml = await c.call('POST', '<AuthnRequest/>', { 'content-type': 'application/xml' });
    expect(xml.status).to.equal(415);
    expect(xml.json.responseCode).to.equal('415');
    expect((await c.call('POST', '{}', { 'content-type': 'text/plain' })).status).to.equal(415);
    const malformed = await c.call('PUT', '{"correlationId":');
    expect(malformed.status).to.equal(400);
    expect(malformed.json.responseCode).to.equal('OAA-400');
    const get = await send(`${sim.url}/authn/v1`, { headers: { authorization: DOC_BASIC } });
    expect(get.status).to.equal(405);
    expect(get.headers.allow).to.equal('POST, PUT');
    const unknownApi = await send(`${sim.url}/preferences/v1`, { headers: { authorization: DOC_BASIC } });
    expect(unknownApi.status).to.equal(404);
    expect(unknownApi.json.responseCode).to.equal('404');
    const outside = await send(`http://127.0.0.1:${sim.port}/somewhere`);
    expect(outside.status).to.equal(404);
    expect(outside.headers['content-type']).to.match(/text\/html/);
  });

  it('walt (low-risk rule) is authenticated by the POST; vic (FIDO2) cannot Validate but can Finalize', async () => {
    const walt = await c.start('walt', {
      context: { assuranceLevel: { name: 'PassportAL1' }, resourceUrl: 'https://app.example.com/account' },
    });
    expect(walt.json.statusInfo).to.deep.equal(AUTHENTICATED);
    expect(walt.json.resource).to.equal('https://app.example.com/account');
    expect((await c.init('ChallengeEmail')).json.responseMessage).to.equal('Invalid correlationId');

    expect((await c.start('vic')).json.challengeInfo!.map((i) => i.challengeType)).to.deep.equal(['ChallengeFIDO2']);
    expect((await c.validate('x')).json.responseMessage).to.match(/initialized/);
    expect((await c.init('ChallengeFIDO2')).json.statusInfo!.status).to.equal('pending verification');
    const passive = await c.validate('assertion');
    expect(passive.status).to.equal(400);
    expect(passive.json.responseMessage).to.match(/not a passive factor/);
    expect((await c.finalize('Failure', 'unavailable_for_user')).json.statusInfo!.status).to.equal('failed');
    expect(sim.lastFinalize('vic')).to.deep.equal({ result: 'Failure', reason: 'unavailable_for_user' });
  });

  it('YubiKey OTP: 44-char modhex OTPs, each valid once; the factor key spelling follows the switch', async () => {
    expect(() => sim.yubicoOtp('olga')).to.throw(Error);
    const otp = sim.yubicoOtp('tess');
    expect(otp).to.match(/^[cbdefghijklnrtuv]{44}$/);
    expect(sim.yubicoOtp('tess').slice(0, 12)).to.equal(otp.slice(0, 12));
    expect((await c.start('tess')).json.challengeInfo!.map((i) => i.challengeType)).to.deep.equal(['ChallengeYOTP']);
    await c.init('ChallengeYOTP');
    // The older OTP (generated first) is still unused, so it is accepted.
    expect((await c.validate(otp)).json.statusInfo).to.deep.equal(AUTHENTICATED);
    await c.start('tess');
    await c.init('ChallengeYOTP');
    expect((await c.validate(otp)).json.statusInfo).to.deep.include({ status: 'pending verification', message: 'Entered OTP is incorrect.' });
    const tampered = sim.yubicoOtp('tess');
    const flipped = tampered.slice(0, -1) + (tampered.endsWith('c') ? 'b' : 'c');
    expect((await c.validate(flipped)).json.statusInfo!.status).to.equal('pending verification');
    expect((await c.validate(tampered)).json.statusInfo).to.deep.equal(AUTHENTICATED);

    sim.setSwitches({ yubikeyFactorKey: 'ChallengeYubicoOTP' });
    expect((await c.start('tess')).json.challengeInfo!.map((i) => i.challengeType)).to.deep.equal(['ChallengeYubicoOTP']);
    expect((await c.init('ChallengeYOTP')).status).to.equal(400);
    await c.init('ChallengeYubicoOTP');
    expect((await c.validate(sim.yubicoOtp('tess'))).json.statusInfo).to.deep.equal(AUTHENTICATED);
  });

  it('records requests and injects faults by resource name (authn, challengecounter)', async () => {
    sim.injectFault({ kind: 'status', status: 503 }, { path: 'authn' });
    const down = await c.start('olga');
    expect(down.status).to.equal(503);
    expect(down.text).to.include('nginx');
    expect((await c.start('olga')).status).to.equal(200);
    sim.injectFault({ kind: 'truncated' }, { path: '/oaa/runtime/authn/v1' });
    const cut = await c.call('PUT', { correlationId: c.correlationId, challengeop: 'Init', challengedata: { factorKey: 'ChallengeEmail' } });
    expect(() => JSON.parse(cut.text)).to.throw();
    // The faulted request was not processed: no code sent, the nonce did not rotate.
    expect(sim.lastCode('olga')).to.equal(undefined);
    sim.injectFault({ kind: 'html' }, { path: 'challengecounter' });
    expect((await c.init('ChallengeEmail')).status).to.equal(200);
    const html = await send(`${sim.url}/challengecounter/v1?challengeType=ChallengeEmail&contextId=x`, { method: 'DELETE', headers: { authorization: DOC_BASIC } });
    expect(html.text).to.match(/<form/);
    expect(sim.state().pendingFaults).to.deep.equal([]);
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'POST /oaa/runtime/authn/v1',
      'POST /oaa/runtime/authn/v1',
      'PUT /oaa/runtime/authn/v1',
      'PUT /oaa/runtime/authn/v1',
      'DELETE /oaa/runtime/challengecounter/v1',
    ]);
    expect(() => sim.injectFault({ kind: 'nope' } as never)).to.throw(TypeError);
  });

  it('serves an escaped control page and a JSON control API that are not recorded', async () => {
    const users: OaaSimUser[] = [
      ...oaaDemoUsers,
      { username: 'mal', password: '<b>pw</b>', displayName: '<script>alert(1)</script>', factors: ['ChallengeOMATOTP', 'ChallengeOMAPUSH'] },
    ];
    const other = await OaaSimulator.start({
      users,
      basePath: '/custom/base/',
      apiUsername: 'rel-oaa',
      apiKey: 'k',
      clientId: 'cid',
      clientSecret: 'cs',
      assuranceLevels: ['AL1', 'AL2'],
      switches: { latencyMs: 1 },
    });
    try {
      expect(other.url).to.equal(`http://127.0.0.1:${other.port}/custom/base`);
      const client = new Client(other);
      await client.start('rosa', { context: { assuranceLevel: { name: 'AL2' } } });
      await client.init('ChallengeOMAPUSH');
      await client.start('pete', { context: { assuranceLevel: { name: 'AL1' } } });
      await client.init('ChallengeSMS');
      const requestCount = other.requests.length;

      const page = await send(other.controlUrl);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('http-equiv="refresh"');
      expect(page.text).to.not.include('<script>alert');
      expect(page.text).to.include('&#60;script&#62;').and.include('&#60;b&#62;pw');
      expect(page.text).to.include('Approve').and.include(other.lastCode('pete')!).and.include(other.totpCode('mal'));

      const state = (await send(`${other.controlUrl}/api/state`)).json as unknown as ReturnType<OaaSimulator['state']>;
      expect(state.pendingPushes.map((p) => p.username)).to.deep.equal(['rosa']);
      expect(state.sessions.map((s) => s.factor)).to.deep.equal(['ChallengeOMAPUSH', 'ChallengeSMS']);
      expect(state.switches.latencyMs).to.equal(1);
      expect(state.assuranceLevels).to.deep.equal(['AL1', 'AL2']);
      expect(state.users.find((u) => u.username === 'pete')!.phoneNumber).to.equal('+15555551234');
      const code = (await send(`${other.controlUrl}/api/code/pete`)).json as unknown as { code: string; byFactor: Record<string, string> };
      expect(code.byFactor.ChallengeSMS).to.equal(code.code).and.equal(other.lastCode('pete', 'ChallengeSMS'));
      expect((await send(`${other.controlUrl}/api/totp/mal`)).json).to.deep.include({ code: other.totpCode('mal') });
      expect((await send(`${other.controlUrl}/api/totp/olga`)).status).to.equal(404);
      const yotp = (await send(`${other.controlUrl}/api/yotp/tess`)).json as unknown as { otp: string };
      expect(yotp.otp).to.have.length(44);
      expect((await send(`${other.controlUrl}/api/yotp/olga`)).status).to.equal(404);
      const touched = await send(`${other.controlUrl}/api/yotp/tess`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(touched.status).to.equal(303);
      expect(other.state().yubikeys.tess!.lastOtp).to.have.length(44).and.not.equal(yotp.otp);
      expect(((await send(`${other.controlUrl}/api/context/pete`)).json as any).context).to.deep.include({ assuranceLevel: { name: 'AL1' } });
      expect(((await send(`${other.controlUrl}/api/finalize/pete`)).json as any).finalize).to.equal(null);

      expect((await send(`${other.controlUrl}/api/push/rosa/approve`, { method: 'POST' })).json).to.deep.equal({ ok: true });
      expect((await send(`${other.controlUrl}/api/push/rosa/deny`, { method: 'POST' })).json).to.deep.equal({ ok: false });

      const switches = await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: JSON.stringify({ naming: 'legacy', retryCount: 2 }) });
      expect(switches.json).to.deep.include({ naming: 'legacy', retryCount: 2 });
      expect((await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: '{"retryCount":0}' })).status).to.equal(400);
      expect((await send(`${other.controlUrl}/api/switches`, { method: 'POST', body: '{"constructor":1}' })).status).to.equal(400);
      expect((await send(`${other.controlUrl}/api/faults`, { method: 'POST', body: JSON.stringify({ fault: { kind: 'hang' }, path: 'authn' }) })).json).to.deep.equal({ ok: true });
      expect(other.state().pendingFaults).to.deep.equal([{ fault: { kind: 'hang' }, path: 'authn', remaining: 1 }]);
      await send(`${other.controlUrl}/api/faults`, { method: 'DELETE' });
      expect(other.state().pendingFaults).to.deep.equal([]);
      await send(`${other.controlUrl}/api/expire-sessions`, { method: 'POST' });
      expect(other.state().sessions).to.deep.equal([]);
      await send(`${other.controlUrl}/api/unlock/olga`, { method: 'POST' });
      expect(other.requests.length).to.equal(requestCount);

      await send(`${other.controlUrl}/api/reset`, { method: 'POST' });
      expect(other.switches).to.deep.include({ naming: 'documented', retryCount: 10, latencyMs: 1 });
      expect(other.requests).to.deep.equal([]);
      expect(other.lastCode('pete')).to.equal(undefined);
      const refused = await send(`${other.controlUrl}/api/reset`, { method: 'POST', headers: { origin: 'http://evil.example' } });
      expect(refused.status).to.equal(403);
    } finally {
      await other.close();
    }
  });

  it('rejects invalid users, switches and options at start', async () => {
    const attempts: Array<Parameters<typeof OaaSimulator.start>[0]> = [
      { users: [{ username: 'x', factors: ['ChallengeKBA' as never] }] },
      { users: [{ username: 'x', factors: [] }, { username: 'X', factors: [] }] },
      { users: [{ username: 'x', factors: ['ChallengeOMATOTP'], totpSecret: 'short' }] },
      { users: [{ username: 'x', factors: ['ChallengeYOTP'], yubikey: { publicId: 'abc', privateId: '00', aesKey: '00' } }] },
      { users: [{ username: 'x', factors: ['ChallengeSMS'], phoneNumber: '555' }] },
      { switches: { retryCount: 0 } },
      { switches: { naming: 'other' as never } },
      { switches: { statusStyle: 'lower' as never } },
      { switches: { omitStatusOn: ['Poll' as never] } },
      { assuranceLevels: [] },
      { clientSecret: '' },
      { apiUsername: 'a:b' },
    ];
    for (const options of attempts) {
      let error: unknown;
      try {
        await (await OaaSimulator.start(options)).close();
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).to.be.instanceOf(TypeError);
    }
  });
});
