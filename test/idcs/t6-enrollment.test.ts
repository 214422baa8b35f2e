import { expect } from 'chai';
import { ops, useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS T6: enrollment', () => {
  const f = useIdcsFixture();

  it('required: TOTP with the QR code and secret shown, proved with a code', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    expect(client.step!.kind).to.equal('select');
    const ids = client.step!.mechanisms.map((m) => m.id);
    expect(ids).to.include.members(['enroll-totp', 'enroll-sms', 'enroll-email']);
    expect(ids).to.not.include('skip');
    expect(client.step!.mechanisms.every((m) => m.enroll)).to.equal(true);
    await client.act('select', { mechanism: 'enroll-totp' });
    const [totp] = client.step!.mechanisms;
    expect(totp!.qrCode).to.match(/^data:image\/(png|svg\+xml);base64,/);
    expect(totp!.secret).to.match(/^[A-Z2-7=]+$/i);
    expect((await client.answer(f.sim.totpCode('gus'))).json.step.kind).to.equal('done');
    expect(f.sim.enrolledFactors('gus')).to.include('TOTP');
  });

  it('required: SMS takes a phone number, then the code sent to it', async () => {
    const client = f.client();
    await client.startWithPassword('gus');
    await client.act('select', { mechanism: 'enroll-sms' });
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]!.fields!.map((x) => x.id)).to.deep.equal(['countryCode', 'phoneNumber']);
    await client.answer({ countryCode: '+44', phoneNumber: '7700900123' });
    expect(client.step!.mechanisms[0]!.type).to.equal('otp');
    expect((await client.answer(f.sim.lastCode('gus', 'SMS'))).json.step.kind).to.equal('done');
    const enrollment = f.sim.requests.find((r) => (r.body as { op?: string } | undefined)?.op === 'enrollment')!.body as { credentials: Record<string, string> };
    expect(enrollment.credentials).to.deep.equal({ countryCode: '+44', phoneNumber: '7700900123' });
  });

  it('optional: "Not now" skips it with createToken', async () => {
    const client = f.client();
    await client.startWithPassword('hal');
    expect(client.step!.mechanisms.map((m) => m.id)).to.include('skip');
    await client.act('select', { mechanism: 'skip' });
    expect(client.last!.json.step.kind).to.equal('done');
    expect(ops(f.sim)).to.include('createToken');
  });
});
