/**
 * Plain, consistent mechanism labels (issue 13 part 3) for every CyberArk mechanism the
 * simulator offers, through the public routes: the label names the channel and where it goes
 * in the one masked format ("•••• 6098", "•••@example.com"), the prompt says what to do, and
 * the tenant's own PromptMechChosen is kept as `upstreamPrompt`. Security questions keep their
 * texts as the questions' `text`.
 */
import { expect } from 'chai';
import type { Mechanism } from '../../lib/index.js';
import { useFixture } from '../support/fixture.js';

const pick = (m: Mechanism) => ({ type: m.type, label: m.label, prompt: m.prompt, ...(m.maskedAddress ? { maskedAddress: m.maskedAddress } : {}) });

describe('CyberArk: plain mechanism labels', () => {
  const f = useFixture();

  it('erin\'s choice: text message, e-mail, notification, authenticator app code, phone call', async () => {
    const client = f.client();
    await client.startWithPassword('erin');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.map(pick)).to.deep.equal([
      { type: 'otp', label: 'Text message to •••• 4417', prompt: 'Enter the code sent by text message to •••• 4417.', maskedAddress: '•••• 4417' },
      { type: 'link', label: 'E-mail to •••@example.com', prompt: 'Enter the code sent to •••@example.com.', maskedAddress: '•••@example.com' },
      { type: 'push', label: 'Notification to your device', prompt: 'Approve the notification sent to your device.' },
      { type: 'otp', label: 'Authenticator app code', prompt: 'Enter the code shown by your authenticator app.' },
      { type: 'phone-call', label: 'Phone call to •••• 4417', prompt: 'Answer the call to •••• 4417.', maskedAddress: '•••• 4417' },
    ]);
    expect(client.step!.mechanisms.map((m) => m.upstreamPrompt)).to.deep.equal([
      'Enter the code sent to your phone',
      'Email sent to ***@example.com. Click the link or manually enter the code to authenticate.',
      'Sent Mobile Authenticator request to your device. Please follow the instructions to proceed with authentication or enter verification code here.',
      'Enter your current OATH verification code',
      'We will now attempt to call your phone (4417). Please follow the instructions to proceed with authentication.',
    ]);
  });

  it('bob: the text message code step names the phone\'s last digits only', async () => {
    const client = f.client();
    await client.startWithPassword('bob');
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms[0]).to.include({ label: 'Text message to •••• 6098', maskedAddress: '•••• 6098', upstreamPrompt: 'Enter the code sent to your phone' });
  });

  it('alice, dave, frank, grace: password, e-mail and security questions, new password, phone call', async () => {
    let client = f.client();
    await client.start('alice');
    expect(pick(client.step!.mechanisms[0]!)).to.deep.equal({ type: 'password', label: 'Password', prompt: 'Enter your password.' });
    expect(client.step!.mechanisms[0]!.upstreamPrompt).to.equal('Enter Password');

    client = f.client();
    await client.startWithPassword('dave');
    expect(client.step!.mechanisms.map((m) => m.label)).to.deep.equal(['E-mail to •••@example.com', 'Security questions']);
    await client.select('question');
    const [sq] = client.step!.mechanisms;
    expect(sq).to.include({ label: 'Security questions', prompt: 'Answer your security questions.', upstreamPrompt: "Answer security question 'What was the name of your first pet?':" });
    expect(sq!.questions!.map((q) => q.text)).to.deep.equal(['What was the name of your first pet?', 'In which town were you born?']);

    client = f.client();
    await client.startWithPassword('frank');
    expect(client.step!.mechanisms[0]).to.include({ type: 'new-password', label: 'New password', prompt: 'Choose a new password.', upstreamPrompt: 'Enter a new password', hint: 'At least 8 characters.' });

    client = f.client();
    await client.start('grace');
    expect(pick(client.step!.mechanisms[0]!)).to.deep.equal({ type: 'phone-call', label: 'Phone call to •••• 0731', prompt: 'Answer the call to •••• 0731.', maskedAddress: '•••• 0731' });
  });
});
