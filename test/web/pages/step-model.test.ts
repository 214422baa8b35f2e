/**
 * The pages render by the step model's documented rules, never by provider: an answer step is
 * a form (polled quietly when it has `pollAfterMs`), a pending step waits (with a code form when
 * `acceptsCode`), `resendable`, `matchNumber`, `alternatives`, unavailable mechanisms, and the
 * fields each form posts.
 */
import { expect } from 'chai';
import { createPages } from '../../../lib/web/pages/index.js';
import { assetBase, stepLocals, steps, tags, textOf, withoutNoscript } from './fixtures.js';

describe('built-in pages: rendering by the step model', () => {
  const pages = createPages();
  const render = (name: string, extra: Parameters<typeof stepLocals>[1] = {}) => pages.render(stepLocals(steps[name]!, extra), { assetBase }).html;
  const forms = (html: string) => [...withoutNoscript(html).matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)].map(([, open, body]) => ({
    action: tags(`<form${open}>`, 'form')[0]!.action, fields: tags(body!, '(?:input|button)').map((i) => i.name).filter(Boolean),
  }));

  it('an answer step is a form; with pollAfterMs it also polls, quietly (no spinner, no waiting text)', () => {
    const plain = render('answer-otp');
    expect(plain).to.not.include('id="ms-poll"');
    const polled = render('answer-otp-polled');
    const box = tags(polled, 'div').find((d) => d.id === 'ms-poll')!;
    expect(box).to.include({ 'data-quiet': 'true', 'data-poll': '/login/poll', 'data-kind': 'answer', 'data-sequence': '3', 'data-interval': '3000', 'data-tx': 'tx-1' });
    expect('hidden' in box).to.equal(true);
    expect(polled).to.not.include('ms-spinner');
    expect(polled).to.not.include('role="status"');
    expect(polled.replace(/<[^>]*>/g, '')).to.not.match(/waiting/i);
    expect(tags(polled, 'input').find((i) => i.name === 'answer')).to.include({ autocomplete: 'one-time-code', autofocus: '' });
  });

  it('a pending step waits and polls; with acceptsCode it also takes the code ("Or enter the code")', () => {
    const html = render('pending-push');
    expect(tags(html, 'div').find((d) => d.id === 'ms-poll')).to.include({ 'data-kind': 'pending', 'data-interval': '2000' });
    expect(html).to.include('ms-spinner');
    expect(html).to.include('<h2>Or enter the code</h2>');
    expect(html).to.include('<p class="ms-match">42</p>');
    const call = render('pending-phone-call');
    expect(call).to.include('Waiting for you to answer the call…');
    expect(call).to.not.include('name="answer"');
    // Without JavaScript, a button asks once.
    expect(/<noscript>[\s\S]*action="\/login\/poll"[\s\S]*<\/noscript>/.test(html)).to.equal(true);
  });

  it('the federated sign-in (a link with a url, and a PIN) has its own heading, link and PIN field', () => {
    const html = render('pending-federated');
    expect(html).to.include('<h1>Sign in with your organization</h1>');
    expect(tags(html, 'a').find((a) => a.target === '_blank')).to.deep.include({ href: 'https://idp.example.com/sso?x=1&y=2', rel: 'noopener noreferrer' });
    expect(html).to.include('>PIN shown after you sign in</label>');
    expect(html).to.not.include('Or enter the code');
    expect(html).to.include('Waiting for you to sign in…');
  });

  it('an authenticator app being set up: the QR code and the key, waiting for the app', () => {
    const html = render('pending-totp-enroll');
    expect(tags(html, 'img').find((i) => i.src?.startsWith('data:'))).to.include({ alt: 'QR code to scan with your authenticator app' });
    expect(textOf(html, 'ms-secret')).to.equal('JBSW Y3DP EHPK 3PXP');
    expect(html).to.include('Waiting for your authenticator app…');
  });

  it('resendable: a resend form the script posts; alternatives: "Try another way"; both post tx and sequence', () => {
    const html = render('answer-otp');
    expect(forms(html)).to.deep.equal([
      { action: '/login/answer', fields: ['tx', '_csrf', 'sequence', 'mechanism', 'answer', 'rememberDevice'] },
      { action: '/login/resend', fields: ['tx', '_csrf', 'sequence', 'mechanism'] },
      { action: '/login/alternatives', fields: ['tx', '_csrf', 'sequence'] },
      { action: '/login/cancel', fields: ['tx', '_csrf'] },
    ]);
    expect(tags(html, 'form').find((f) => f.action === '/login/resend')).to.include({ 'data-ms-resend': '', 'data-step': '/login/step?tx=tx-1', 'data-start': '/login/' });
    expect(html).to.include('Remember this device for 30 days');
  });

  it('the CSRF field is named as the router says', () => {
    const html = render('answer-password', { csrfField: 'authenticity_token', csrfToken: 't0k' });
    expect(html).to.include('<input type="hidden" name="authenticity_token" value="t0k">');
    expect(html).to.not.include('name="_csrf"');
    expect(tags(render('pending-push', { csrfField: 'authenticity_token' }), 'div').find((d) => d.id === 'ms-poll')).to.include({ 'data-csrf-field': 'authenticity_token' });
  });

  it('select: a button per mechanism; unavailable ones disabled with the reason; the FIDO2 hint only for a security key', () => {
    const html = render('select');
    const buttons = [...html.matchAll(/<button type="submit" class="ms-choice"([^>]*)>([\s\S]*?)<\/button>/g)].map(([, a, text]) => ({
      disabled: /\bdisabled\b/.test(a!), text: text!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(),
    }));
    expect(buttons).to.deep.equal([
      { disabled: false, text: 'Text message to •••• 6098' },
      { disabled: false, text: 'Notification to Joe’s phone' },
      { disabled: true, text: 'Security key Not available here: security keys (FIDO2) cannot be used on this page' },
      { disabled: true, text: 'Text message to •••• 1111 Not available here: locked after too many attempts' },
      { disabled: true, text: 'Smart card Not available here' },
    ]);
    expect(html.match(/FIDO2/g)).to.have.length(1);
  });

  it('enrollment choices say "Set up …"; a skip mechanism is "Not now" with its prompt as description', () => {
    const html = render('select-enroll');
    expect(html).to.include('>Set up Authenticator app</button>');
    expect(html).to.include('>Set up Text message (SMS)</button>');
    expect(html).to.match(/<button type="submit" class="ms-secondary" name="mechanism" value="skip" aria-describedby="ms-skip-0">Not now<\/button>/);
    expect(textOf(html, 'ms-skip-0')).to.equal('You can set one up later.');
  });

  it('a denied push says it was denied', () => {
    expect(render('failed')).to.include('The sign-in request was denied on your device.');
    const flash = { code: 'OOB_DENIED' as const, message: 'The sign-in request was denied on your device.' };
    expect(pages.render(stepLocals(steps['select']!, { flash }), { assetBase }).html).to.include('data-code="OOB_DENIED">The sign-in request was denied on your device.');
  });

  it('a hardware key code takes letters (no numeric keypad); other codes are numeric', () => {
    expect(tags(render('answer-hardware-code'), 'input').find((i) => i.name === 'answer')).to.include({ inputmode: 'text' });
    expect(tags(render('answer-otp'), 'input').find((i) => i.name === 'answer')).to.include({ inputmode: 'numeric' });
  });

  it('questions post answer[<id>]; phone number fields answer[<field>]; consent answer=accept|decline', () => {
    expect(forms(render('answer-questions'))[0]!.fields).to.include.members(['answer[pet]', 'answer[town]']);
    expect(forms(render('answer-phone-number'))[0]!.fields).to.include.members(['answer[countryCode]', 'answer[phoneNumber]']);
    const consent = render('answer-consent');
    expect(consent).to.match(/name="answer" value="decline">Decline<\/button>/);
    expect(consent).to.match(/name="answer" value="accept" aria-describedby="ms-terms" autofocus>I accept<\/button>/);
  });

  it('a new password with fields: the password and each detail posted as answer[<id>], with autofill hints', () => {
    const html = render('answer-new-password-fields');
    const inputs = tags(html, 'input').filter((i) => i.name?.startsWith('answer'));
    expect(inputs.map((i) => i.name)).to.deep.equal(['answer[newPassword]', 'answer[given_name]', 'answer[email]']);
    expect(inputs[0]).to.include({ type: 'password', autocomplete: 'new-password' });
    expect(inputs[1]).to.include({ type: 'text', autocomplete: 'given-name' });
    expect(inputs[2]).to.include({ type: 'email', autocomplete: 'off' });
    expect('autofocus' in inputs[0]! && !('autofocus' in inputs[1]!)).to.equal(true);
    expect(html).to.include('<label for="ms-field-0">First name</label>');
    // Without fields, the single password is posted as answer.
    expect(tags(render('answer-new-password'), 'input').filter((i) => i.name?.startsWith('answer')).map((i) => i.name)).to.deep.equal(['answer']);
  });

  it('a step message is a status; the challenge position is shown', () => {
    expect(render('answer-new-password')).to.include('<p class="ms-note" role="status">Your password has expired.</p>');
    expect(render('select')).to.include('Signing in as <strong>bob</strong> · Step 2 of 2');
  });
});
