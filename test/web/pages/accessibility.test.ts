/**
 * Accessibility rules every built-in page keeps (checked on the HTML; test/e2e checks them in a
 * browser): one h1, every field labelled, messages in role=alert, waiting in role=status, the
 * first field autofocused, autocomplete hints, no positive tabindex.
 */
import { expect } from 'chai';
import { createPages } from '../../../lib/web/pages/index.js';
import { assetBase, everyPage, stepLocals, steps, tags, unlabelledFields, withoutNoscript } from './fixtures.js';

describe('built-in pages: accessibility rules', () => {
  const pages = createPages();
  const render = (locals: Parameters<typeof pages.render>[0]) => pages.render(locals, { assetBase }).html;
  const all = everyPage().map(({ name, locals }) => ({ name, html: render(locals) }));

  it('exactly one h1 on every page', () => {
    for (const { name, html } of all) expect(html.match(/<h1\b/g), name).to.have.length(1);
  });

  it('every field has a label', () => {
    for (const { name, html } of all) expect(unlabelledFields(html), name).to.deep.equal([]);
  });

  it('every page has exactly one role=alert box (hidden when empty), and no id twice', () => {
    for (const { name, html } of all) {
      expect(tags(html, 'div').filter((d) => d.role === 'alert'), name).to.have.length(1);
      const ids = tags(withoutNoscript(html), '[a-z]+').map((a) => a.id).filter(Boolean);
      expect(new Set(ids).size, `${name}: ${ids.join(' ')}`).to.equal(ids.length);
    }
  });

  it('the first field of the page is autofocused, and only that one', () => {
    for (const { name, html } of all) {
      const fields = tags(withoutNoscript(html), '(?:input|textarea)').filter((f) => f.type !== 'hidden' && !('hidden' in f) && f.readonly === undefined && f.type !== 'checkbox');
      const focused = tags(withoutNoscript(html), '(?:input|textarea|button)').filter((f) => 'autofocus' in f);
      if (fields.length) expect(focused, name).to.deep.equal([fields[0]]);
      else expect(focused.length, name).to.be.at.most(1);
    }
  });

  it('no positive tabindex; the terms of use are a focusable region', () => {
    for (const { name, html } of all) {
      for (const el of tags(html, '[a-z]+').filter((a) => 'tabindex' in a)) expect(Number(el.tabindex), name).to.be.at.most(0);
      expect(html, name).to.not.match(/tabindex="[1-9]/);
    }
    const terms = tags(render(stepLocals(steps['answer-consent']!)), 'div').find((d) => d.role === 'region');
    expect(terms).to.include({ tabindex: '0', 'aria-label': 'Terms of use' });
  });

  it('autocomplete hints: username, current-password, new-password, one-time-code', () => {
    const autocomplete = (name: string) => tags(render(stepLocals(steps[name]!)), 'input').filter((i) => i.type !== 'hidden' && !('hidden' in i)).map((i) => i.autocomplete);
    expect(autocomplete('answer-password')).to.deep.equal(['current-password']);
    expect(autocomplete('answer-new-password')).to.deep.equal(['new-password']);
    // The account, for password managers: hidden, never posted.
    const account = tags(render(stepLocals(steps['answer-password']!)), 'input').find((i) => i.autocomplete === 'username');
    expect(account).to.include({ value: 'bob', hidden: '' });
    expect(account).to.not.have.property('name');
    expect(autocomplete('answer-otp')).to.deep.equal(['one-time-code', undefined]); // and the remember-device checkbox
    expect(autocomplete('pending-push')).to.deep.equal(['one-time-code']);
    expect(autocomplete('answer-phone-number')).to.deep.equal(['tel-country-code', 'tel-national']);
  });

  it('a pending step says it is waiting in role=status; a code prompt describes its input', () => {
    const pending = render(stepLocals(steps['pending-push']!));
    expect(pending).to.include('<span id="ms-status" role="status">Waiting for you to approve…</span>');
    expect(pending).to.include('<span class="ms-spinner" aria-hidden="true"></span>');
    const code = tags(render(stepLocals(steps['answer-otp']!)), 'input').find((i) => i.name === 'answer');
    expect(code).to.include({ 'aria-describedby': 'ms-prompt', inputmode: 'numeric' });
    const hint = tags(render(stepLocals(steps['answer-new-password']!)), 'input').find((i) => i.name === 'answer');
    expect(hint).to.include({ 'aria-describedby': 'ms-password-hint' });
  });

  it('the stylesheet gives every focused control a visible focus ring', () => {
    const html = render(stepLocals(steps.select!));
    const css = pages.asset(/pages-[0-9a-f]{12}\.css/.exec(html)![0])!.body;
    expect(css).to.match(/:focus-visible \{ outline: 3px solid var\(--ms-focus\)/);
    expect(css).to.not.match(/outline:\s*(none|0)/);
  });
});
