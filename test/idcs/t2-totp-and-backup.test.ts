import { expect } from 'chai';
import { authenticateBodies, ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T2 + T5: password then TOTP, and backup factors ("try another way")', () => {
  const f = useIdcsFixture();

  it('asks for the authenticator code after the password', async () => {
    const client = f.client();
    await client.startWithPassword('ben');
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp', id: 'totp', device: "Ben's iPhone" });
    expect(client.step!.alternatives).to.equal(true);
    const done = await client.answer(f.sim.totpCode('ben'));
    expect(done.json.step.kind).to.equal('done');
    const last = authenticateBodies(f.sim).at(-1) as { authFactor: string; credentials: { otpCode: string } };
    expect(last.authFactor).to.equal('TOTP');
    expect(last.credentials.otpCode).to.match(/^\d{6}$/);
  });

  it('a wrong code can be retried in place (WRONG_ANSWER), with the fresh requestState', async () => {
    const client = f.client();
    await client.startWithPassword('ben');
    const wrong = await client.answer('000000');
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error.code).to.equal('WRONG_ANSWER');
    expect(wrong.json.error.details.upstreamCode).to.match(/^AUTH-/);
    expect(wrong.json.step.kind).to.equal('answer');
    expect((await client.answer(f.sim.totpCode('ben'))).json.step.kind).to.equal('done');
  });

  it('an expired code (AUTH-1105, like a wrong one) is WRONG_ANSWER; a new code (resend) works', async () => {
    const client = f.client();
    await client.startWithPassword('cora');
    f.sim.expireCodes();
    const expired = await client.answer(f.sim.lastCode('cora', 'SMS'));
    expect(expired.json.error.code).to.equal('WRONG_ANSWER');
    expect(expired.json.error.details.upstreamCode).to.equal('AUTH-1105');
    await client.act('resend');
    expect((await client.answer(f.sim.lastCode('cora', 'SMS'))).json.step.kind).to.equal('done');
  });

  it('"try another way" lists the other factors; a bypass code works', async () => {
    const client = f.client();
    await client.startWithPassword('ben');
    const alternatives = await client.act('alternatives');
    expect(alternatives.status).to.equal(200);
    expect(client.step!.kind).to.equal('select');
    const labels = client.step!.mechanisms.map((m) => m.id);
    expect(labels).to.include.members(['email', 'bypasscode', 'security-questions']);
    await client.act('select', { mechanism: 'bypasscode' });
    expect(client.step!.kind).to.equal('answer');
    expect((await client.answer('12345678')).json.step.kind).to.equal('done');
    expect(ops(f.sim)).to.include('getBackupFactors');
    expect(authenticateBodies(f.sim).at(-1)).to.deep.include({ authFactor: 'BYPASSCODE', credentials: { bypassCode: '12345678' } });
  });

  it('security questions as a backup factor', async () => {
    const client = f.client();
    await client.startWithPassword('ben');
    await client.act('alternatives');
    await client.act('select', { mechanism: 'security-questions' });
    const questions = client.step!.mechanisms[0]!.questions!;
    expect(questions.length).to.be.at.least(1);
    const answers = Object.fromEntries(questions.map((q) => [q.id, /pet/i.test(q.text) ? 'Rex' : 'Leeds']));
    expect((await client.answer(answers)).json.step.kind).to.equal('done');
    const sent = authenticateBodies(f.sim).at(-1) as { authFactor: string; credentials: { questions: Array<{ questionId: string; answer: string }> } };
    expect(sent.authFactor).to.equal('SECURITY_QUESTIONS');
    expect(sent.credentials.questions[0]).to.have.keys('questionId', 'answer');
  });

  it('a backup e-mail goes to the device IDCS listed: deviceId on the choice and on the code', async () => {
    const client = f.client();
    await client.startWithPassword('ben');
    await client.act('alternatives');
    const email = client.step!.mechanisms.find((m) => m.id === 'email')!;
    expect(email.maskedAddress).to.equal('•••@example.com');
    expect(email.label).to.equal('E-mail to •••@example.com');
    await client.act('select', { mechanism: 'email' });
    const choice = authenticateBodies(f.sim).at(-1) as { authFactor: string; credentials: { deviceId: string } };
    expect(choice.authFactor).to.equal('EMAIL');
    expect(choice.credentials.deviceId).to.be.a('string').with.length.above(0);
    expect((await client.answer(f.sim.lastCode('ben', 'EMAIL'))).json.step.kind).to.equal('done');
    expect(authenticateBodies(f.sim).at(-1)).to.deep.include({ authFactor: 'EMAIL' });
    expect((authenticateBodies(f.sim).at(-1)!.credentials as { deviceId?: string }).deviceId).to.equal(choice.credentials.deviceId);
  });
});
