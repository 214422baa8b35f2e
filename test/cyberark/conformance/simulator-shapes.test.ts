/**
 * The built-in CyberArkSimulator against the vendor files: each scenario drives the simulator
 * with raw HTTP, as conjur-cli-go and jetstack-secure do (Start, Advance, OobAuthStatus), to the
 * state a file shows, and compares the answer's shape with the file (shape.ts): keys
 * (recursively), value types, HTTP status, `success`, `Summary`, `State`, and each mechanism's
 * keys, `Name` and `AnswerType` against the file's mechanism of the same Name. Opaque values may
 * differ.
 *
 * Not covered, for want of a vendor file: the SMS, OTP (push), OATH, U2F and RESET mechanisms, a
 * mid-flow NewPackage, MultipleOperations' `ResultAppliesTo`, GeneratedAuthValue, pod redirects,
 * WhoAmI, CleanupAuthentication and Logout.
 */
import { expect } from 'chai';
import { CyberArkSimulator, demoUsers, type SimUser } from '../../../lib/testing/index.js';
import { send, wrongCode } from '../../testing/support.js';
import { example, exampleMechanisms, type JsonObject } from './cyberark-examples.js';
import { compareWithExample, shapeDiff, type ActualResponse, type ShapeOptions } from './shape.js';

interface Reply extends ActualResponse {
  body: any;
  text: string;
}

/** A real client's calls, by hand (no cookie jar, like conjur-cli-go and jetstack-secure). */
class Raw {
  sessionId = '';
  tenantId = '';
  package: any;

  constructor(private readonly sim: CyberArkSimulator) {}

  async post(endpoint: string, body: JsonObject, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await send<any>(`${this.sim.url}/Security/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-idap-native-client': 'true', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, contentType: String(res.headers['content-type'] ?? ''), body: res.json, text: res.text };
  }

  async start(user: string, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await this.post('StartAuthentication', { User: user, Version: '1.0' }, headers);
    this.sessionId = res.body?.Result?.SessionId ?? '';
    this.tenantId = res.body?.Result?.TenantId ?? '';
    this.package = res.body?.Result;
    return res;
  }

  /** The MechanismId of the package's mechanism `name` in challenge `index`. */
  mechanism(index: number, name: string): string {
    const found = this.package?.Challenges?.[index]?.Mechanisms?.find((m: { Name: string }) => m.Name === name);
    if (!found) throw new Error(`no ${name} in challenge ${index}: ${JSON.stringify(this.package)}`);
    return found.MechanismId as string;
  }

  advance(mechanismId: string, action: 'Answer' | 'StartOOB' | 'Poll', answer?: string | Record<string, string>, sessionId = this.sessionId): Promise<Reply> {
    return this.post('AdvanceAuthentication', { Action: action, MechanismId: mechanismId, SessionId: sessionId, TenantId: this.tenantId, ...(answer === undefined ? {} : { Answer: answer }) });
  }
}

function expectLike(id: string, res: Reply, options: ShapeOptions = {}): void {
  const diffs = compareWithExample(example(id), res, options);
  expect(diffs, `simulator vs "${id}" (${example(id).source})\nsimulator answered ${res.status}: ${res.text.slice(0, 1500)}`).to.deep.equal([]);
}

/** A package: everything but the challenges, which are compared mechanism by mechanism. */
const packageOnly: ShapeOptions = { skip: ['Challenges'] };

/** The vendor file's mechanism for each Name the files show. */
const fileMechanisms: Record<string, { id: string; mechanism: JsonObject; options?: ShapeOptions }> = {
  UP: { id: 'cnj-start-pass-only', mechanism: exampleMechanisms('cnj-start-pass-only', 0)[0]!, options: { exact: ['PromptMechChosen', 'PromptSelectMech'] } },
  EMAIL: { id: 'cnj-start-mfa', mechanism: exampleMechanisms('cnj-start-mfa', 1)[0]! },
  SQ: { id: 'cnj-start-sq', mechanism: exampleMechanisms('cnj-start-sq', 0)[0]! },
  PF: { id: 'js-start-multiple-challenges', mechanism: exampleMechanisms('js-start-multiple-challenges', 0)[0]! },
};

const ERROR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]+$/;

describe('CyberArk conformance: the simulator answers in the shapes of the vendor files', () => {
  let sim: CyberArkSimulator;
  let raw: Raw;

  before(async () => {
    sim = await CyberArkSimulator.start();
  });
  beforeEach(() => {
    sim.reset();
    raw = new Raw(sim);
  });
  after(async () => sim?.close());

  it('every mechanism a file shows (UP, EMAIL, multi-part SQ, PF) has the file\'s keys, types, Name and AnswerType, for every demo user', async () => {
    const compared = new Set<string>();
    for (const user of demoUsers.filter((u: SimUser) => !u.federated)) {
      const res = await new Raw(sim).start(user.username);
      res.body.Result.Challenges.forEach((challenge: { Mechanisms: JsonObject[] }, c: number) => challenge.Mechanisms.forEach((m) => {
        const file = fileMechanisms[m.Name as string];
        if (!file) return;
        compared.add(m.Name as string);
        const diffs = shapeDiff(file.mechanism, m, file.options);
        expect(diffs, `${user.username} challenge ${c + 1} ${String(m.Name)} vs the ${String(m.Name)} of "${file.id}": ${JSON.stringify(m)}`).to.deep.equal([]);
      }));
    }
    expect([...compared].sort()).to.deep.equal(['EMAIL', 'PF', 'SQ', 'UP']);
  });

  it('password only (alice): the package and the LoginSuccess of conjur and jetstack', async () => {
    const pkg = await raw.start('alice');
    expectLike('cnj-start-pass-only', pkg, packageOnly);
    expectLike('js-start-success', pkg, packageOnly);
    expect(pkg.body.Result.Challenges.map((c: { Mechanisms: Array<{ Name: string }> }) => c.Mechanisms.map((m) => m.Name))).to.deep.equal([['UP']]);
    const done = await raw.advance(raw.mechanism(0, 'UP'), 'Answer', 'alice-pw');
    expectLike('cnj-advance-pass-only', done);
    expectLike('js-advance-success', done);
  });

  it('wrong password: the failure body of both files (success false, Summary Failure, the generic Message, an ErrorID)', async () => {
    await raw.start('alice');
    const failed = await raw.advance(raw.mechanism(0, 'UP'), 'Answer', 'wrong');
    expectLike('cnj-advance-failure', failed, { exact: ['Message'] });
    expectLike('js-advance-failure', failed, { exact: ['Message'] });
    expect(failed.body.ErrorID).to.match(ERROR_ID);
  });

  it('unknown user: a normal-looking UP package (jetstack bad_user_session_id), then the failure body', async () => {
    const pkg = await raw.start('nobody@example.com');
    expectLike('js-start-bad-user-session-id', pkg, packageOnly);
    expectLike('js-advance-failure', await raw.advance(raw.mechanism(0, 'UP'), 'Answer', 'x'), { exact: ['Message'] });
  });

  it('empty user: success false with Summary Undefined (jetstack start_authentication_failure)', async () => {
    const res = await raw.start('');
    expectLike('js-start-failure', res, { exact: ['Message'] });
    expect(res.body.ErrorID).to.match(ERROR_ID);
  });

  it('password then e-mail (dave): the package, StartNextChallenge, OobPending on StartOOB and on Poll, then LoginSuccess', async () => {
    const pkg = await raw.start('dave');
    expectLike('cnj-start-mfa', pkg, packageOnly);
    expectLike('cnj-advance-next-challenge', await raw.advance(raw.mechanism(0, 'UP'), 'Answer', 'dave-pw'));
    const email = raw.mechanism(1, 'EMAIL');
    expectLike('cnj-advance-start-oob', await raw.advance(email, 'StartOOB'));
    expectLike('cnj-advance-start-oob', await raw.advance(email, 'Poll'));
    expect(sim.approvePush('dave')).to.equal(true); // the user clicks the link
    expectLike('cnj-advance-pass-only', await raw.advance(email, 'Poll'));
  });

  it('security questions (dave): answered keyed by Uuid, then LoginSuccess', async () => {
    await raw.start('dave');
    await raw.advance(raw.mechanism(0, 'UP'), 'Answer', 'dave-pw');
    const parts = raw.package.Challenges[1].Mechanisms.find((m: { Name: string }) => m.Name === 'SQ').MultipartMechanism.MechanismParts as Array<{ Uuid: string }>;
    const done = await raw.advance(raw.mechanism(1, 'SQ'), 'Answer', { [parts[0]!.Uuid]: 'Rex', [parts[1]!.Uuid]: 'Leeds' });
    expectLike('cnj-advance-pass-only', done);
  });

  it('phone call first (grace): the package of jetstack multiple_challenges, challenge by challenge', async () => {
    const pkg = await raw.start('grace');
    expectLike('js-start-multiple-challenges', pkg, packageOnly);
    const names = (r: any) => r.Challenges.map((c: { Mechanisms: Array<{ Name: string; AnswerType: string }> }) => c.Mechanisms.map((m) => `${m.Name}/${m.AnswerType}`));
    expect(names(pkg.body.Result)).to.deep.equal(names(example('js-start-multiple-challenges').body.Result));
    const call = raw.mechanism(0, 'PF');
    expectLike('cnj-advance-start-oob', await raw.advance(call, 'StartOOB'));
    sim.approvePush('grace');
    expectLike('cnj-advance-next-challenge', await raw.advance(call, 'Poll'));
  });

  it('federated with a PIN (hank): the Idp* answer of conjur external_pin, the PIN\'s LoginSuccess, the failure of a wrong PIN', async () => {
    const pkg = await raw.start('hank', { OobIdPAuth: 'true' });
    expectLike('cnj-start-external-pin', pkg);
    const idp = pkg.body.Result.IdpLoginSessionId as string;
    expect(sim.completeIdpLogin('hank')).to.equal(true);
    const pin = sim.lastCode('hank', 'OOBAUTHPIN')!;
    expectLike('cnj-advance-oob-success', await raw.advance('OOBAUTHPIN', 'Answer', pin, idp));

    const again = new Raw(sim);
    const second = await again.start('hank', { OobIdPAuth: 'true' });
    sim.completeIdpLogin('hank');
    expectLike('cnj-advance-failure', await again.advance('OOBAUTHPIN', 'Answer', wrongCode(sim.lastCode('hank', 'OOBAUTHPIN')), second.body.Result.IdpLoginSessionId), { exact: ['Message'] });
  });

  it('federated without a PIN (ivy): OobAuthStatus Pending, Success (conjur oob_status_success), then failed (oob_status_failure)', async () => {
    const pkg = await raw.start('ivy', { OobIdPAuth: 'true' });
    // The PIN file with the one value a user without a PIN differs in.
    const noPin = structuredClone(example('cnj-start-external-pin'));
    (noPin.body.Result as JsonObject).IdpOobAuthPinRequired = false;
    expect(compareWithExample(noPin, pkg), pkg.text).to.deep.equal([]);
    const idp = pkg.body.Result.IdpLoginSessionId as string;
    expectLike('oob-status-pending', await raw.post('OobAuthStatus', { SessionId: idp }));
    sim.completeIdpLogin('ivy');
    expectLike('cnj-oob-status-success', await raw.post('OobAuthStatus', { SessionId: idp }));
    expectLike('cnj-oob-status-failure', await raw.post('OobAuthStatus', { SessionId: idp }), { exact: ['Message', 'ErrorID'] });
  });
});
