/**
 * Tolerance (issue 13 part 2): `Summary`, `AnswerType` and OobAuthStatus `State` are compared
 * case-insensitively, as real clients do (IdentityCommand for AnswerType, conjur-cli-go for
 * State). A value nobody knows is never taken for a verdict about the user: an unknown Summary
 * is UPSTREAM_BAD_RESPONSE, an unknown AnswerType makes that mechanism unsupported, and the
 * value is written to the provider's debug log. The vendor files are replayed with one field
 * patched each.
 */
import { expect } from 'chai';
import { capturedLogs } from '../../support/log-capture.js';
import { exampleMechanisms, exampleResult, type JsonObject } from './cyberark-examples.js';
import { advance, expectError, expectLoggedIn, expectNotLoggedIn, logsSince, oobStatus, start, useConformance, whoAmI } from './harness.js';

const result = (body: JsonObject) => body.Result as JsonObject;
const summary = (value: string) => (body: JsonObject) => { result(body).Summary = value; };
const answerTypes = (...values: string[]) => (body: JsonObject) => {
  const mechanisms = (result(body).Challenges as Array<{ Mechanisms: JsonObject[] }>).flatMap((c) => c.Mechanisms);
  values.forEach((value, i) => { mechanisms[i]!.AnswerType = value; });
};
const logged = (mark: number, event: string, value: string) => {
  const lines = logsSince(mark).filter((l) => l.includes('passport-multistep:cyberark') && l.includes(event));
  expect(lines.some((l) => l.includes(`'${value}'`)), `a "${event}" debug line naming ${value} in:\n${logsSince(mark).join('\n')}`).to.equal(true);
};
const [UP, EMAIL] = [exampleMechanisms('cnj-start-mfa', 0)[0]!.MechanismId as string, exampleMechanisms('cnj-start-mfa', 1)[0]!.MechanismId as string];
const jsUser = { username: exampleResult('js-advance-success').User as string, id: exampleResult('js-advance-success').UserId as string };

describe('CyberArk tolerance: Summary and AnswerType in any case; unknown values are never a verdict', () => {
  const f = useConformance();

  it('"newpackage" / "LOGINSUCCESS" are NewPackage / LoginSuccess', async () => {
    f.up.script(start('cnj-start-pass-only', {}, { patch: summary('newpackage') }), advance('cnj-advance-pass-only', { answer: 'pw' }, { patch: summary('LOGINSUCCESS') }));
    const c = f.client();
    await c.start('user@example.cloud');
    expect(c.step!.mechanisms[0]!.type).to.equal('password');
    await expectLoggedIn(f, c, await c.answer('pw'), { username: exampleResult('cnj-advance-pass-only').User as string, id: 'some-user-id' });
  });

  it('AnswerType "TEXT" / "starttextoob" drive the password and the e-mail as Text / StartTextOob; "oobPending" is OobPending', async () => {
    f.up.script(
      start('cnj-start-mfa', {}, { patch: answerTypes('TEXT', 'starttextoob') }),
      advance('cnj-advance-start-oob', { operations: [{ MechanismId: UP, Action: 'Answer', Answer: 'pw' }, { MechanismId: EMAIL, Action: 'StartOOB' }] }, { patch: summary('oobPending') }),
      advance('cnj-advance-oob-success', { mechanismId: EMAIL, action: 'Answer', answer: '482913' }, { patch: summary('loginsuccess') }),
      whoAmI(),
    );
    const c = f.client();
    await c.start('user@cyberark.com');
    expect(c.step!.mechanisms[0]).to.include({ type: 'password' });
    await c.answer('pw');
    expect(c.step!.kind).to.equal('pending');
    expect(c.step!.mechanisms[0]).to.include({ type: 'link', acceptsCode: true, resendable: true });
    await expectLoggedIn(f, c, await c.answer('482913'), { username: exampleResult('whoami').User as string });
  });

  it('AnswerType "startoob" and Summary "STARTNEXTCHALLENGE" carry the phone call first, then the password', async () => {
    const [pf, up] = [exampleMechanisms('js-start-multiple-challenges', 0)[0]!.MechanismId as string, exampleMechanisms('js-start-multiple-challenges', 1)[0]!.MechanismId as string];
    f.up.script(
      start('js-start-multiple-challenges', {}, { patch: answerTypes('startoob', 'text') }),
      advance('cnj-advance-start-oob', { mechanismId: pf, action: 'StartOOB' }),
      advance('cnj-advance-next-challenge', { mechanismId: pf, action: 'Poll' }, { patch: summary('STARTNEXTCHALLENGE') }),
      advance('js-advance-success', { mechanismId: up, action: 'Answer', answer: 'pw' }),
    );
    const c = f.client();
    await c.start('test-multiple-challenges@example.com');
    await c.select('phone-call');
    expect(c.step!.mechanisms[0]).to.include({ type: 'phone-call', acceptsCode: false });
    await c.poll();
    expect(c.step!.mechanisms[0]!.type).to.equal('password');
    await expectLoggedIn(f, c, await c.answer('pw'), jsUser);
  });

  it('an unknown Summary on a success with user fields and a token is UPSTREAM_BAD_RESPONSE, never a login; the value is logged', async () => {
    f.up.script(start('cnj-start-pass-only'), advance('cnj-advance-pass-only', { answer: 'pw' }, { patch: summary('LoginSuccessPendingReview') }));
    const c = f.client();
    await c.start('user@example.cloud');
    const mark = capturedLogs.length;
    const res = await c.answer('pw');
    expectError(res, 'UPSTREAM_BAD_RESPONSE', 502);
    logged(mark, 'unexpected summary', 'LoginSuccessPendingReview');
    expect(f.profiles).to.have.length(0);
    await expectNotLoggedIn(c);
    f.up.verify();
  });

  it('an unknown Summary at Start is UPSTREAM_BAD_RESPONSE (not "no such user", not a failed login)', async () => {
    f.up.script(start('cnj-start-pass-only', {}, { patch: summary('NewPackage2') }));
    const mark = capturedLogs.length;
    expectError(await f.client().start('user@example.cloud'), 'UPSTREAM_BAD_RESPONSE', 502);
    logged(mark, 'unexpected summary', 'NewPackage2');
    f.up.verify();
  });

  it('"failure" with success: true is the tenant\'s own verdict: AUTH_FAILED', async () => {
    f.up.script(start('js-start-success'), advance('js-advance-success', { answer: 'pw' }, { patch: (body) => { body.Result = { Summary: 'failure' }; } }));
    const c = f.client();
    await c.start('test@example.com');
    expectError(await c.answer('pw'), 'AUTH_FAILED', 401);
    f.up.verify();
  });

  it('an unknown AnswerType makes that mechanism unsupported (shown, not choosable, logged); the others still work', async () => {
    const up = exampleMechanisms('js-start-multiple-mechanisms', 0)[0]!.MechanismId as string;
    f.up.script(
      start('js-start-multiple-mechanisms', {}, { patch: answerTypes('Text', 'Biometric') }),
      advance('js-advance-success', { mechanismId: up, action: 'Answer', answer: 'pw' }),
    );
    const c = f.client();
    const mark = capturedLogs.length;
    await c.start('test-multiple-mechanisms@example.com');
    logged(mark, 'unsupported answer type', 'Biometric');
    expect(c.step!.kind).to.equal('select');
    const [password, call] = c.step!.mechanisms;
    expect(password).to.include({ type: 'password' });
    expect(call).to.include({ type: 'unsupported', label: 'Phone call to •••• 0775' });
    const refused = await c.act('select', { mechanism: call!.id });
    expectError(refused, 'MECHANISM_UNSUPPORTED', 422);
    expect(f.up.endpoints).to.deep.equal(['StartAuthentication']);
    await c.act('select', { mechanism: password!.id });
    await expectLoggedIn(f, c, await c.answer('pw'), jsUser);
  });

  it('a lone mechanism of unknown AnswerType is MECHANISM_UNSUPPORTED, not a verdict about the user', async () => {
    f.up.script(start('js-start-success', {}, { patch: answerTypes('Fingerprint') }));
    const mark = capturedLogs.length;
    expectError(await f.client().start('test@example.com'), 'MECHANISM_UNSUPPORTED', 422);
    logged(mark, 'unsupported answer type', 'Fingerprint');
    f.up.verify();
  });
});

describe('CyberArk tolerance: OobAuthStatus State in any case', () => {
  const f = useConformance({ provider: { federatedLogin: true, allowFederatedWithoutPin: true } });
  const noPin = (body: JsonObject) => {
    result(body).IdpRedirectShortUrl = `${f.up.url}/s/short_id`;
    result(body).IdpOobAuthPinRequired = false;
  };
  const state = (value: string) => (body: JsonObject) => { result(body).State = value; };

  it('"PENDING" then "success" finish the login', async () => {
    f.up.script(start('cnj-start-external-pin', {}, { patch: noPin }), oobStatus('oob-status-pending', { patch: state('PENDING') }), oobStatus('cnj-oob-status-success', { patch: state('success') }), whoAmI());
    const c = f.client();
    await c.start('user@corp.example');
    expect((await c.poll()).json.step.kind).to.equal('pending');
    await expectLoggedIn(f, c, await c.poll(), { username: exampleResult('whoami').User as string });
  });

  it('an unknown State is UPSTREAM_BAD_RESPONSE, logged, never a login', async () => {
    f.up.script(start('cnj-start-external-pin', {}, { patch: noPin }), oobStatus('cnj-oob-status-success', { patch: state('Waiting') }));
    const c = f.client();
    await c.start('user@corp.example');
    const mark = capturedLogs.length;
    expectError(await c.poll(), 'UPSTREAM_BAD_RESPONSE', 502);
    logged(mark, 'unexpected state', 'Waiting');
    await expectNotLoggedIn(c);
    f.up.verify();
  });
});
