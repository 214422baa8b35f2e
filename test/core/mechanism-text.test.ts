/** One masked format per kind of address and plain labels, whatever the upstream sends. */
import { expect } from 'chai';
import { applyPlainText, maskEmail, maskPhone } from '../../lib/mechanism-text.js';
import type { Mechanism } from '../../lib/index.js';

describe('mechanism text: masked addresses and plain labels', () => {
  it('phones: the last digits the upstream shows, at most four', () => {
    expect(maskPhone('XXX-XXX-6098')).to.equal('•••• 6098');
    expect(maskPhone('+14XXXXXX098')).to.equal('•••• 098');
    expect(maskPhone('+1 415 555 6098')).to.equal('•••• 6098');
    expect(maskPhone('…6098')).to.equal('•••• 6098');
    expect(maskPhone("Joe's iPhone")).to.equal(undefined);
  });

  it('e-mail: the domain only, never the local part', () => {
    expect(maskEmail('joeXXXXXXXXX@example.com')).to.equal('•••@example.com');
    expect(maskEmail('o***@Example.COM')).to.equal('•••@example.com');
    expect(maskEmail('example.com')).to.equal('•••@example.com');
    expect(maskEmail('Email... @example.com')).to.equal('•••@example.com');
    expect(maskEmail('not an address')).to.equal(undefined);
  });

  it('labels and prompts name the channel and where it goes; the upstream wording is kept aside', () => {
    const view: Mechanism = { id: 'm', type: 'otp', label: 'SMS', prompt: '' };
    applyPlainText(view, 'sms', { address: 'XXX-XXX-6098' }, 'Enter OTP sent to XXX-XXX-6098');
    expect(view).to.include({ label: 'Text message to •••• 6098', maskedAddress: '•••• 6098', upstreamPrompt: 'Enter OTP sent to XXX-XXX-6098' });
    expect(view.prompt).to.equal('Enter the code sent by text message to •••• 6098.');
    const push: Mechanism = { id: 'p', type: 'push', label: '', prompt: '' };
    applyPlainText(push, 'push', { device: "Joe's iPhone" });
    expect(push).to.include({ label: "Notification to Joe's iPhone", device: "Joe's iPhone" });
    expect(push).to.not.have.property('maskedAddress');
    const password: Mechanism = { id: 'up', type: 'password', label: 'UP', prompt: '' };
    applyPlainText(password, 'password');
    expect(password.label).to.equal('Password');
  });
});
