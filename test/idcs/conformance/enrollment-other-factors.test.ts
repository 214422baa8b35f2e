/**
 * Replay: the other enrollments Oracle shows: required enrollment (no skip), SMS with the
 * phone number, the authenticator app online (oraclemobileauthenticator:// QR code, the app
 * registers itself: pending AUTH-1109 until verified) and offline (otpauth:// QR code with the
 * secret, `offlineTotp: true` as Oracle's sample client sends), push, security questions, and
 * a createToken that answers "enrollment still required" instead of a token.
 */
import { expect } from 'chai';
import { exampleBody, type JsonObject } from './oracle-examples.js';
import { afterPassword, expectLoggedIn, expectShown, finishAfterEnrollment, get, mechanism, post, useConformance, type Conformance } from './harness.js';

const named = (pattern: RegExp, type?: string) => (m: { id: string; label: string; enroll?: boolean; type: string }) =>
  m.enroll === true && pattern.test(`${m.id} ${m.label}`) && (type === undefined || m.type === type);
const qrOf = (fixture: string, factor: string) => ((exampleBody(fixture)[factor] as JsonObject).qrCode as JsonObject);
const password = () => post('enroll-list-optional', { op: 'credSubmit', credentials: ['username', 'password'] });

async function toEnrollmentChoice(f: Conformance) {
  const client = f.client();
  await client.start('admin@oracle.com');
  await client.answer('pw');
  expect(client.step!.kind).to.equal('select');
  return client;
}

describe('IDCS conformance: required enrollment, SMS, online TOTP, push, security questions', () => {
  const f = useConformance();

  it('required: no way to skip; e-mail enrolled, verified, createToken', async () => {
    f.up.script(
      ...afterPassword('enroll-list-required'),
      post('enroll-email-start-required', { op: 'enrollment', authFactor: 'EMAIL', credentials: [] }),
      post('enroll-email-verified', { op: 'credSubmit', credentials: ['otpCode'] }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    expect(client.step!.mechanisms.map((m) => m.type)).to.not.include('skip');
    await client.act('select', { mechanism: mechanism(client.step, named(/e-?mail/i), 'enroll e-mail').id });
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.answer('091804')));
  });

  it('SMS: asks for the fields Oracle lists (phoneNumber), enrolls it, verifies the code, then createToken', async () => {
    f.up.script(
      get('start-password'), password(),
      post('enroll-sms-start', { op: 'enrollment', authFactor: 'SMS', credentials: ['phoneNumber'], check: (body) => expect(body.credentials).to.deep.equal({ phoneNumber: '15555555555' }) }),
      post('enroll-sms-verified', { op: 'credSubmit', credentials: ['otpCode'] }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    await client.act('select', { mechanism: mechanism(client.step, named(/sms|text/i), 'enroll SMS').id });
    const [phone] = client.step!.mechanisms;
    expect(phone!.type).to.equal('phone-number');
    expect(phone!.fields!.map((x) => x.id)).to.deep.equal(['phoneNumber']);
    await client.answer({ phoneNumber: '15555555555' });
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });
    expectShown(client.step!.mechanisms[0]!, '155XXXXX555');
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.answer('290850')));
  });

  it('online TOTP: shows the QR image, waits while AUTH-1109 is pending, then createToken', async () => {
    const qr = qrOf('enroll-totp-online-start', 'TOTP');
    f.up.script(
      get('start-password'), password(),
      post('enroll-totp-online-start', { op: 'enrollment', authFactor: 'TOTP', credentials: [] }),
      post('enroll-totp-pending', { op: 'credSubmit', credentials: [] }),
      post('enroll-totp-online-verified', { op: 'credSubmit', credentials: [] }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    await client.act('select', { mechanism: mechanism(client.step, named(/totp|authenticator/i, 'otp'), 'enroll TOTP').id });
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]!.qrCode).to.equal(`data:image/png;base64,${qr.imageData as string}`);
    expect((await client.poll()).json.step.kind).to.equal('pending');
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.poll()));
  });

  it('push: shows the QR image, waits while AUTH-1108 is pending, then createToken', async () => {
    f.up.script(
      get('start-password'), password(),
      post('enroll-push-start', { op: 'enrollment', authFactor: 'PUSH', credentials: [] }),
      post('enroll-push-pending', { op: 'credSubmit' }),
      post('enroll-push-verified', { op: 'credSubmit' }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    await client.act('select', { mechanism: mechanism(client.step, named(/push|notification/i), 'enroll push').id });
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]!.qrCode).to.match(/^data:image\/png;base64,/);
    expect((await client.poll()).json.step.kind).to.equal('pending');
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.poll()));
  });

  it('security questions: asks numQuestionsToSetup questions and sends questionId + answer for each', async () => {
    const offered = ((exampleBody('enroll-sq-start').SECURITY_QUESTIONS as JsonObject).questions as JsonObject[]).map((q) => q.questionId);
    f.up.script(
      get('start-password'), password(),
      post('enroll-sq-start', { op: 'enrollment', authFactor: 'SECURITY_QUESTIONS', credentials: [] }),
      post('enroll-sq-verified', {
        op: 'credSubmit', credentials: ['questions'],
        check: (body) => {
          const questions = (body.credentials as { questions: Array<Record<string, string>> }).questions;
          expect(questions).to.have.length(3);
          for (const q of questions) {
            expect(offered).to.include(q.questionId);
            expect(Object.keys(q).filter((k) => k !== 'hint').sort()).to.deep.equal(['answer', 'questionId']);
          }
          expect(new Set(questions.map((q) => q.questionId)).size).to.equal(3);
        },
      }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    await client.act('select', { mechanism: mechanism(client.step, named(/question/i), 'enroll security questions').id });
    const [sq] = client.step!.mechanisms;
    expect(sq!.type).to.equal('question');
    expect(sq!.questions).to.have.length(3);
    const answers = Object.fromEntries(sq!.questions!.map((q, i) => [q.id, `long-enough-answer-${i}`]));
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.answer(answers)));
  });

  it('createToken answering "enrollment still required" shows the enrollment choice again', async () => {
    f.up.script(
      get('start-password'), password(),
      post('enroll-email-start', { op: 'enrollment', authFactor: 'EMAIL', credentials: [] }),
      post('enroll-email-verified', { op: 'credSubmit', credentials: ['otpCode'] }),
      post('create-token-enrollment-still-required', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    await client.act('select', { mechanism: mechanism(client.step, named(/e-?mail/i), 'enroll e-mail').id });
    let res = await client.answer('404948');
    if (f.up.pending > 0) res = await finishAfterEnrollment(client, res); // a "continue" step came first
    expect(res.status, res.text).to.equal(200);
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.length).to.be.above(0);
    expect(client.step!.mechanisms.every((m) => m.enroll === true), 'only enrollments').to.equal(true);
    f.up.verify();
  });
});

describe('IDCS conformance: offline TOTP enrollment (totpEnrollment: "offline")', () => {
  const f = useConformance({ provider: { totpEnrollment: 'offline' } });

  it('sends offlineTotp: true, shows the QR image and the secret, proves it with a code, then createToken', async () => {
    const qr = qrOf('enroll-totp-offline-start', 'TOTP');
    f.up.script(
      get('start-password'), password(),
      post('enroll-totp-offline-start', { op: 'enrollment', authFactor: 'TOTP', credentials: ['offlineTotp'], check: (body) => expect(body.credentials).to.deep.equal({ offlineTotp: true }) }),
      post('enroll-totp-offline-verified', { op: 'credSubmit', credentials: ['otpCode'], check: (body) => expect(body.credentials).to.deep.equal({ otpCode: '660928' }) }),
      post('create-token', { op: 'createToken', credentials: [] }),
    );
    const client = await toEnrollmentChoice(f);
    await client.act('select', { mechanism: mechanism(client.step, named(/totp|authenticator/i, 'otp'), 'enroll TOTP').id });
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp', secret: 'G7CQBK3EQOHUHT4IKO5COINDPQ', qrCode: `data:image/png;base64,${qr.imageData as string}` });
    await expectLoggedIn(f, client, await finishAfterEnrollment(client, await client.answer('660928')));
  });
});
