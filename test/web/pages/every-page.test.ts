/** Every page kind, step kind and error code renders a complete document with its own heading and message. */
import { expect } from 'chai';
import { ErrorCodes, type ErrorCode } from '../../../lib/errors.js';
import { createPages } from '../../../lib/web/pages/index.js';
import { assetBase, errorLocals, everyPage, startLocals, stepLocals, steps, tags } from './fixtures.js';

describe('built-in pages: every page renders', () => {
  const pages = createPages();
  const render = (locals: Parameters<typeof pages.render>[0]) => pages.render(locals, { assetBase }).html;
  const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

  for (const { name, locals } of everyPage()) {
    it(`${name}: a complete document`, () => {
      const html = render(locals);
      expect(html.startsWith('<!doctype html>\n<html lang="en">')).to.equal(true);
      // "<heading> · <product>", or the heading alone when it is the product name ("Sign in").
      const title = /<title>([^<]+)<\/title>/.exec(html)?.[1];
      expect(title === 'Sign in' || title?.endsWith(' · Sign in'), `title ${title}`).to.equal(true);
      expect(html).to.match(/<main[^>]*>[\s\S]*<\/main>\s*<\/body>\s*<\/html>\s*$/);
      expect(h1(html), 'h1').to.be.a('string').and.not.equal('');
      expect(tags(html, 'link').map((l) => l.href)).to.deep.equal([`${assetBase}${/pages-[0-9a-f]{12}\.css/.exec(html)![0]}`]);
      expect(tags(html, 'script').map((s) => s.src)).to.have.length(1);
    });
  }

  it('each step kind and mechanism shape has its own heading', () => {
    const headings = Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, h1(render(stepLocals(step)))]));
    expect(headings).to.deep.equal({
      'select': 'Verify it’s you',
      'select-enroll': 'Set up a sign-in method',
      'answer-password': 'Enter your password',
      'answer-new-password': 'Choose a new password',
      'answer-new-password-fields': 'Choose a new password',
      'answer-otp': 'Enter your code',
      'answer-otp-polled': 'Enter your code',
      'answer-hardware-code': 'Enter your code',
      'answer-questions': 'Security questions',
      'answer-phone-number': 'Add your phone number',
      'answer-consent': 'Terms of use',
      'answer-totp-enroll': 'Set up your authenticator app',
      'pending-push': 'Waiting for approval',
      'pending-phone-call': 'Answer the call',
      'pending-link': 'Check your e-mail',
      'pending-federated': 'Sign in with your organization',
      'pending-totp-enroll': 'Set up your authenticator app',
      'done': 'Signed in',
      'failed': 'Sign-in failed',
    });
  });

  it('every error code: the error page shows its message in the alert, with its code', () => {
    for (const code of Object.keys(ErrorCodes) as ErrorCode[]) {
      const html = render(errorLocals(code));
      const alert = tags(html, 'div').find((d) => d.role === 'alert');
      expect(alert?.['data-code'], code).to.equal(code);
      expect(html, code).to.include(`>${ErrorCodes[code].message.replace(/'/g, '&#39;')}`);
      expect(h1(html)).to.equal('Something went wrong');
      expect(html).to.include('<a href="/login/">Start again</a>');
    }
  });

  it('every error code as a flash on the start page and on a step page', () => {
    for (const code of Object.keys(ErrorCodes) as ErrorCode[]) {
      const flash = { code, message: ErrorCodes[code].message };
      for (const html of [render(startLocals({ flash })), render(stepLocals(steps['answer-password']!, { flash }))]) {
        const alerts = tags(html, 'div').filter((d) => d.role === 'alert');
        expect(alerts, code).to.have.length(1);
        expect(alerts[0]!['data-code']).to.equal(code);
        expect(alerts[0]!.hidden, code).to.equal(undefined);
      }
    }
  });

  it('a failed step shows its error; done says signed in', () => {
    const failed = render(stepLocals(steps.failed!));
    expect(failed).to.match(/role="alert" data-code="OOB_DENIED">The sign-in request was denied on your device\./);
    expect(failed).to.not.include('Cancel sign-in');
    expect(render(stepLocals(steps.done!))).to.include('You are signed in.');
  });

  it('the start page prefills the user name of the attempt that ended', () => {
    const input = tags(render(startLocals({ username: 'bob' })), 'input').find((i) => i.name === 'username');
    expect(input).to.include({ value: 'bob', autocomplete: 'username', id: 'ms-username' });
  });
});
