import { expect } from 'chai';
import { authenticateBodies, ops, useIdcsFixture } from '../support/idcs-fixture.js';
import { sleep } from '../support/sim-fixture.js';

describe('IDCS T6: enrollment', () => {
  const f = useIdcsFixture();

  it('required: the choices are the factors IDCS lists, all enrollments, no "Not now"', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    expect(client.step!.kind).to.equal('select');
    const ids = client.step!.mechanisms.map((m) => m.id);
    expect(ids).to.include.members(['enroll-totp', 'enroll-sms', 'enroll-email', 'enroll-push', 'enroll-security-questions']);
    expect(ids).to.not.include('skip');
    expect(client.step!.mechanisms.every((m) => m.enroll)).to.equal(true);
  });

  it('required, online TOTP (the default): QR code, the page waits for the app, then createToken finishes the login', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    await client.act('select', { mechanism: 'enroll-totp' });
    expect(authenticateBodies(f.sim).at(-1)).to.deep.include({ op: 'enrollment', authFactor: 'TOTP' });
    expect(client.step!.kind).to.equal('pending');
    const [totp] = client.step!.mechanisms;
    expect(totp!.qrCode).to.match(/^data:image\/png;base64,/);
    expect(totp).to.not.have.property('secret'); // Oracle Mobile Authenticator's content carries no key to type
    expect((await client.act('poll')).json.step.kind).to.equal('pending'); // AUTH-1109: not verified yet
    expect(f.sim.scanEnrollment('gus')).to.equal(true);
    await sleep(30); // the poll interval the test app hints
    const done = await client.act('poll');
    expect(done.json.step.kind).to.equal('done');
    expect(ops(f.sim).slice(-2)).to.deep.equal(['credSubmit', 'createToken']);
    expect(f.sim.enrolledFactors('gus')).to.include('TOTP');
    expect((await client.me()).user.username).to.equal('gus');
  });

  it('required: SMS takes the phone number, then the code sent to it', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    await client.act('select', { mechanism: 'enroll-sms' });
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]!.fields!.map((x) => x.id)).to.deep.equal(['phoneNumber']);
    await client.answer({ phoneNumber: '15555555555' });
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp', enroll: true, resendable: true });
    expect(client.step!.mechanisms[0]!.maskedAddress).to.equal('•••• 555'); // Oracle shows 155XXXXX555
    expect((await client.answer(f.sim.lastCode('gus', 'SMS'))).json.step.kind).to.equal('done');
    const enrollment = authenticateBodies(f.sim).find((b) => b.op === 'enrollment')!;
    expect(enrollment).to.deep.include({ authFactor: 'SMS', credentials: { phoneNumber: '15555555555' } });
    expect(authenticateBodies(f.sim).at(-1)!.op).to.equal('createToken');
  });

  it('required: security questions, as many as IDCS asks to set up', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    await client.act('select', { mechanism: 'enroll-security-questions' });
    const [m] = client.step!.mechanisms;
    expect(m!.type).to.equal('question');
    const answers = Object.fromEntries(m!.questions!.map((q, i) => [q.id, `answer number ${i + 1}`]));
    expect((await client.answer(answers)).json.step.kind).to.equal('done');
    const sent = authenticateBodies(f.sim).find((b) => b.op === 'credSubmit' && (b.credentials as { questions?: unknown }).questions)!;
    expect(sent).to.not.have.property('authFactor'); // as Oracle's sample client sends it
    expect((sent.credentials as { questions: unknown[] }).questions).to.have.length(m!.questions!.length);
  });

  it('optional: e-mail, then the login finishes', async () => {
    const client = f.client();
    await client.startWithPassword('hal');
    expect(client.step!.mechanisms.map((m) => m.id)).to.include.members(['enroll-email', 'skip']);
    await client.act('select', { mechanism: 'enroll-email' });
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]!.maskedAddress).to.equal('•••@example.com');
    const done = await client.answer(f.sim.lastCode('hal', 'EMAIL'));
    expect(done.json.step.kind).to.equal('done');
    expect(ops(f.sim).slice(-3)).to.deep.equal(['enrollment', 'credSubmit', 'createToken']);
    expect(f.sim.enrolledFactors('hal')).to.include('EMAIL');
  });

  it('optional: push, approved in the app, then the login finishes', async () => {
    const client = f.client();
    await client.startWithPassword('hal');
    await client.act('select', { mechanism: 'enroll-push' });
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]!.qrCode).to.match(/^data:image\//);
    f.sim.scanEnrollment('hal');
    expect((await client.act('poll')).json.step.kind).to.equal('done');
  });

  it('optional: "Not now" skips it with createToken', async () => {
    const client = f.client();
    await client.startWithPassword('hal');
    await client.act('select', { mechanism: 'skip' });
    expect(client.last!.json.step.kind).to.equal('done');
    expect(ops(f.sim)).to.include('createToken');
  });
});

describe('IDCS T6: offline TOTP enrollment (totpEnrollment: "offline")', () => {
  const f = useIdcsFixture({ provider: { totpEnrollment: 'offline' } });

  it('sends offlineTotp, shows the QR code and the key from qrCode.content, and is proved with a code', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    await client.act('select', { mechanism: 'enroll-totp' });
    expect(authenticateBodies(f.sim).at(-1)).to.deep.include({ op: 'enrollment', authFactor: 'TOTP', credentials: { offlineTotp: true } });
    expect(client.step!.kind).to.equal('answer');
    const [totp] = client.step!.mechanisms;
    expect(totp!.qrCode).to.match(/^data:image\/png;base64,/);
    expect(totp!.secret).to.match(/^[A-Z2-7]+=*$/);
    const wrong = await client.answer('000000');
    expect(wrong.json.error.code).to.equal('WRONG_ANSWER');
    expect((await client.answer(f.sim.totpCode('gus'))).json.step.kind).to.equal('done');
    expect(f.sim.enrolledFactors('gus')).to.include('TOTP');
  });
});
