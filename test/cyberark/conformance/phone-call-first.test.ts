/**
 * Replay: the phone call (PF, AnswerType StartOob, PartialPhoneNumber "0775") with
 * jetstack-secure's packages: first and then the password
 * (start_authentication_success_multiple_challenges), alone (…_no_up_mechanism), or offered
 * next to the password in one challenge (…_multiple_mechanisms). Nothing rings before the user
 * asks: typing a user name must not call anybody's phone. The OobPending/StartNextChallenge
 * answers are conjur-cli-go's (jetstack has no out-of-band files).
 */
import { expect } from 'chai';
import type { Mechanism } from '../../../lib/index.js';
import { exampleMechanisms, exampleResult } from './cyberark-examples.js';
import { advance, expectLoggedIn, mechanism, start, useConformance } from './harness.js';

const PF = exampleMechanisms('js-start-multiple-challenges', 0)[0]!.MechanismId as string;
const UP = exampleMechanisms('js-start-multiple-challenges', 1)[0]!.MechanismId as string;
const success = exampleResult('js-advance-success');
const user = { username: success.User as string, id: success.UserId as string, displayName: success.DisplayName as string };

function expectPhoneCall(m: Mechanism | undefined): void {
  expect(m).to.include({
    type: 'phone-call', label: 'Phone call to •••• 0775', maskedAddress: '•••• 0775', prompt: 'Answer the call to •••• 0775.',
    upstreamPrompt: 'We will now attempt to call your phone (0000). Please follow the instructions to proceed with authentication.',
  });
}

describe('CyberArk conformance: phone call first', () => {
  const f = useConformance();

  it('offers the call without placing it; once chosen: StartOOB, Poll until answered, then the password', async () => {
    f.up.script(
      start('js-start-multiple-challenges', { user: 'test-multiple-challenges@example.com' }),
      advance('cnj-advance-start-oob', { mechanismId: PF, action: 'StartOOB' }),
      advance('cnj-advance-start-oob', { mechanismId: PF, action: 'Poll' }),
      advance('cnj-advance-next-challenge', { mechanismId: PF, action: 'Poll' }),
      advance('js-advance-success', { mechanismId: UP, action: 'Answer', answer: 'somepassword' }),
    );
    const c = f.client();
    await c.start('test-multiple-challenges@example.com');
    expect(c.step!.kind).to.equal('select');
    expect(c.step!.challenge).to.deep.equal({ index: 1, count: 2 });
    expectPhoneCall(c.step!.mechanisms[0]);
    expect(f.up.endpoints).to.deep.equal(['StartAuthentication']);

    await c.act('select', { mechanism: c.step!.mechanisms[0]!.id });
    expect(c.step!.kind).to.equal('pending');
    expectPhoneCall(c.step!.mechanisms[0]);
    expect(c.step!.mechanisms[0]!.acceptsCode).to.equal(false);
    expect((await c.poll()).json.step.kind).to.equal('pending');
    await c.poll();
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.challenge).to.deep.equal({ index: 2, count: 2 });
    expect(c.step!.mechanisms[0]).to.include({ type: 'password', label: 'Password' });
    await expectLoggedIn(f, c, await c.answer('somepassword'), user);
  });

  it('the call alone (no UP mechanism): offered, placed when chosen, and the login ends when it is answered', async () => {
    f.up.script(
      start('js-start-no-up-mechanism'),
      advance('cnj-advance-start-oob', { mechanismId: PF, action: 'StartOOB' }),
      advance('js-advance-success', { mechanismId: PF, action: 'Poll' }),
    );
    const c = f.client();
    await c.start('noup@example.com');
    expect(c.step!.kind).to.equal('select');
    expectPhoneCall(c.step!.mechanisms[0]);
    await c.select('phone-call');
    await expectLoggedIn(f, c, await c.poll(), user);
  });

  it('password or phone call in one challenge: both offered in plain words; the password is asked for without an upstream call', async () => {
    f.up.script(
      start('js-start-multiple-mechanisms'),
      advance('js-advance-success', { mechanismId: UP, action: 'Answer', answer: 'somepassword' }),
    );
    const c = f.client();
    await c.start('test-multiple-mechanisms@example.com');
    expect(c.step!.kind).to.equal('select');
    expect(c.step!.mechanisms.map((m) => m.label)).to.deep.equal(['Password', 'Phone call to •••• 0775']);
    expectPhoneCall(mechanism(c.step, (m) => m.type === 'phone-call', 'phone call'));
    await c.select('password');
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.alternatives).to.equal(true);
    expect(f.up.endpoints).to.deep.equal(['StartAuthentication']);
    await expectLoggedIn(f, c, await c.answer('somepassword'), user);
  });
});
