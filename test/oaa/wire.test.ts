/** The tolerant reader of OAA answers and the factor labels, without HTTP. */
import { expect } from 'chai';
import { factorView } from '../../lib/providers/oaa/factors.js';
import { fieldNames, fieldNamesOf, readResponse, statusValues, type ReadResult } from '../../lib/providers/oaa/wire.js';

const names = fieldNames();
const values = statusValues();
const read = (body: unknown): ReadResult => readResponse(body, names, values);
const ok = (body: unknown) => {
  const result = read(body);
  if (!result.ok) throw new Error(`unreadable: ${JSON.stringify(result.unreadable)}`);
  return result.response;
};

describe('OAA answers, read tolerantly (every name UNVERIFIED)', () => {
  it('finds the status in statusInfo, at the top level, or in any object (the status object\'s name is unknown)', () => {
    expect(ok({ statusInfo: { status: 'pending verification' } }).status).to.equal('pending verification');
    expect(ok({ status: 'PENDING_VERIFICATION' }).status).to.equal('pending verification');
    expect(ok({ authnStatus: { code: 'X', status: 'Missing-Registration' } }).status).to.equal('missing registration');
    expect(ok({ StatusInfo: { Status: 'Authenticated' } }).status).to.equal('authenticated'); // keys case-insensitive
    expect(ok({ status: { status: 'challenge blocked' } }).status).to.equal('challenge blocked');
  });

  it('a status in no list, or none at all, is unreadable, with the names seen and where the status was', () => {
    expect(read({ statusInfo: { status: 'in progress' }, correlationId: 'c' })).to.deep.equal({
      ok: false, unreadable: { reason: 'unknown status', fields: ['statusInfo', 'statusInfo.status', 'correlationId'], statusField: 'statusInfo.status' },
    });
    expect(read({ correlationId: 'c', nonce: 'n' })).to.deep.include({ ok: false });
    expect((read({ correlationId: 'c' }) as { unreadable: { reason: string } }).unreadable.reason).to.equal('no status');
    expect((read(null) as { unreadable: { reason: string } }).unreadable.reason).to.equal('not a JSON object');
    expect(read({ statusInfo: { status: '' } })).to.deep.include({ ok: false });
  });

  it('ORA-40004 alone (code, or leading the message) means authenticated; another code does not', () => {
    expect(ok({ statusInfo: { code: 'ORA-40004' } }).status).to.equal('authenticated');
    expect(ok({ code: 'ora-40004' }).status).to.equal('authenticated');
    expect(ok({ message: 'ORA-40004 Authenticated' }).status).to.equal('authenticated');
    expect(read({ code: 'ORA-40001' })).to.deep.include({ ok: false });
    // A status that is present wins: an unknown one is not rescued by the code.
    expect(read({ statusInfo: { status: 'weird', code: 'ORA-40004' } })).to.deep.include({ ok: false });
  });

  it('configured names and spellings come first, the documented ones still work', () => {
    const mine = readResponse({ result: { state: 'SENT' }, ref: 'c-1', list: [{ kind: 'ChallengeSMS' }] },
      fieldNames({ status: ['result.state'], correlationId: ['ref'], challenges: ['list'], challengeType: ['kind'] }),
      statusValues({ pendingVerification: ['sent'] }));
    expect(mine).to.deep.include({ ok: true });
    expect((mine as { response: unknown }).response).to.deep.include({ status: 'pending verification', correlationId: 'c-1', challenges: [{ factorKey: 'ChallengeSMS', attributes: {} }] });
  });

  it('reads challenge entries: factor key candidates, prompts as strings or Prompt objects, attribute maps as objects or entry arrays', () => {
    const response = ok({
      statusInfo: { status: 'pending identification' },
      challengeInfo: [
        { challengeType: 'ChallengeEmail', prompts: ['Enter OTP sent to o***@example.com.'], challengeAttrMap: { email: 'o***@example.com' } },
        { FactorKey: 'ChallengeSMS', prompts: [{ text: 'Enter OTP sent to ***-***-1234.' }], challengeAttrMap: [{ name: 'phone', value: '***-***-1234' }] },
        { factorName: 'ChallengeOMAPUSH', attributes: [{ key: 'DeviceName', value: "Rosa's iPhone" }] },
        { prompts: ['no factor key'] },
        'not an object',
      ],
    });
    expect(response.challengeEntries).to.equal(4);
    expect(response.challenges).to.deep.equal([
      { factorKey: 'ChallengeEmail', prompt: 'Enter OTP sent to o***@example.com.', attributes: { email: 'o***@example.com' } },
      { factorKey: 'ChallengeSMS', prompt: 'Enter OTP sent to ***-***-1234.', attributes: { phone: '***-***-1234' } },
      { factorKey: 'ChallengeOMAPUSH', attributes: { DeviceName: "Rosa's iPhone" } },
    ]);
  });

  it('logs names only: two levels deep, array entries as [], keys that look like values as ?', () => {
    expect(fieldNamesOf({
      correlationId: 'secret-id', statusInfo: { status: 'x', deeper: { hidden: 1 } },
      challengeInfo: [{ challengeType: 'ChallengeEmail', challengeAttrMap: { email: 'o***@example.com' } }],
      'olga@example.com': true, '123e4567-e89b-12d3-a456-426614174000': 1,
    })).to.deep.equal([
      'correlationId', 'statusInfo', 'statusInfo.status', 'statusInfo.deeper', 'challengeInfo',
      'challengeInfo[].challengeType', 'challengeInfo[].challengeAttrMap', '?',
    ]);
  });
});

describe('OAA factor labels (lib/mechanism-text.ts)', () => {
  const view = (factorKey: string, attributes: Record<string, string> = {}, prompt?: string) =>
    factorView({ factorKey, attributes, ...(prompt ? { prompt } : {}) }, names).view;

  it('maps every factor key to its channel: plain label, one masked format, OAA\'s prompt as upstreamPrompt', () => {
    expect(view('ChallengeEmail', { email: 'o***@example.com' }, 'Enter OTP sent to o***@example.com.')).to.deep.equal({
      id: 'email', type: 'otp', label: 'E-mail to •••@example.com', prompt: 'Enter the code sent to •••@example.com.',
      maskedAddress: '•••@example.com', upstreamPrompt: 'Enter OTP sent to o***@example.com.',
    });
    expect(view('ChallengeSMS', { mobile: '+1XXXXXX6098' })).to.include({ label: 'Text message to •••• 6098', maskedAddress: '•••• 6098' });
    expect(view('ChallengeOMATOTP')).to.include({ id: 'omatotp', type: 'otp', label: 'Authenticator app code' });
    expect(view('ChallengeYOTP')).to.include({ id: 'yotp', type: 'otp', label: 'Security key code' });
    expect(view('ChallengeYubicoOTP')).to.include({ id: 'yubicootp', type: 'otp', label: 'Security key code' });
    expect(view('ChallengeOMAPUSH', { deviceName: "Rosa's iPhone" })).to.include({ type: 'push', label: "Notification to Rosa's iPhone", device: "Rosa's iPhone" });
    expect(view('ChallengeOMAPUSHNUMBER')).to.include({ type: 'push', label: 'Notification to your device' });
    expect(view('ChallengeFIDO2')).to.include({ type: 'unsupported', label: 'Security key' });
    expect(view('ChallengeOMAFIDOPUSH')).to.include({ type: 'unsupported', label: 'Security key' });
  });

  it('an address it cannot mask is not shown; an unknown factor keeps its own name and prompt', () => {
    const email = view('ChallengeEmail', { email: 'o***' });
    expect(email).to.not.have.property('maskedAddress');
    expect(email.label).to.equal('E-mail');
    expect(view('ChallengeVoice', {}, 'We will call you')).to.deep.equal({ id: 'voice', type: 'unsupported', label: 'Voice', prompt: 'We will call you' });
  });
});
