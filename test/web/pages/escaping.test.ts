/**
 * Hostile strings from the upstream (labels, prompts, questions, messages), the user (the user
 * name) and the app's strings are shown as text: never as markup, never as a script or a link
 * the page did not mean.
 */
import { expect } from 'chai';
import type { Mechanism } from '../../../lib/step.js';
import { createPages } from '../../../lib/web/pages/index.js';
import { assetBase, everyPage, startLocals, stepLocals, tags } from './fixtures.js';

const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>&';
const escaped = '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;';

describe('built-in pages: escaping', () => {
  const pages = createPages();
  const render = (locals: Parameters<typeof pages.render>[0]) => pages.render(locals, { assetBase }).html;
  const hostile = (m: Partial<Mechanism>): Mechanism => ({
    id: evil, type: 'otp', label: evil, prompt: evil, maskedAddress: evil, device: evil, upstreamPrompt: evil, hint: evil, secret: evil, ...m,
  });
  /** No markup of `evil` survived: no script, no img, no attribute broken out of. */
  const clean = (html: string) => {
    expect(html).to.not.include('<script>');
    expect(html).to.not.include('<img src=x');
    expect(html).to.not.match(/onerror=alert\(2\)>/);
    expect(tags(html, 'script').every((s) => s.src?.startsWith(assetBase))).to.equal(true);
  };

  it('in mechanism labels, prompts, addresses, device names, hints and ids, for every step kind', () => {
    const steps = [
      { kind: 'select' as const, mechanisms: [hostile({}), hostile({ type: 'unsupported' }), hostile({ type: 'skip' }), hostile({ enroll: true })] },
      ...(['password', 'new-password', 'otp', 'question', 'phone-number', 'consent'] as const).map((type) => ({
        kind: 'answer' as const, pollAfterMs: 1000, rememberDevice: {}, alternatives: true,
        mechanisms: [hostile({ type, questions: [{ id: evil, text: evil, hint: evil }], fields: [{ id: evil, label: evil }], resendable: true })],
      })),
      ...(['push', 'phone-call', 'link', 'otp'] as const).map((type) => ({
        kind: 'pending' as const, matchNumber: evil, message: evil,
        mechanisms: [hostile({ type, acceptsCode: true, resendable: true, enroll: type === 'otp' })],
      })),
      { kind: 'failed' as const, mechanisms: [], error: { code: 'AUTH_FAILED' as const, message: evil } },
    ];
    for (const step of steps) {
      const html = render(stepLocals(step, { username: evil, transactionId: evil, csrfToken: evil }));
      clean(html);
      expect(html, step.kind).to.include(escaped);
    }
  });

  it('in the flash message and the start page user name', () => {
    const html = render(startLocals({ username: evil, flash: { code: 'AUTH_FAILED', message: evil } }));
    clean(html);
    expect(html).to.include(`value="${escaped}"`);
  });

  it('a mechanism url that is not http(s) is no link; a QR code that is not a base64 image is no image', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '//evil.example', ' javascript:alert(1)']) {
      const html = render(stepLocals({ kind: 'pending', mechanisms: [{ id: 'idp', type: 'link', label: 'x', prompt: 'x', url }] }));
      expect(tags(html, 'a').filter((a) => a.target === '_blank'), url).to.have.length(0);
    }
    const https = render(stepLocals({ kind: 'pending', mechanisms: [{ id: 'idp', type: 'link', label: 'x', prompt: 'x', url: 'https://idp.example/a?b="c"&d=<e>' }] }));
    const link = tags(https, 'a').find((a) => a.target === '_blank');
    expect(link).to.deep.include({ rel: 'noopener noreferrer', href: 'https://idp.example/a?b=%22c%22&d=%3Ce%3E' });
    for (const qrCode of ['https://evil.example/qr.png', 'data:image/png;base64,AAA"onerror="x', 'data:text/html;base64,AAAA']) {
      const html = render(stepLocals({ kind: 'pending', mechanisms: [{ id: 'a', type: 'otp', label: 'x', prompt: 'x', enroll: true, qrCode }] }));
      expect(tags(html, 'img'), qrCode).to.have.length(0);
    }
  });

  it('in the app\'s strings, product name and logo URL (footerHtml alone is trusted HTML)', () => {
    const custom = createPages({
      productName: evil, logoUrl: '/logo.png?a="b"', strings: { 'start.heading': evil, 'button.continue': evil },
      footerHtml: () => '<p class="help">Help: <a href="/help">here</a></p>',
    });
    const html = custom.render(startLocals(), { assetBase }).html;
    clean(html);
    expect(html).to.include(`<h1>${escaped}</h1>`);
    expect(html).to.include('src="/logo.png?a=&quot;b&quot;"');
    expect(html).to.include('<p class="help">Help: <a href="/help">here</a></p>');
  });

  it('no page carries an unescaped user-controlled value in any of the fixtures', () => {
    for (const { locals } of everyPage()) clean(render({ ...locals, csrfToken: evil } as typeof locals));
  });
});
