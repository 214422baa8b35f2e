/**
 * Replay: password, then an e-mail code or link (conjur-cli-go start_auth_mfa: UP, then a lone
 * EMAIL with AnswerType StartTextOob and PartialAddress "cyberark.com").
 *
 * - By default the password and the e-mail's StartOOB go in one call (MultipleOperations, as
 *   Keeper Commander does in production) and the tenant answers OobPending
 *   (advance_start_oob, which carries no ResultAppliesTo: the answer is about the last operation).
 * - With `multipleOperations: false`, conjur's own sequence: Answer → StartNextChallenge
 *   (advance_next_challenge), StartOOB → OobPending, then Poll until the link is clicked.
 * The LoginSuccess after the e-mail (advance_oob_success) names no user: WhoAmI does.
 */
import { expect } from 'chai';
import type { Step } from '../../../lib/index.js';
import { exampleMechanisms, exampleResult } from './cyberark-examples.js';
import { advance, expectError, expectLoggedIn, expectNotLoggedIn, start, useConformance, whoAmI } from './harness.js';

const [UP, EMAIL] = [exampleMechanisms('cnj-start-mfa', 0)[0]!.MechanismId as string, exampleMechanisms('cnj-start-mfa', 1)[0]!.MechanismId as string];
const whoami = exampleResult('whoami');

/** The e-mail in flight, in the plain wording: the domain only, the tenant's own text kept aside. */
function expectEmailStep(step: Step | undefined): void {
  expect(step!.kind).to.equal('pending');
  expect(step!.challenge).to.deep.equal({ index: 2, count: 2 });
  const [email] = step!.mechanisms;
  expect(email).to.include({
    type: 'link', label: 'E-mail to •••@cyberark.com', maskedAddress: '•••@cyberark.com', prompt: 'Enter the code sent to •••@cyberark.com.',
    upstreamPrompt: 'Email sent to xxxx@cyberark.com. Click the link or manually enter the code to authenticate.', acceptsCode: true, resendable: true,
  });
}

describe('CyberArk conformance: password, then e-mail (MultipleOperations)', () => {
  const f = useConformance();

  it('answers the password and starts the e-mail in one call, then takes the typed code', async () => {
    f.up.script(
      start('cnj-start-mfa'),
      advance('cnj-advance-start-oob', { operations: [{ MechanismId: UP, Action: 'Answer', Answer: 'pw-1' }, { MechanismId: EMAIL, Action: 'StartOOB' }] }),
      advance('cnj-advance-oob-success', { mechanismId: EMAIL, action: 'Answer', answer: '65411274' }),
      whoAmI(),
    );
    const c = f.client();
    await c.start('user@cyberark.com');
    expect(c.step!.mechanisms[0]).to.include({ type: 'password', label: 'Password' });
    expect(c.step!.challenge).to.deep.equal({ index: 1, count: 2 });
    await c.answer('pw-1');
    expectEmailStep(c.step);
    const done = await c.answer('65411274');
    await expectLoggedIn(f, c, done, { username: whoami.User as string, displayName: exampleResult('cnj-advance-oob-success').DisplayName as string });
    expect(f.up.endpoints).to.deep.equal(['StartAuthentication', 'AdvanceAuthentication', 'AdvanceAuthentication', 'WhoAmI']);
  });

  it('a resend is a new StartOOB on the same mechanism', async () => {
    f.up.script(
      start('cnj-start-mfa'),
      advance('cnj-advance-start-oob', { operations: [{ MechanismId: UP, Action: 'Answer', Answer: 'pw-1' }, { MechanismId: EMAIL, Action: 'StartOOB' }] }),
      advance('cnj-advance-start-oob', { mechanismId: EMAIL, action: 'StartOOB' }),
      advance('cnj-advance-oob-success', { mechanismId: EMAIL, action: 'Answer', answer: '11223344' }),
      whoAmI(),
    );
    const c = f.client();
    await c.start('user@cyberark.com');
    await c.answer('pw-1');
    const resent = await c.act('resend');
    expect(resent.status, resent.text).to.equal(200);
    expect(c.step!.message).to.match(/new code/i);
    expectEmailStep(c.step);
    await expectLoggedIn(f, c, await c.answer('11223344'), { username: whoami.User as string });
  });

  it('a failed Poll (advance_failure) ends the login: AUTH_FAILED with the ErrorID, the session cleaned up', async () => {
    f.up.script(
      start('cnj-start-mfa'),
      advance('cnj-advance-start-oob', { operations: [{ MechanismId: UP, Action: 'Answer', Answer: 'pw-1' }, { MechanismId: EMAIL, Action: 'StartOOB' }] }),
      advance('cnj-advance-failure', { mechanismId: EMAIL, action: 'Poll' }),
    );
    const c = f.client();
    await c.start('user@cyberark.com');
    await c.answer('pw-1');
    const failed = await c.poll();
    expectError(failed, 'AUTH_FAILED', 401);
    expect(failed.json.error.details).to.deep.equal({ restart: true, upstreamErrorId: f.up.lastErrorId });
    expect(f.up.endpoints.at(-1)).to.equal('CleanupAuthentication');
    f.up.verify();
    await expectNotLoggedIn(c);
  });
});

describe('CyberArk conformance: password, then e-mail (conjur\'s sequence, multipleOperations: false)', () => {
  const f = useConformance({ provider: { multipleOperations: false } });

  it('Answer → StartNextChallenge, StartOOB → OobPending, Poll until the link is clicked', async () => {
    f.up.script(
      start('cnj-start-mfa'),
      advance('cnj-advance-next-challenge', { mechanismId: UP, action: 'Answer', answer: 'pw-1' }),
      advance('cnj-advance-start-oob', { mechanismId: EMAIL, action: 'StartOOB' }),
      advance('cnj-advance-start-oob', { mechanismId: EMAIL, action: 'Poll' }),
      advance('cnj-advance-oob-success', { mechanismId: EMAIL, action: 'Poll' }),
      whoAmI(),
    );
    const c = f.client();
    await c.start('user@cyberark.com');
    // The e-mail is started on its own once the password was answered (the user asked for nothing else).
    await c.answer('pw-1');
    expectEmailStep(c.step);
    const still = await c.poll();
    expect(still.json.step.kind).to.equal('pending');
    await expectLoggedIn(f, c, await c.poll(), { username: whoami.User as string });
  });
});
