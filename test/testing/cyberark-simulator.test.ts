import { expect } from 'chai';
import { request } from 'undici';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { type Reply as SimReply, send, wrongCode } from './support.js';

/** The parts of the envelope the tests read; `Result` varies by endpoint. */
interface Envelope {
  success: boolean;
  // Result shapes differ per endpoint and summary; the assertions check them field by field.
  Result: any;
  Message: string | null;
  ErrorID: string | null;
  [key: string]: unknown;
}

type Reply = SimReply<Envelope>;

const GENERIC = 'Authentication (login or challenge) has failed. Please try again or contact your system administrator.';
const ENVELOPE_KEYS = ['success', 'Result', 'Message', 'MessageID', 'Exception', 'ErrorID', 'ErrorCode', 'IsSoftError', 'InnerExceptions'];

/** A tiny client with its own cookie jar (one per login, as the strategy should do). */
class Client {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly base: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const reply = await send<Envelope>(this.base + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-idap-native-client': 'true',
        ...(cookie ? { cookie } : {}),
        ...this.extraHeaders,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    this.store(reply.headers['set-cookie']);
    return reply;
  }

  start(user: string): Promise<Reply> {
    return this.post('/Security/StartAuthentication', { TenantId: 'ABC1234', User: user, Version: '1.0' });
  }

  advance(sessionId: string, mechanismId: string, action: string, answer?: unknown): Promise<Reply> {
    const body = { TenantId: 'ABC1234', SessionId: sessionId, MechanismId: mechanismId, Action: action, PersistentLogin: false };
    return this.post('/Security/AdvanceAuthentication', answer === undefined ? body : { ...body, Answer: answer });
  }

  private store(header: string | string[] | undefined): void {
    for (const line of Array.isArray(header) ? header : header ? [header] : []) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value) this.cookies.set(pair.slice(0, eq), value);
      else this.cookies.delete(pair.slice(0, eq));
    }
  }
}

/** A started login: the session id and a lookup of mechanism ids by (challenge, name). */
async function begin(client: Client, user: string): Promise<{ sessionId: string; mech: (i: number, name: string) => string; result: Envelope['Result'] }> {
  const reply = await client.start(user);
  expect(reply.json.success, reply.text).to.equal(true);
  const result = reply.json.Result;
  const mech = (i: number, name: string): string => {
    const found = result.Challenges[i].Mechanisms.find((m: { Name: string }) => m.Name === name);
    expect(found, `${name} in challenge ${i}`).to.exist;
    return found.MechanismId as string;
  };
  return { sessionId: result.SessionId as string, mech, result };
}

function expectFailure(reply: Reply, summary = 'Failure'): void {
  expect(reply.status).to.equal(200);
  expect(reply.json.success).to.equal(false);
  expect(reply.json.Result).to.deep.equal({ Summary: summary });
  expect(reply.json.Message).to.equal(GENERIC);
  expect(reply.json.ErrorID).to.match(/^[0-9a-f-]{36}:[0-9a-f]{32}$/);
}

describe('CyberArkSimulator', () => {
  let sim: CyberArkSimulator;
  let client: Client;

  before(async () => {
    sim = await CyberArkSimulator.start();
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.reset();
    client = new Client(sim.url);
  });

  it('T1: password only, logging in by e-mail, ends in LoginSuccess with .ASPXAUTH', async () => {
    const legacy = new Client(sim.url, { 'x-centrify-native-client': 'Yes' });
    const start = await legacy.start('alice@example.com');
    expect(Object.keys(start.json)).to.deep.equal(ENVELOPE_KEYS);
    expect(start.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(start.json.Result).to.include({ Summary: 'NewPackage', TenantId: 'ABC1234', RetryWaitingTime: 0 });
    expect(start.json.Result.SessionId).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(legacy.cookies.get('sessdata')).to.be.a('string');
    const [up] = start.json.Result.Challenges[0].Mechanisms;
    expect(up).to.include({ AnswerType: 'Text', Name: 'UP', PromptMechChosen: 'Enter Password', Enrolled: true });

    const done = await legacy.advance(start.json.Result.SessionId, up.MechanismId, 'Answer', 'alice-pw');
    const r = done.json.Result;
    expect(r).to.include({ Summary: 'LoginSuccess', DisplayName: 'Alice Anderson', User: 'alice', UserDirectory: 'CDS' });
    expect(r).to.include({ CustomerID: 'ABC1234', SystemID: 'ABC1234', EmailAddress: 'alice@example.com' });
    expect(r.PodFqdn).to.equal(`127.0.0.1:${sim.port}`);
    expect(r.Auth).to.equal(legacy.cookies.get('.ASPXAUTH'));
    expect(r.Token.split('.')).to.have.length(3);
    expect(r.UserId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sim.activeTokens()).to.equal(1);
  });

  it('T2: password then SMS code; a second StartOOB re-sends a new code', async () => {
    const { sessionId, mech, result } = await begin(client, 'bob');
    expect(result.Challenges[1].Mechanisms[0]).to.include({ AnswerType: 'StartTextOob', PartialDeviceAddress: '6098' });
    expect((await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'bob-pw')).json.Result).to.deep.equal({ Summary: 'StartNextChallenge' });
    expect((await client.advance(sessionId, mech(1, 'SMS'), 'StartOOB')).json.Result).to.deep.equal({ Summary: 'OobPending' });
    const first = sim.lastCode('bob', 'SMS');
    expect(first).to.match(/^\d{6}$/);
    await client.advance(sessionId, mech(1, 'SMS'), 'RetryOOB');
    const second = sim.lastCode('bob');
    expect(second).to.match(/^\d{6}$/);
    const done = await client.advance(sessionId, mech(1, 'SMS'), 'Answer', second);
    expect(done.json.Result.Summary).to.equal('LoginSuccess');
  });

  it('T3: mobile push with number matching, polled until approved; denial fails the next poll', async () => {
    sim.switches.generatedAuthValue = true;
    const { sessionId, mech } = await begin(client, 'carol');
    await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'carol-pw');
    const started = await client.advance(sessionId, mech(1, 'OTP'), 'StartOOB');
    expect(started.json.Result.Summary).to.equal('OobPending');
    expect(started.json.Result.GeneratedAuthValue).to.match(/^\d{2}$/);
    expect((await client.advance(sessionId, mech(1, 'OTP'), 'Poll')).json.Result.Summary).to.equal('OobPending');
    expect(sim.pendingPushes()).to.deep.equal(['carol']);
    expect(sim.approvePush('carol')).to.equal(true);
    expect((await client.advance(sessionId, mech(1, 'OTP'), 'Poll')).json.Result.Summary).to.equal('LoginSuccess');
    expect(sim.pendingPushes()).to.deep.equal([]);

    // A new jar: the old one holds .ASPXAUTH, which would make Start succeed at once (T11).
    const next = new Client(sim.url);
    const again = await begin(next, 'carol');
    await next.advance(again.sessionId, again.mech(0, 'UP'), 'Answer', 'carol-pw');
    await next.advance(again.sessionId, again.mech(1, 'OTP'), 'StartOOB');
    expect(sim.denyPush('carol')).to.equal(true);
    expectFailure(await next.advance(again.sessionId, again.mech(1, 'OTP'), 'Poll'));
  });

  it('auto-approves a push after N pending polls', async () => {
    sim.switches.autoApprovePushAfterPolls = 2;
    const { sessionId, mech } = await begin(client, 'carol');
    await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'carol-pw');
    await client.advance(sessionId, mech(1, 'OTP'), 'StartOOB');
    const summaries: string[] = [];
    for (let i = 0; i < 3; i++) summaries.push((await client.advance(sessionId, mech(1, 'OTP'), 'Poll')).json.Result.Summary);
    expect(summaries).to.deep.equal(['OobPending', 'OobPending', 'LoginSuccess']);
  });

  it('T4: security questions answered with an object keyed by Uuid', async () => {
    const { sessionId, mech, result } = await begin(client, 'dave');
    const sq = result.Challenges[1].Mechanisms.find((m: { Name: string }) => m.Name === 'SQ');
    const parts = sq.MultipartMechanism.MechanismParts as Array<{ Uuid: string; QuestionText: string }>;
    expect(parts.map((p) => p.QuestionText)).to.deep.equal(['What was the name of your first pet?', 'In which town were you born?']);
    // Like the captured tenant (conjur start_auth_sq): the first question is also named at the top.
    expect(sq).to.include({ Question: 'What was the name of your first pet?', PromptMechChosen: "Answer security question 'What was the name of your first pet?':" });
    await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'dave-pw');
    const answer = { [parts[0]!.Uuid]: 'rex', [parts[1]!.Uuid]: 'Leeds' };
    expect((await client.advance(sessionId, mech(1, 'SQ'), 'Answer', answer)).json.Result.Summary).to.equal('LoginSuccess');
  });

  it('T5: a wrong password fails with the generic body and kills the session', async () => {
    const { sessionId, mech } = await begin(client, 'alice');
    expectFailure(await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'wrong'));
    expectFailure(await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'alice-pw'));
    const retry = await begin(client, 'alice');
    expect((await client.advance(retry.sessionId, retry.mech(0, 'UP'), 'Answer', 'alice-pw')).json.Result.Summary).to.equal('LoginSuccess');
  });

  it('T5b: with hideFailures a wrong password continues and fails after the last challenge', async () => {
    sim.switches.hideFailures = true;
    const { sessionId, mech } = await begin(client, 'bob');
    expect((await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'wrong')).json.Result.Summary).to.equal('StartNextChallenge');
    await client.advance(sessionId, mech(1, 'SMS'), 'StartOOB');
    expectFailure(await client.advance(sessionId, mech(1, 'SMS'), 'Answer', sim.lastCode('bob')));
  });

  it('T7: MultipleOperations runs in order and answers for the last one with ResultAppliesTo', async () => {
    const { sessionId, mech } = await begin(client, 'dave');
    const multi = await client.post('/Security/AdvanceAuthentication', {
      SessionId: sessionId,
      TenantId: 'ABC1234',
      PersistentLogin: false,
      MultipleOperations: [
        { MechanismId: mech(0, 'UP'), Action: 'Answer', Answer: 'dave-pw' },
        { MechanismId: mech(1, 'EMAIL'), Action: 'StartOOB' },
      ],
    });
    expect(multi.json.Result).to.deep.equal({ ResultAppliesTo: mech(1, 'EMAIL'), Summary: 'OobPending' });
    const done = await client.advance(sessionId, mech(1, 'EMAIL'), 'Answer', sim.lastCode('dave', 'EMAIL'));
    expect(done.json.Result.Summary).to.equal('LoginSuccess');
  });

  it('T8/T9: expired sessions, decoy package for unknown users, Undefined for an empty user', async () => {
    const { sessionId, mech } = await begin(client, 'alice');
    sim.expireSessions();
    expectFailure(await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'alice-pw'));

    const decoy = await begin(client, 'nobody@example.com');
    expect(decoy.result.Challenges).to.have.length(1);
    expectFailure(await client.advance(decoy.sessionId, decoy.mech(0, 'UP'), 'Answer', 'anything'));
    expectFailure(await client.start(''), 'Undefined');
    sim.switches.decoyUnknownUsers = false;
    expect((await client.start('nobody')).json.success).to.equal(false);
  });

  it('T10: expired password gives a mid-flow RESET package; a short password is refused', async () => {
    const { sessionId, mech } = await begin(client, 'frank');
    const pkg = await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'frank-pw');
    expect(pkg.json.Result.Summary).to.equal('NewPackage');
    expect(pkg.json.Result.EventDescription).to.be.a('string');
    const reset = pkg.json.Result.Challenges[0].Mechanisms[0];
    expect(reset).to.include({ Name: 'RESET', AnswerType: 'Text' });
    const refused = await client.advance(sessionId, reset.MechanismId, 'Answer', 'short');
    expect(refused.json.success).to.equal(false);
    expect(refused.json.Message).to.match(/8 characters/);
    const done = await client.advance(sessionId, reset.MechanismId, 'Answer', 'N3w-password!');
    expect(done.json.Result.Summary).to.equal('LoginSuccess');
  });

  it('T11: a valid .ASPXAUTH cookie makes Start succeed at once; Logout revokes the token', async () => {
    const { sessionId, mech } = await begin(client, 'alice');
    const login = await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'alice-pw');
    const again = await client.start('alice');
    expect(again.json.Result).to.include({ Summary: 'LoginSuccess', Auth: login.json.Result.Auth });

    const bearer = { authorization: `Bearer ${login.json.Result.Token}` };
    const fresh = new Client(sim.url);
    expect((await fresh.post('/Security/WhoAmI', {}, bearer)).json.Result).to.include({ User: 'alice', TenantId: 'ABC1234' });
    expect((await fresh.post('/Security/Logout', {}, bearer)).json).to.include({ success: true, Result: null });
    expect(sim.activeTokens()).to.equal(0);
    expect((await fresh.post('/Security/WhoAmI', {}, bearer)).json.success).to.equal(false);
  });

  describe('T12: federated users (OobIdPAuth)', () => {
    const IDP_KEYS = ['IdpRedirectUrl', 'IdpRedirectShortUrl', 'IdpShortUrlId', 'SessionId', 'IdpOobAuthPinRequired', 'IdpLoginSessionId', 'TenantId'];
    const startFederated = (c: Client, user: string, header = true): Promise<Reply> =>
      c.post('/Security/StartAuthentication', { User: user, Version: '1.0' }, header ? { OobIdPAuth: 'true' } : {});
    const oobStatus = (c: Client, sessionId: string): Promise<Reply> => c.post('/Security/OobAuthStatus', { SessionId: sessionId });
    const getText = async (url: string): Promise<{ status: number; text: string }> => {
      const res = await request(url);
      return { status: res.statusCode, text: await res.body.text() };
    };

    it('hank (PIN): Start with the header, IdP login, PIN via lastCode, OOBAUTHPIN → LoginSuccess; WhoAmI knows hank', async () => {
      const start = await startFederated(client, 'hank');
      expect(Object.keys(start.json)).to.deep.equal(ENVELOPE_KEYS);
      const r = start.json.Result;
      expect(Object.keys(r)).to.deep.equal(IDP_KEYS);
      expect(r).to.include({ IdpOobAuthPinRequired: true, TenantId: 'ABC1234' });
      expect(r.IdpRedirectShortUrl).to.equal(`${sim.url}/_sim/idp/${r.IdpShortUrlId}`);
      expect(r.IdpLoginSessionId).to.be.a('string').with.length.above(16).and.not.equal(r.SessionId);
      expect(client.cookies.get('sessdata')).to.be.a('string');
      expect(sim.requests[0]!.headers.oobidpauth).to.equal('true');

      const before = await getText(r.IdpRedirectShortUrl);
      expect(before.status).to.equal(200);
      expect(before.text).to.include('Sign in at Example IdP as hank').and.include('<button');
      expect(sim.pendingIdpLogins()).to.deep.equal(['hank']);
      // The PIN user never gets Success from the poll: the PIN finishes the login.
      expect((await oobStatus(client, r.IdpLoginSessionId)).json.Result).to.deep.equal({ State: 'Pending' });

      expect(sim.completeIdpLogin('hank')).to.equal(true);
      expect(sim.pendingIdpLogins()).to.deep.equal([]);
      const pin = sim.lastCode('hank');
      expect(pin).to.match(/^\d{6}$/);
      expect(sim.lastCode('hank', 'OOBAUTHPIN')).to.equal(pin);
      expect((await getText(r.IdpRedirectShortUrl)).text).to.include(pin);
      const codeRes = await request(`${sim.controlUrl}/api/code/hank`);
      expect(await codeRes.body.json()).to.deep.equal({ username: 'hank', code: pin, byMechanism: { OOBAUTHPIN: pin } });
      expect((await oobStatus(client, r.IdpLoginSessionId)).json.Result).to.deep.equal({ State: 'Pending' });

      const done = await client.advance(r.IdpLoginSessionId, 'OOBAUTHPIN', 'Answer', pin);
      expect(done.json.success).to.equal(true);
      // Like the captured fixture: no User / UserId in this result.
      expect(Object.keys(done.json.Result)).to.deep.equal(['DisplayName', 'Token', 'Auth', 'Summary']);
      expect(done.json.Result).to.include({ DisplayName: 'Hank Harris', Summary: 'LoginSuccess' });
      expect(done.json.Result.Token.split('.')).to.have.length(3);
      expect(done.json.Result.Auth).to.equal(client.cookies.get('.ASPXAUTH'));
      expect(sim.activeTokens()).to.equal(1);

      const fresh = new Client(sim.url);
      const who = await fresh.post('/Security/WhoAmI', {}, { authorization: `Bearer ${done.json.Result.Token}` });
      expect(who.json.success).to.equal(true);
      expect(who.json.Result).to.include({ User: 'hank', TenantId: 'ABC1234' });
      expect(who.json.Result.UserId).to.match(/^[0-9a-f]{8}-/);
      // The Idp session is used up.
      expectFailure(await client.advance(r.IdpLoginSessionId, 'OOBAUTHPIN', 'Answer', pin));
    });

    it('hank: a PIN before the IdP login, or a wrong PIN, fails and ends the Idp session', async () => {
      const early = (await startFederated(client, 'hank')).json.Result;
      expectFailure(await client.advance(early.IdpLoginSessionId, 'OOBAUTHPIN', 'Answer', '123456'));
      expect(sim.completeIdpLogin('hank')).to.equal(false);

      const c2 = new Client(sim.url);
      const r = (await startFederated(c2, 'hank')).json.Result;
      // The button of the fake IdP page: a form post to the page itself, which then shows the PIN.
      const posted = await request(r.IdpRedirectShortUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      const html = await posted.body.text();
      const pin = sim.lastCode('hank')!;
      expect(posted.statusCode).to.equal(200);
      expect(html).to.include(pin);
      expect(sim.idpLogin(r.IdpShortUrlId)).to.include({ username: 'hank', state: 'completed', pin });
      expectFailure(await c2.advance(r.IdpLoginSessionId, 'OOBAUTHPIN', 'Answer', wrongCode(pin)));
      expectFailure(await c2.advance(r.IdpLoginSessionId, 'OOBAUTHPIN', 'Answer', pin));
      expect(sim.activeTokens()).to.equal(0);
    });

    it('ivy (no PIN): OobAuthStatus Pending → IdP login → Success with a live token', async () => {
      const start = await startFederated(client, 'ivy@example.com');
      const r = start.json.Result;
      expect(Object.keys(r)).to.deep.equal(IDP_KEYS);
      expect(r.IdpOobAuthPinRequired).to.equal(false);
      const pending = await oobStatus(client, r.IdpLoginSessionId);
      expect(Object.keys(pending.json)).to.deep.equal(ENVELOPE_KEYS);
      expect(pending.json).to.include({ success: true });
      expect(pending.json.Result).to.deep.equal({ State: 'Pending' });

      const control = new Client(sim.controlUrl);
      expect((await control.post('/api/idp/ivy/complete', {})).json).to.deep.equal({ ok: true, pin: null });
      expect(sim.lastCode('ivy')).to.equal(undefined);

      const success = await oobStatus(client, r.IdpLoginSessionId);
      expect(success.json.success).to.equal(true);
      const s = success.json.Result;
      // Exactly the captured fields (conjur-cli-go oob_status_success): the user comes from WhoAmI.
      expect(Object.keys(s)).to.have.members(['State', 'TokenLifetime', 'Token']);
      expect(s).to.include({ State: 'Success', TokenLifetime: 900 });
      expect(s.Token.split('.')).to.have.length(3);
      const auth = client.cookies.get('.ASPXAUTH');
      expect(auth).to.be.a('string');

      // The .ASPXAUTH cookie works like a LoginSuccess one: WhoAmI by cookie, Logout by Bearer Auth.
      const who = await client.post('/Security/WhoAmI', {});
      expect(who.json.Result).to.include({ User: 'ivy', TenantId: 'ABC1234' });
      expect(who.json.Result.UserId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      const fresh = new Client(sim.url);
      expect((await fresh.post('/Security/Logout', {}, { authorization: `Bearer ${auth}` })).json.success).to.equal(true);
      expect((await fresh.post('/Security/WhoAmI', {}, { authorization: `Bearer ${s.Token}` })).json.success).to.equal(false);

      // Used up, unknown, denied and expired Idp sessions all fail the same way.
      const failed = (reply: Reply): void => {
        expect(reply.json).to.include({ success: false, Message: GENERIC, ErrorID: null }); // as captured: no ErrorID here
        expect(reply.json.Result).to.deep.equal({ State: 'failed' });
      };
      failed(await oobStatus(client, r.IdpLoginSessionId));
      failed(await oobStatus(new Client(sim.url), 'no-such-session'));
      const c2 = new Client(sim.url);
      const denied = (await startFederated(c2, 'ivy')).json.Result;
      expect(sim.denyIdpLogin('ivy')).to.equal(true);
      failed(await oobStatus(c2, denied.IdpLoginSessionId));
      const c3 = new Client(sim.url);
      const expired = (await startFederated(c3, 'ivy')).json.Result;
      sim.expireSessions();
      failed(await oobStatus(c3, expired.IdpLoginSessionId));
      // Each client sent the sessdata cookie of its own federated login only.
      expect(sim.cookieViolations).to.deep.equal([]);
    });

    it('without the OobIdPAuth header a federated user gets only IdpRedirectUrl (browser-only)', async () => {
      const start = await startFederated(client, 'hank', false);
      expect(start.json.success).to.equal(true);
      const r = start.json.Result;
      expect(Object.keys(r)).to.deep.equal(['IdpRedirectUrl', 'SessionId', 'TenantId']);
      expect(r.IdpRedirectUrl).to.match(new RegExp(`^${sim.url}/_sim/idp/[A-Za-z0-9_-]+$`));
      expect(sim.requests[0]!.headers.oobidpauth).to.equal(undefined);
      expect(sim.pendingIdpLogins()).to.deep.equal([]);
      expect(sim.completeIdpLogin('hank')).to.equal(false);
      expect((await getText(r.IdpRedirectUrl)).text).to.include('Sign in at Example IdP as hank');
      // A header value other than "true" is no OobIdPAuth either.
      const other = await client.post('/Security/StartAuthentication', { User: 'ivy', Version: '1.0' }, { OobIdPAuth: 'false' });
      expect(Object.keys(other.json.Result)).to.deep.equal(['IdpRedirectUrl', 'SessionId', 'TenantId']);
      // Unknown fake IdP pages answer 404.
      expect((await getText(`${sim.controlUrl}/idp/nope`)).status).to.equal(404);
    });

    it('shows open federated logins on the control page with a Complete button, then the PIN', async () => {
      const r = (await startFederated(client, 'hank')).json.Result;
      const page1 = (await getText(sim.controlUrl)).text;
      expect(page1).to.include('Complete IdP login').and.include('/_sim/api/idp/hank/complete');
      expect(page1).to.include(`/_sim/idp/${r.IdpShortUrlId}`);
      const pressed = await request(`${sim.controlUrl}/api/idp/hank/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      await pressed.body.dump();
      expect(pressed.statusCode).to.equal(303);
      const pin = sim.lastCode('hank')!;
      const page2 = (await getText(sim.controlUrl)).text;
      expect(page2).to.include(pin).and.not.include('/_sim/api/idp/hank/complete');
      expect(sim.state().idpLogins).to.have.length(1);
      expect(sim.state().idpLogins[0]).to.include({ username: 'hank', api: true, pinRequired: true, state: 'completed', pin });
      expect(sim.state().users.find((u) => u.username === 'hank')!.federated).to.deep.equal({ pinRequired: true });
    });
  });

  it('T6: redirects to the pod named for the request Host', async () => {
    sim.switches.podRedirects = { 'pod0.sim.test': 'tenant.sim.test' };
    const pod = new Client(sim.url, { host: `pod0.sim.test:${sim.port}` });
    const redirect = await pod.start('alice');
    expect(redirect.json.success).to.equal(true);
    expect(redirect.json.Result).to.deep.equal({ PodFqdn: 'tenant.sim.test' });
    expect((await client.start('alice')).json.Result.Summary).to.equal('NewPackage');
  });

  it("flags and fails a request that carries another login's sessdata cookie", async () => {
    const alice = await begin(client, 'alice');
    const other = new Client(sim.url);
    await begin(other, 'bob');
    client.cookies.set('sessdata', other.cookies.get('sessdata')!);
    expectFailure(await client.advance(alice.sessionId, alice.mech(0, 'UP'), 'Answer', 'alice-pw'));
    expect(sim.cookieViolations).to.have.length(1);
    expect(sim.cookieViolations[0]).to.match(/alice.*bob/);

    const jarless = new Client(sim.url);
    const carol = await begin(jarless, 'alice');
    jarless.cookies.clear();
    expect((await jarless.advance(carol.sessionId, carol.mech(0, 'UP'), 'Answer', 'alice-pw')).json.Result.Summary).to.equal('LoginSuccess');
  });

  it('injects transport faults on the matching path only, for the given number of requests', async () => {
    sim.injectFault({ kind: 'status', status: 503 }, { path: '/Security/AdvanceAuthentication' });
    sim.injectFault({ kind: 'status', status: 503 }, { path: 'StartAuthentication' });
    const outage = await client.start('alice');
    expect(outage.status).to.equal(503);
    expect(outage.headers['content-type']).to.match(/^text\/html/);
    expect((await client.start('alice')).status).to.equal(200);
    sim.clearFaults();

    sim.injectFault({ kind: 'oversized', bytes: 100_000 });
    const big = await client.start('alice');
    expect(big.text.length).to.be.within(99_000, 101_000);
    expect(big.json.Result.Summary).to.equal('OobPending');

    sim.injectFault({ kind: 'truncated' });
    const cut = await client.start('alice');
    expect(cut.status).to.equal(200);
    expect(cut.headers['content-type']).to.match(/^application\/json/);
    expect(() => JSON.parse(cut.text)).to.throw(SyntaxError);
    expect(cut.text).to.match(/^\{"success":true/);
    let error: unknown;

    sim.injectFault({ kind: 'reset' });
    error = undefined;
    await client.start('alice').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error);

    sim.injectFault({ kind: 'hang' });
    error = undefined;
    const signal = AbortSignal.timeout(150);
    await request(`${sim.url}/Security/StartAuthentication`, { method: 'POST', body: '{}', signal }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error);

    sim.injectFault({ kind: 'slowBody', delayMs: 120 });
    const t0 = Date.now();
    expect((await client.start('alice')).json.Result.Summary).to.equal('NewPackage');
    expect(Date.now() - t0).to.be.at.least(100);
  });

  it('serves an HTML 404 for unknown paths and routes case-insensitively with a trailing slash', async () => {
    const missing = await client.post('/Security/NoSuchThing', {});
    expect(missing.status).to.equal(404);
    expect(missing.headers['content-type']).to.match(/^text\/html/);
    expect(missing.text).to.include('404 - File or directory not found.');
    const lower = await client.post('/security/startauthentication/', { User: 'alice', Version: '1.0', Unknown: 1 });
    expect(lower.json.Result.Summary).to.equal('NewPackage');
    expect(sim.requests.map((r) => r.path)).to.deep.equal(['/Security/NoSuchThing', '/security/startauthentication/']);
  });

  it('answers malformed JSON with a failure envelope and oversized bodies with HTML 413', async () => {
    const bad = await client.post('/Security/StartAuthentication', '{"User": ');
    expect(bad.status).to.equal(200);
    expect(bad.json.success).to.equal(false);
    const huge = await client.post('/Security/StartAuthentication', JSON.stringify({ User: 'x'.repeat(70_000) }));
    expect(huge.status).to.equal(413);
    expect((await client.start('alice')).json.success).to.equal(true);
  });

  it('locks a user out after N failed logins until unlock()', async () => {
    sim.switches.lockoutAfterFailures = 2;
    for (let i = 0; i < 2; i++) {
      const s = await begin(client, 'alice');
      await client.advance(s.sessionId, s.mech(0, 'UP'), 'Answer', 'wrong');
    }
    const locked = await begin(client, 'alice');
    expect(locked.result.RetryWaitingTime).to.equal(30);
    expectFailure(await client.advance(locked.sessionId, locked.mech(0, 'UP'), 'Answer', 'alice-pw'));
    sim.unlock('alice');
    const open = await begin(client, 'alice');
    expect((await client.advance(open.sessionId, open.mech(0, 'UP'), 'Answer', 'alice-pw')).json.Result.Summary).to.equal('LoginSuccess');
  });

  it('phone call first (grace), OATH code (erin), old-style Text SMS and noncommittal success', async () => {
    const grace = await begin(client, 'grace');
    await client.advance(grace.sessionId, grace.mech(0, 'PF'), 'StartOOB');
    expect((await client.advance(grace.sessionId, grace.mech(0, 'PF'), 'Poll')).json.Result.Summary).to.equal('OobPending');
    sim.approvePush('grace');
    expect((await client.advance(grace.sessionId, grace.mech(0, 'PF'), 'Poll')).json.Result.Summary).to.equal('StartNextChallenge');
    expect((await client.advance(grace.sessionId, grace.mech(1, 'UP'), 'Answer', 'grace-pw')).json.Result.Summary).to.equal('LoginSuccess');

    const c2 = new Client(sim.url);
    const erin = await begin(c2, 'erin');
    await c2.advance(erin.sessionId, erin.mech(0, 'UP'), 'Answer', 'erin-pw');
    expect((await c2.advance(erin.sessionId, erin.mech(1, 'OATH'), 'Answer', '123456')).json.Result.Summary).to.equal('LoginSuccess');

    sim.switches.oobAnswerType = 'Text';
    sim.switches.noncommittal = true;
    const c3 = new Client(sim.url);
    const bob = await begin(c3, 'bob');
    expect(bob.result.Challenges[1].Mechanisms[0].AnswerType).to.equal('Text');
    await c3.advance(bob.sessionId, bob.mech(0, 'UP'), 'Answer', 'bob-pw');
    // Old style: the code went out when the SMS challenge became current; no StartOOB needed.
    const done = await c3.advance(bob.sessionId, bob.mech(1, 'SMS'), 'Answer', sim.lastCode('bob', 'SMS'));
    expect(done.json.Result.Summary).to.equal('NoncommitalSuccess');
    expect(done.json.Result.ClientMessage).to.be.a('string');
    expect(sim.activeTokens()).to.equal(2);
  });

  it('CleanupAuthentication ends the session', async () => {
    const { sessionId, mech } = await begin(client, 'alice');
    const cleanup = await client.post('/Security/CleanupAuthentication', { TenantId: 'ABC1234', SessionId: sessionId });
    expect(cleanup.json).to.include({ success: true, Result: null });
    expectFailure(await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'alice-pw'));
  });

  it('offers an HTML control page and a JSON control API that are not recorded', async () => {
    const page = await request(sim.controlUrl);
    const html = await page.body.text();
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(html).to.include('alice-pw').and.include('http-equiv="refresh"');

    const { sessionId, mech } = await begin(client, 'carol');
    await client.advance(sessionId, mech(0, 'UP'), 'Answer', 'carol-pw');
    await client.advance(sessionId, mech(1, 'OTP'), 'StartOOB');
    const control = new Client(sim.controlUrl);
    const stateRes = await request(`${sim.controlUrl}/api/state`);
    const snapshot = (await stateRes.body.json()) as { pendingPushes: Array<{ username: string }> };
    expect(snapshot.pendingPushes.map((p) => p.username)).to.deep.equal(['carol']);
    expect((await control.post('/api/push/carol/approve', {})).json).to.deep.equal({ ok: true });
    expect((await client.advance(sessionId, mech(1, 'OTP'), 'Poll')).json.Result.Summary).to.equal('LoginSuccess');

    expect((await control.post('/api/switches', { latencyMs: 5 })).status).to.equal(200);
    expect(sim.switches.latencyMs).to.equal(5);
    expect((await control.post('/api/switches', { nope: true })).status).to.equal(400);
    await control.post('/api/faults', { fault: { kind: 'html' }, path: 'StartAuthentication' });
    expect((await client.start('alice')).text).to.include('<title>Sign In</title>');
    expect(sim.requests.every((r) => !r.path.includes('_sim'))).to.equal(true);
  });

  it('serves the API under a base path', async () => {
    const delinea = await CyberArkSimulator.start({ basePath: '/identity', tenantId: 'DEL0001' });
    try {
      expect(delinea.url).to.match(/\/identity$/);
      const c = new Client(delinea.url);
      expect((await c.start('alice')).json.Result.TenantId).to.equal('DEL0001');
      const root = new Client(delinea.url.replace(/\/identity$/, ''));
      expect((await root.start('alice')).status).to.equal(404);
      const fed = await c.post('/Security/StartAuthentication', { User: 'hank', Version: '1.0' }, { OobIdPAuth: 'true' });
      expect(fed.json.Result.IdpRedirectShortUrl).to.equal(`${delinea.url}/_sim/idp/${fed.json.Result.IdpShortUrlId}`);
      const idpPage = await request(fed.json.Result.IdpRedirectShortUrl);
      expect(await idpPage.body.text()).to.include('Sign in at Example IdP as hank');
    } finally {
      await delinea.close();
    }
  });
});
