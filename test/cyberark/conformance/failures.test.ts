/**
 * Replay: failures as the vendor files show them. A failure is HTTP 200 with `success: false`,
 * `Result: {Summary: "Failure"}`, the generic Message and an ErrorID; a failed
 * AdvanceAuthentication ends the session (start again). Start may fail without a Result at all
 * (conjur start_auth_failure) or with `Summary: "Undefined"` (jetstack, an empty user). A package
 * without challenges, with an empty challenge, or with a challenge nothing here can drive
 * (conjur's UNSUPPORTED and QR mechanisms) is refused before any password is asked for.
 */
import { expect } from 'chai';
import { exampleBody, exampleMechanisms, exampleResult } from './cyberark-examples.js';
import { advance, expectError, expectLoggedIn, expectNotLoggedIn, logsSince, start, useConformance } from './harness.js';
import { capturedLogs } from '../../support/log-capture.js';

const UP = exampleMechanisms('js-start-bad-user-session-id', 0)[0]!.MechanismId as string;

describe('CyberArk conformance: failures', () => {
  const f = useConformance();

  it('wrong password (advance_authentication_failure): AUTH_FAILED with the ErrorID, the session cleaned up; a new login works', async () => {
    f.up.script(
      start('js-start-bad-user-session-id', { user: 'test-fail@example.com' }),
      advance('js-advance-failure', { mechanismId: UP, action: 'Answer', answer: 'wrong-password' }),
    );
    const c = f.client();
    await c.start('test-fail@example.com');
    expect(c.step!.mechanisms[0]).to.include({ type: 'password', label: 'Password' });
    const failed = await c.answer('wrong-password');
    expectError(failed, 'AUTH_FAILED', 401);
    expect(failed.json.error.details).to.deep.equal({ restart: true, upstreamErrorId: f.up.lastErrorId });
    // The ErrorID is refreshed on every replay, in the file's own format.
    expect(exampleBody('js-advance-failure').ErrorID).to.match(/^[0-9a-f-]{36}:[0-9a-f]{32}$/);
    expect(f.up.lastErrorId).to.match(/^[0-9a-f-]{36}:[0-9a-f]{32}$/);
    // The tenant's own Message is never shown: the catalogue's text is.
    expect(failed.json.error.message).to.equal('Sign-in failed. Check your details and try again.');
    const failedSession = (f.up.calls('AdvanceAuthentication')[0]!.body as { SessionId: string }).SessionId;
    expect(f.up.endpoints).to.deep.equal(['StartAuthentication', 'AdvanceAuthentication', 'CleanupAuthentication']);
    expect(f.up.calls('CleanupAuthentication')[0]!.body).to.include({ SessionId: failedSession, TenantId: 'TENANTID' });
    f.up.verify();
    await expectNotLoggedIn(c);
    // The session is dead: the next try starts over, with the new SessionId.
    expect((await c.act('answer', { mechanism: 'c1m1', answer: 'somepassword' })).json.error.code).to.equal('TRANSACTION_NOT_FOUND');
    f.up.script(start('js-start-success'), advance('js-advance-success', { answer: 'somepassword' }));
    await c.start('test@example.com');
    const done = await c.answer('somepassword');
    expect((f.up.calls('AdvanceAuthentication').at(-1)!.body as { SessionId: string }).SessionId).to.not.equal(failedSession);
    await expectLoggedIn(f, c, done, { username: exampleResult('js-advance-success').User as string, id: exampleResult('js-advance-success').UserId as string });
  });

  it('a Start failure without a Result (conjur start_auth_failure) is AUTH_FAILED', async () => {
    f.up.script(start('cnj-start-failure'));
    const res = await f.client().start('user@example.cloud');
    expectError(res, 'AUTH_FAILED', 401);
    expect(res.text).to.not.include('some error'); // the tenant's Message stays out
    f.up.verify();
  });

  it('a Start failure with Summary "Undefined" (jetstack start_authentication_failure) is AUTH_FAILED with its ErrorID', async () => {
    // Seen live for an empty User; the routes never send one, so any name stands in for it here.
    f.up.script(start('js-start-failure'));
    const res = await f.client().start('someone');
    expectError(res, 'AUTH_FAILED', 401);
    expect(res.json.error.details.upstreamErrorId).to.equal(f.up.lastErrorId);
    f.up.verify();
  });

  for (const [id, what] of [['cnj-start-no-challenges', 'no challenges'], ['cnj-start-no-mechanism', 'a challenge without mechanisms']] as const) {
    it(`${what} (${id}) is MECHANISM_UNSUPPORTED`, async () => {
      f.up.script(start(id));
      expectError(await f.client().start('user@example.cloud'), 'MECHANISM_UNSUPPORTED', 422);
      f.up.verify();
    });
  }

  for (const [id, name, answerType] of [['cnj-start-unsupported-mfa', 'UNSUPPORTED', 'null'], ['cnj-start-qr', 'QR', "'QR'"]] as const) {
    it(`a second challenge nothing here can drive (${id}) is refused at once, before the password, with the value in the debug log`, async () => {
      f.up.script(start(id));
      const mark = capturedLogs.length;
      expectError(await f.client().start('user@example.cloud'), 'MECHANISM_UNSUPPORTED', 422);
      expect(f.up.endpoints).to.deep.equal(['StartAuthentication']);
      f.up.verify();
      const lines = logsSince(mark);
      expect(lines.some((l) => l.includes('unsupported answer type') && l.includes(`mechanism: '${name}'`) && l.includes(`answerType: ${answerType}`)), lines.join('\n')).to.equal(true);
      expect(lines.some((l) => l.includes('no usable mechanism') && l.includes('challenge: 2'))).to.equal(true);
    });
  }
});
