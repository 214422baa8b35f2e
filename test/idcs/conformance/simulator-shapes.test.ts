/**
 * The built-in IDCS simulator against Oracle's examples: each scenario drives the simulator
 * with raw HTTP, as Oracle's own client would (client-credentials token, GET, POSTs), to the
 * state an example shows, and compares the answer's shape with the example (shape.ts): keys
 * (recursively), value types, HTTP status, status value, cause codes, nextOp, and the
 * presence/absence of nextOp/nextAuthFactors. Opaque values may differ.
 *
 * Demo users: ann password only; ben TOTP + backups EMAIL, BYPASSCODE, SECURITY_QUESTIONS;
 * cora SMS; dan PUSH (+ EMAIL); eve security questions; fay EMAIL; gus enrollment required;
 * hal enrollment optional; ida terms of use; jo locked; kim password expired; lea SMS + trusted
 * devices. Passwords `<name>-pw`.
 */
import { expect } from 'chai';
import { request } from 'undici';
import type { IdcsSimulator, IdcsSimUser, IdcsSwitches } from '../../../lib/testing/index.js';
import { example, type Json, type JsonObject } from './oracle-examples.js';
import { compareWithExample, FACTOR_SECTIONS, type ActualResponse, type ShapeOptions } from './shape.js';

type Testing = typeof import('../../../lib/testing/index.js');
const SCOPE = 'urn:opc:idm:__myscopes__';

interface Reply extends ActualResponse {
  body: any;
  text: string;
}

/** Oracle's client, by hand: Basic-authenticated token requests, Bearer authenticate calls, the latest requestState. */
class RawIdcs {
  appToken = '';
  requestState: string | undefined;

  constructor(private readonly sim: IdcsSimulator) {}

  async send(method: 'GET' | 'POST', path: string, options: { json?: JsonObject; form?: Record<string, string>; authorization?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.authorization) headers.authorization = options.authorization;
    let body: string | undefined;
    if (options.json) { headers['content-type'] = 'application/json'; body = JSON.stringify(options.json); }
    if (options.form) { headers['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(options.form).toString(); }
    const res = await request(`${this.sim.url}${path}`, { method, headers, body });
    const text = await res.body.text();
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { parsed = text; }
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: parsed, text };
  }

  private basic(): string {
    return `Basic ${Buffer.from(`${this.sim.clientId}:${this.sim.clientSecret}`).toString('base64')}`;
  }

  async token(): Promise<Reply> {
    const res = await this.send('POST', '/oauth2/v1/token', { authorization: this.basic(), form: { grant_type: 'client_credentials', scope: SCOPE } });
    this.appToken = res.body?.access_token;
    return res;
  }

  async start(): Promise<Reply> {
    if (!this.appToken) await this.token();
    const res = await this.send('GET', `/sso/v1/sdk/authenticate?appName=${encodeURIComponent(this.sim.appName)}`, { authorization: `Bearer ${this.appToken}` });
    this.requestState = res.body?.requestState;
    return res;
  }

  /** A POST with the current requestState. Only answers that carry a step (success, pending, or a failure with nextOp) replace it. */
  async post(body: JsonObject, requestState = this.requestState): Promise<Reply> {
    const res = await this.send('POST', '/sso/v1/sdk/authenticate', { authorization: `Bearer ${this.appToken}`, json: { ...body, ...(requestState === undefined ? {} : { requestState }) } });
    if (typeof res.body?.requestState === 'string' && (res.body.status !== 'failed' || Array.isArray(res.body.nextOp))) this.requestState = res.body.requestState;
    return res;
  }

  async password(username: string, password = `${username}-pw`): Promise<Reply> {
    if (this.requestState === undefined) await this.start();
    return this.post({ op: 'credSubmit', credentials: { username, password } });
  }

  async userToken(assertion: string): Promise<Reply> {
    return this.send('POST', '/oauth2/v1/token', { authorization: this.basic(), form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope: SCOPE, assertion } });
  }

  async me(userToken: string): Promise<Reply> {
    return this.send('GET', '/admin/v1/Me', { authorization: `Bearer ${userToken}` });
  }
}

function expectLike(id: string, res: Reply, options: ShapeOptions = {}): void {
  const diffs = compareWithExample(example(id), res, options);
  expect(diffs, `simulator vs Oracle's "${id}" (${example(id).source})\nsimulator answered ${res.status}: ${res.text.slice(0, 1500)}`).to.deep.equal([]);
}

/** A list of factors (backup factors, a failure listing every factor): sections depend on the user. */
const list: ShapeOptions = { sections: FACTOR_SECTIONS, exactCredentials: false, optional: ['preferred'] };
/** The catalogue-built (unverified) error bodies: whether a requestState comes with them is a guess. */
const catalogue: ShapeOptions = { optional: ['requestState'] };
const enrolledDevice = (res: Reply, factor: string): string => (res.body?.[factor]?.enrolledDevices?.[0]?.deviceId as string | undefined) ?? '';

describe('IDCS conformance: the simulator answers in the shapes of Oracle\'s examples', () => {
  let T: Testing;
  let sim: IdcsSimulator;
  let raw: RawIdcs;
  let users: IdcsSimUser[];
  const user = (name: string) => users.find((u) => u.username === name)!;
  const otherCode = (code: string | undefined) => (code === '000000' ? '111111' : '000000');

  before(async () => {
    T = await import('../../../lib/testing/index.js');
    users = T.idcsDemoUsers;
    sim = await T.IdcsSimulator.start();
  });
  beforeEach(() => {
    sim.reset();
    raw = new RawIdcs(sim);
  });
  after(async () => sim?.close());

  describe('token endpoint, start, password', () => {
    it('token-client-credentials', async () => expectLike('token-client-credentials', await raw.token()));
    it('start-password', async () => expectLike('start-password', await raw.start(), { exact: ['nextAuthFactors'] }));

    it('start-with-idps (switch socialIdps)', async () => {
      const social = await T.IdcsSimulator.start({ switches: { socialIdps: true } satisfies Partial<IdcsSwitches> });
      try {
        expectLike('start-with-idps', await new RawIdcs(social).start(), { exact: ['nextAuthFactors'] });
      } finally {
        await social.close();
      }
    });

    it('password-success, token-jwt-bearer, scim-me (ann)', async () => {
      const done = await raw.password('ann');
      expectLike('password-success', done);
      const token = await raw.userToken(done.body.authnToken);
      expectLike('token-jwt-bearer', token, { exact: ['expires_in'] });
      const me = await raw.me(token.body.access_token);
      expectLike('scim-me', me, { exact: ['meta.resourceType', 'schemas'], optional: ['nickName'] }); // nickName: set for Oracle's admin only
      expect(me.body.userName).to.equal('ann');
    });

    it('password-wrong (ann)', async () => expectLike('password-wrong', await raw.password('ann', 'wrong-pw')));
    it('account-locked (jo)', async () => {
      const res = await raw.password('jo');
      const code = res.body?.cause?.[0]?.code;
      expectLike(code === 'AUTH-1010' ? 'account-locked-admin' : 'account-locked', res, catalogue);
    });
    it('password-expired (kim)', async () => expectLike('password-expired', await raw.password('kim'), catalogue));

    it('request-state-invalid (a requestState the simulator never issued)', async () => {
      await raw.start();
      expectLike('request-state-invalid', await raw.post({ op: 'credSubmit', credentials: { username: 'ann', password: 'ann-pw' } }, 'bm90LWEtcmVxdWVzdFN0YXRl'));
    });

    it('app-token-rejected-html (expired app token)', async () => {
      await raw.token();
      sim.expireAccessTokens();
      expectLike('app-token-rejected-html', await raw.start());
    });

    it('status-422-missing-op', async () => {
      await raw.start();
      expectLike('status-422-missing-op', await raw.post({ credentials: { username: 'ann', password: 'ann-pw' } }), { sections: FACTOR_SECTIONS });
    });

    it('status-400-invalid-auth-factor', async () => {
      await raw.start();
      expectLike('status-400-invalid-auth-factor', await raw.post({ op: 'credSubmit', authFactor: 'EMAILS', credentials: { username: 'ann', password: 'ann-pw' } }));
    });
  });

  describe('SMS and e-mail codes', () => {
    it('password-then-sms, sms-wrong-code, sms-success (cora)', async () => {
      expectLike('password-then-sms', await raw.password('cora'));
      const code = sim.lastCode('cora', 'SMS');
      expectLike('sms-wrong-code', await raw.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { otpCode: otherCode(code) } }));
      expectLike('sms-success', await raw.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { otpCode: sim.lastCode('cora', 'SMS')! } }));
    });

    it('password-then-email, email-resend, email-success (fay)', async () => {
      expectLike('password-then-email', await raw.password('fay'));
      expectLike('email-resend', await raw.post({ op: 'resendCode' }));
      expectLike('email-success', await raw.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { otpCode: sim.lastCode('fay', 'EMAIL')! } }));
    });

    it('password-then-sms with trustedDeviceSettings, sms-success-trusted (lea)', async () => {
      expectLike('password-then-sms', await raw.password('lea'), { required: ['trustedDeviceSettings'] });
      const done = await raw.post({ op: 'credSubmit', authFactor: 'SMS', credentials: { otpCode: sim.lastCode('lea', 'SMS')! }, trustedDevice: true, trustedDeviceDisplayName: 'Chrome on Windows' });
      expectLike('sms-success-trusted', done);
    });
  });

  describe('TOTP and the backup factors (ben)', () => {
    const wrongTotp = () => String((Number(sim.totpCode('ben')) + 500_000) % 1_000_000).padStart(6, '0');

    it('password-then-totp, totp-success', async () => {
      expectLike('password-then-totp', await raw.password('ben'));
      expectLike('totp-success', await raw.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { otpCode: sim.totpCode('ben') } }));
    });

    it('totp-wrong-code, totp-device-success (TOTP chosen from the backup factors, as in Oracle\'s example)', async () => {
      await raw.password('ben');
      const deviceId = enrolledDevice(await raw.post({ op: 'getBackupFactors' }), 'TOTP');
      expectLike('totp-wrong-code', await raw.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { deviceId, otpCode: wrongTotp() } }), list);
      expectLike('totp-device-success', await raw.post({ op: 'credSubmit', authFactor: 'TOTP', credentials: { deviceId, otpCode: sim.totpCode('ben') } }));
    });

    it('backup-factors, device-choice-email, email-device-success', async () => {
      await raw.password('ben');
      const backups = await raw.post({ op: 'getBackupFactors' });
      expectLike('backup-factors', backups, list);
      const deviceId = enrolledDevice(backups, 'EMAIL');
      expectLike('device-choice-email', await raw.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId } }));
      expectLike('email-device-success', await raw.post({ op: 'credSubmit', authFactor: 'EMAIL', credentials: { deviceId, otpCode: sim.lastCode('ben', 'EMAIL')! } }));
    });

    it('bypass-wrong-code, bypass-success', async () => {
      await raw.password('ben');
      await raw.post({ op: 'getBackupFactors' });
      expectLike('bypass-wrong-code', await raw.post({ op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: { bypassCode: '999999999999' } }), list);
      expectLike('bypass-success', await raw.post({ op: 'credSubmit', authFactor: 'BYPASSCODE', credentials: { bypassCode: user('ben').bypassCode! } }));
    });

    it('sq-device-success (security questions from the backup factors)', async () => {
      await raw.password('ben');
      const backups = await raw.post({ op: 'getBackupFactors' });
      const asked = (backups.body?.SECURITY_QUESTIONS?.questions ?? []) as Array<{ questionId: string }>;
      const answers = asked.map((q) => ({ questionId: q.questionId, answer: user('ben').questions!.find((x) => x.questionId === q.questionId)?.answer ?? '' }));
      expectLike('sq-device-success', await raw.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: answers } }));
    });
  });

  describe('security questions (eve)', () => {
    it('password-then-security-questions, sq-wrong-answer, sq-success', async () => {
      const first = await raw.password('eve');
      expectLike('password-then-security-questions', first);
      const ask = (res: Reply) => (res.body?.SECURITY_QUESTIONS?.questions ?? []) as Array<{ questionId: string }>;
      const wrong = await raw.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: ask(first).map((q) => ({ questionId: q.questionId, answer: 'certainly wrong' })) } });
      expectLike('sq-wrong-answer', wrong, list);
      const answers = ask(wrong).map((q) => ({ questionId: q.questionId, answer: user('eve').questions!.find((x) => x.questionId === q.questionId)?.answer ?? '' }));
      expectLike('sq-success', await raw.post({ op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: { questions: answers } }));
    });
  });

  describe('push (dan)', () => {
    it('password-then-push-pending, push-pending-poll, push-approved', async () => {
      expectLike('password-then-push-pending', await raw.password('dan'));
      expectLike('push-pending-poll', await raw.post({ op: 'credSubmit' }));
      sim.approvePush('dan');
      expectLike('push-approved', await raw.post({ op: 'credSubmit' }));
    });

    it('push-denied', async () => {
      await raw.password('dan');
      sim.denyPush('dan');
      expectLike('push-denied', await raw.post({ op: 'credSubmit' }));
    });

    it('backup-factors-with-push, device-choice-push-pending, push-device-success', async () => {
      await raw.password('dan');
      const backups = await raw.post({ op: 'getBackupFactors' });
      expectLike('backup-factors-with-push', backups, list);
      expectLike('device-choice-push-pending', await raw.post({ op: 'credSubmit', authFactor: 'PUSH', credentials: { deviceId: enrolledDevice(backups, 'PUSH') } }));
      sim.approvePush('dan');
      expectLike('push-device-success', await raw.post({ op: 'credSubmit' }));
    });
  });

  describe('enrollment (gus required, hal optional)', () => {
    const enrollList = (res: Reply) => (res.body?.nextAuthFactors ?? []) as string[];

    it('enroll-list-required, enroll-email-start-required, enroll-email-verified, create-token (gus)', async () => {
      expectLike('enroll-list-required', await raw.password('gus'), { sections: FACTOR_SECTIONS });
      // Oracle's required-enrollment examples disagree: this one has neither displayName nor
      // mfaSettings, the required SMS resend has mfaSettings, the optional e-mail start has both.
      expectLike('enroll-email-start-required', await raw.post({ op: 'enrollment', authFactor: 'EMAIL' }), { optional: ['displayName', 'mfaSettings'] });
      expectLike('enroll-email-verified', await raw.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('gus', 'EMAIL')! } }));
      expectLike('create-token', await raw.post({ op: 'createToken' }));
    });

    it('enroll-list-optional, skip-enrollment (hal)', async () => {
      expectLike('enroll-list-optional', await raw.password('hal'), { sections: FACTOR_SECTIONS });
      expectLike('skip-enrollment', await raw.post({ op: 'createToken' }));
    });

    it('enroll-email-start, enroll-email-resend, enroll-email-verified (hal)', async () => {
      await raw.password('hal');
      expectLike('enroll-email-start', await raw.post({ op: 'enrollment', authFactor: 'EMAIL' }));
      expectLike('enroll-email-resend', await raw.post({ op: 'resendCode' }));
      expectLike('enroll-email-verified', await raw.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('hal', 'EMAIL')! } }));
    });

    it('enroll-sms-start, enroll-sms-verified (hal)', async () => {
      await raw.password('hal');
      expectLike('enroll-sms-start', await raw.post({ op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: '15555555555' } }));
      expectLike('enroll-sms-verified', await raw.post({ op: 'credSubmit', credentials: { otpCode: sim.lastCode('hal', 'SMS')! } }));
    });

    it('enroll-totp-offline-start, enroll-totp-offline-verified (hal)', async () => {
      await raw.password('hal');
      const started = await raw.post({ op: 'enrollment', authFactor: 'TOTP', credentials: { offlineTotp: true } });
      expectLike('enroll-totp-offline-start', started);
      expect(started.body?.TOTP?.qrCode?.content).to.match(/^otpauth:\/\/totp\/.*[?&]secret=[A-Z2-7]+/);
      expectLike('enroll-totp-offline-verified', await raw.post({ op: 'credSubmit', credentials: { otpCode: sim.totpCode('hal') } }));
    });

    it('enroll-totp-online-start, enroll-totp-pending (hal)', async () => {
      await raw.password('hal');
      const started = await raw.post({ op: 'enrollment', authFactor: 'TOTP' });
      expectLike('enroll-totp-online-start', started);
      expect(started.body?.TOTP?.qrCode?.content).to.match(/^oraclemobileauthenticator:\/\//);
      expectLike('enroll-totp-pending', await raw.post({ op: 'credSubmit' }));
    });

    it('enroll-push-start, enroll-push-pending (hal)', async function () {
      if (!enrollList(await raw.password('hal')).includes('PUSH')) this.skip();
      expectLike('enroll-push-start', await raw.post({ op: 'enrollment', authFactor: 'PUSH' }));
      expectLike('enroll-push-pending', await raw.post({ op: 'credSubmit' }));
    });

    it('enroll-sq-start, enroll-sq-verified (hal)', async function () {
      if (!enrollList(await raw.password('hal')).includes('SECURITY_QUESTIONS')) this.skip();
      const started = await raw.post({ op: 'enrollment', authFactor: 'SECURITY_QUESTIONS' });
      expectLike('enroll-sq-start', started, { exact: ['SECURITY_QUESTIONS.secQuesSettings'] });
      const offered = (started.body?.SECURITY_QUESTIONS?.questions ?? []) as Array<{ questionId: string }>;
      const count = Number(started.body?.SECURITY_QUESTIONS?.secQuesSettings?.numQuestionsToSetup ?? 3);
      const questions: Json[] = offered.slice(0, count).map((q, i) => ({ questionId: q.questionId, answer: `answer-number-${i}`, hint: `hint ${i}` }));
      expectLike('enroll-sq-verified', await raw.post({ op: 'credSubmit', credentials: { questions } }));
    });
  });

  describe('terms of use (ida)', () => {
    it('tou-prompt, tou-accepted', async () => {
      expectLike('tou-prompt', await raw.password('ida'), { exact: ['TOU.locale'] });
      expectLike('tou-accepted', await raw.post({ op: 'acceptTOU', credentials: { consent: true } }));
    });

    it('tou-declined', async () => {
      await raw.password('ida');
      expectLike('tou-declined', await raw.post({ op: 'acceptTOU', credentials: { consent: false } }));
    });
  });
});
