/**
 * Replay: optional MFA enrollment with e-mail (Oracle: "Enroll in More Than One Factor",
 * Steps 2-4, then createToken). After the code is verified IDCS answers
 * `{status, nextOp:[createToken,createSession,enrollment]}` without nextAuthFactors; the
 * provider calls createToken (or shows a step that can still finish with it).
 */
import { expect } from 'chai';
import { afterPassword, expectLoggedIn, expectShown, finishAfterEnrollment, get, mechanism, post, useConformance } from './harness.js';

const isEmail = (m: { id: string; label: string }) => /e-?mail/i.test(`${m.id} ${m.label}`);

describe('IDCS conformance: optional enrollment, e-mail', () => {
  const f = useConformance();

  it('offers the factors and "not now"; enrolls e-mail, verifies the code, then createToken', async () => {
    f.up.script(
      ...afterPassword('enroll-list-optional'),
      post('enroll-email-start', { op: 'enrollment', authFactor: 'EMAIL', credentials: [] }),
      post('enroll-email-verified', { op: 'credSubmit', credentials: ['otpCode'], check: (body) => expect(body.credentials).to.deep.equal({ otpCode: '404948' }) }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.some((m) => m.type === 'skip'), 'optional: a way to skip').to.equal(true);
    expect(client.step!.mechanisms.filter((m) => m.type !== 'skip').every((m) => m.enroll)).to.equal(true);
    await client.act('select', { mechanism: mechanism(client.step, (m) => m.enroll === true && isEmail(m), 'enroll e-mail').id });
    expect(client.step!.kind).to.equal('answer');
    const [code] = client.step!.mechanisms;
    expect(code).to.include({ type: 'otp' });
    expectShown(code!, 'joe.smith@example.com');
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.answer('404948')));
  });

  it('"not now" is createToken straight away', async () => {
    f.up.script(
      ...afterPassword('enroll-list-optional'),
      post('skip-enrollment', { op: 'createToken', credentials: [] }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    const skip = mechanism(client.step, (m) => m.type === 'skip', 'skip');
    await expectLoggedIn(f, client, await client.act('select', { mechanism: skip.id }));
  });
});
