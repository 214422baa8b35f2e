/** Every user-facing string by key: the catalogue covers each error code, step kind and mechanism type, and overrides win. */
import { expect } from 'chai';
import { ErrorCodes } from '../../../lib/errors.js';
import { createPages, defaultStrings, stringKeys } from '../../../lib/web/pages/index.js';
import { assetBase, everyPage, startLocals, stepLocals, steps } from './fixtures.js';

describe('built-in pages: strings by key', () => {
  const render = (options: Parameters<typeof createPages>[0], locals: Parameters<ReturnType<typeof createPages>['render']>[0]) =>
    createPages(options).render(locals, { assetBase }).html;

  it('the catalogue has a key for each error code, step kind, mechanism type and action', () => {
    for (const code of Object.keys(ErrorCodes)) expect(defaultStrings, code).to.have.property(`error.${code}`, ErrorCodes[code as keyof typeof ErrorCodes].message);
    for (const kind of ['select', 'answer', 'done', 'failed']) expect(defaultStrings).to.have.property(`step.${kind}.heading`);
    for (const variant of ['push', 'phone-call', 'link', 'federated', 'enroll']) expect(defaultStrings).to.have.property(`step.pending.${variant}.heading`);
    for (const type of ['password', 'new-password', 'otp', 'push', 'phone-call', 'link', 'question', 'phone-number', 'consent', 'skip', 'unsupported']) {
      expect(defaultStrings).to.have.property(`mechanism.${type}.label`);
    }
    for (const action of ['continue', 'verify', 'cancel', 'tryAnotherWay', 'resend']) expect(defaultStrings).to.have.property(`button.${action}`);
    expect(stringKeys).to.deep.equal(Object.keys(defaultStrings));
    expect(Object.isFrozen(defaultStrings)).to.equal(true);
  });

  it('a page shows the overridden text, placeholders filled in and escaped', () => {
    const html = render({
      lang: 'de',
      strings: {
        'start.heading': 'Anmelden', 'button.continue': 'Weiter', 'start.username.label': 'Benutzername',
        'document.signingInAs': 'Anmeldung als {username} <b>', 'mechanism.rememberDevice.days.other': 'Gerät {days} Tage merken',
      },
    }, startLocals());
    expect(html).to.include('<html lang="de">');
    expect(html).to.include('<h1>Anmelden</h1>');
    expect(html).to.include('>Weiter</button>');
    expect(html).to.include('>Benutzername</label>');
    const step = render({ strings: { 'document.signingInAs': 'Anmeldung als {username} <b>', 'mechanism.rememberDevice.days.other': 'Gerät {days} Tage merken' } },
      stepLocals(steps['answer-otp']!));
    expect(step).to.include('Anmeldung als <strong>bob</strong> &lt;b&gt;');
    expect(step).to.include('Gerät 30 Tage merken');
  });

  it('an app\'s text for an error code replaces the library\'s message, also in the page script\'s settings', () => {
    const flash = { code: 'ACTION_NOT_ALLOWED' as const, message: 'Please wait 12 seconds before asking for a new code.' };
    expect(render({}, startLocals({ flash }))).to.include('Please wait 12 seconds');
    const localised = render({ strings: { 'error.ACTION_NOT_ALLOWED': 'Bitte warten.', 'error.OOB_DENIED': 'Abgelehnt.' } }, stepLocals(steps['pending-push']!, { flash }));
    expect(localised).to.include('role="alert" data-code="ACTION_NOT_ALLOWED">Bitte warten.');
    expect(localised).to.not.include('Please wait 12 seconds');
    // The script shows errors it gets from the poll route in the app's words too.
    const settings = JSON.parse(/data-ms-strings="([^"]*)"/.exec(localised)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    expect(settings.errors).to.deep.equal({ ACTION_NOT_ALLOWED: 'Bitte warten.', OOB_DENIED: 'Abgelehnt.' });
  });

  it('the same action has the same button text on every page', () => {
    const texts = new Map<string, Set<string>>();
    for (const { locals } of everyPage()) {
      const html = createPages().render(locals, { assetBase }).html;
      for (const [, form, buttons] of html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
        for (const [, text] of buttons!.matchAll(/<button[^>]*>([^<]*)</g)) {
          if (!texts.has(form!)) texts.set(form!, new Set());
          texts.get(form!)!.add(text!);
        }
      }
    }
    expect([...texts.get('/login/start')!]).to.deep.equal(['Continue']);
    expect([...texts.get('/login/cancel')!]).to.deep.equal(['Cancel sign-in']);
    expect([...texts.get('/login/resend')!]).to.deep.equal(['Send a new code']);
    expect([...texts.get('/login/alternatives')!]).to.deep.equal(['Try another way']);
  });

  it('an unknown key or a non-string value is refused (a typo would silently do nothing)', () => {
    expect(() => createPages({ strings: { 'start.headline': 'x' } })).to.throw(TypeError, /unknown key "start.headline"/);
    expect(() => createPages({ strings: { 'start.heading': 42 as unknown as string } })).to.throw(TypeError, /must be a string/);
    expect(() => createPages({ lang: 'en"><script>' })).to.throw(TypeError, /lang/);
  });
});
