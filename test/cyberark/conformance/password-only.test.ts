/**
 * Replay: password only, with each client's own files: conjur-cli-go (start_auth_pass_only →
 * advance_auth_pass_only) and jetstack-secure (start_authentication_success →
 * advance_authentication_success). The lone UP mechanism is asked for at once; the answer is
 * one AdvanceAuthentication `{SessionId, MechanismId, Action: "Answer", Answer: <password>}`.
 */
import { expect } from 'chai';
import { exampleMechanisms, exampleResult } from './cyberark-examples.js';
import { advance, expectLoggedIn, start, useConformance } from './harness.js';

describe('CyberArk conformance: password only', () => {
  const f = useConformance();

  for (const [client, startId, successId] of [['conjur-cli-go', 'cnj-start-pass-only', 'cnj-advance-pass-only'], ['jetstack-secure', 'js-start-success', 'js-advance-success']] as const) {
    it(`${client}: one Answer with the password, then the user of the LoginSuccess`, async () => {
      const [up] = exampleMechanisms(startId, 0);
      f.up.script(
        start(startId, { user: 'user@example.cloud', oobIdpAuth: false }),
        advance(successId, { mechanismId: up!.MechanismId as string, action: 'Answer', answer: 'S3cret pw' }),
      );
      const c = f.client();
      await c.start('user@example.cloud');
      expect(c.step).to.include({ kind: 'answer' });
      expect(c.step!.challenge).to.deep.equal({ index: 1, count: 1 });
      const [password] = c.step!.mechanisms;
      expect(password).to.include({ type: 'password', label: 'Password', prompt: 'Enter your password.', upstreamPrompt: 'Enter Password' });
      expect(password).to.not.have.property('maskedAddress');
      expect(f.up.endpoints).to.deep.equal(['StartAuthentication']);

      const done = await c.answer('S3cret pw');
      const success = exampleResult(successId);
      await expectLoggedIn(f, c, done, { username: success.User as string, id: success.UserId as string, displayName: success.DisplayName as string });
      const sent = f.up.calls('AdvanceAuthentication')[0]!.body as Record<string, unknown>;
      // What jetstack's mock insists on, bar PersistentLogin (an option here, false by default).
      expect(sent).to.include({ Action: 'Answer', Answer: 'S3cret pw', PersistentLogin: false, TenantId: exampleResult(startId).TenantId });
      expect(f.profiles.at(-1)!.emails).to.deep.equal([{ value: success.EmailAddress }]);
      expect(f.tokens.at(-1)).to.include({ auth: f.up.tokens.at(-1)!.Auth });
    });
  }

  it('the tenant id of the package is sent back, and nothing but the documented fields', async () => {
    f.up.script(start('js-start-success'), advance('js-advance-success', {
      check: (body) => expect(Object.keys(body).sort()).to.deep.equal(['Action', 'Answer', 'MechanismId', 'PersistentLogin', 'SessionId', 'TenantId']),
    }));
    const c = f.client();
    await c.start('test@example.com');
    await expectLoggedIn(f, c, await c.answer('somepassword'), { username: 'name@example.org.111111', id: '11111111-2222-3333-4444-555555555555' });
  });
});
