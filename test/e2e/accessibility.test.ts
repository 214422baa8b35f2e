/**
 * Accessibility of the demo's login pages in a real browser (Debian chromium through
 * playwright-core): the library's built-in pages (server-rendered) and the single-page app
 * alike. On every kind of step page (start, password, code, choose a method, security
 * questions, push waiting, phone call, federated sign-in with PIN, authenticator app
 * enrollment with QR code and key, phone number, terms of use, new password, a message after
 * a failure, the error page) every visible field has an accessible name, there is exactly one
 * h1, message boxes are role=alert and no tabindex is positive. Then logins with the keyboard
 * alone. Screenshots: test-artifacts/screenshots/a11y-*.png.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  auditPage, browserSuite, focused, heading, snapshot, submits, tabTo,
} from './helpers.js';

type ProviderKey = 'cyberark' | 'idcs' | 'oaa';

/** How a test moves through the pages of one UI: the server-rendered pages or the SPA. */
interface Ui {
  name: 'server' | 'spa';
  /** The accessible name of the one-time code field (the built-in pages: always "Verification code"; the SPA: the prompt). */
  codeLabel: RegExp;
  /** Ids of the waiting page's progress line and "still waiting" hint. */
  ids: { progress: string; still: string };
  open(provider: ProviderKey): Promise<Page>;
  /** Runs `action` (a click, Enter …) and waits until the next page or screen is there. */
  next(page: Page, action: () => Promise<unknown>): Promise<void>;
}

describe('accessibility of the login pages in a real browser', function () {
  this.timeout(60_000);
  const e2e = browserSuite();

  const starts: Record<ProviderKey, string> = { cyberark: '/login/', idcs: '/idcs/login/', oaa: '/oaa/login/' };
  /** Script errors and CSP violations of any page (the built-in pages have no inline code for the CSP to block). */
  const pageErrors: string[] = [];
  const newPage = async (options: { clock?: boolean } = {}) => {
    const page = await (await e2e.browser.newContext()).newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(`${page.url()}: ${message.text()}`);
    });
    if (options.clock) await page.clock.install();
    return page;
  };

  const server: Ui = {
    name: 'server',
    codeLabel: /^Verification code$/,
    ids: { progress: '#ms-progress', still: '#ms-still' },
    async open(provider) {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}${starts[provider]}`);
      return page;
    },
    next: (page, action) => submits(page, action),
  };
  const spa: Ui = {
    name: 'spa',
    codeLabel: /^(Verification code|Enter the code sent .*)$/,
    ids: { progress: '#pending-progress', still: '#pending-still' },
    async open(provider) {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}/spa/?provider=${provider}`);
      await page.getByLabel('User name').waitFor();
      expect(await page.getByLabel('Sign in with').inputValue()).to.equal(provider);
      return page;
    },
    async next(page, action) {
      const old = await heading(page);
      await action();
      await page.waitForFunction((before) => {
        const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
        const text = doc.querySelector('h1')?.textContent?.trim();
        return text !== undefined && text !== before;
      }, old);
    },
  };

  /** The user name, then (unless `password` is false) the password. */
  async function signIn(ui: Ui, provider: ProviderKey, user: string, shot: string): Promise<Page> {
    const page = await ui.open(provider);
    await audit(page, `${shot}-start-${provider}`);
    await page.getByLabel('User name').fill(user);
    await ui.next(page, () => page.getByRole('button', { name: 'Continue' }).click());
    return page;
  }
  async function password(ui: Ui, page: Page, user: string, shot?: string): Promise<void> {
    expect(await heading(page)).to.equal('Enter your password');
    if (shot) await audit(page, shot);
    await page.getByLabel('Password', { exact: true }).fill(`${user}-pw`);
    await ui.next(page, () => page.getByLabel('Password', { exact: true }).press('Enter'));
  }

  /** Audits the page (see {@link auditPage}) and takes its screenshot. */
  async function audit(page: Page, shot: string): Promise<void> {
    const problems = await auditPage(page);
    expect(problems.unnamedFields, `${shot}: fields without a label`).to.deep.equal([]);
    expect(problems.unnamedControls, `${shot}: buttons/links/images without a name`).to.deep.equal([]);
    expect(problems.h1, `${shot}: number of h1`).to.equal(1);
    expect(problems.alertsWithoutRole, `${shot}: .alert boxes without role=alert`).to.equal(0);
    expect(problems.positiveTabindex, `${shot}: positive tabindex`).to.deep.equal([]);
    expect(pageErrors, `${shot}: script errors or CSP violations`).to.deep.equal([]);
    expect(problems.lang).to.equal('en');
    expect(problems.title).to.not.equal('');
    await snapshot(page, shot);
  }

  for (const ui of [server, spa]) {
    const prefix = `a11y-${ui.name}`;
    describe(ui.name === 'server' ? 'server-rendered pages: every step page' : 'single-page app: every step screen', () => {
      it('start, password and code entry (CyberArk bob: SMS code)', async () => {
        const page = await signIn(ui, 'cyberark', 'bob', prefix);
        await password(ui, page, 'bob', `${prefix}-password`);
        expect(await heading(page)).to.equal('Enter your code');
        const code = page.getByLabel(ui.codeLabel);
        expect(await code.getAttribute('autocomplete')).to.equal('one-time-code');
        expect(await code.getAttribute('inputmode')).to.equal('numeric');
        await audit(page, `${prefix}-code`);
        await page.context().close();
      });
      it('a message after a failure is role=alert (IDCS ann: a wrong password)', async () => {
        const page = await signIn(ui, 'idcs', 'ann', prefix);
        await page.getByLabel('Password', { exact: true }).fill('not-the-password');
        const before = await page.evaluate(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[role=alert]').length);
        if (ui.name === 'server') await submits(page, () => page.getByLabel('Password', { exact: true }).press('Enter'));
        else await page.getByLabel('Password', { exact: true }).press('Enter');
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(before).to.equal(1); // the (hidden) alert box is there from the start: announced when filled
        expect(await alert.textContent()).to.match(/sign-in failed/i);
        await audit(page, `${prefix}-flash`);
        await page.context().close();
      });
      it('choose a method, with the masked addresses (CyberArk erin)', async () => {
        const page = await signIn(ui, 'cyberark', 'erin', prefix);
        await password(ui, page, 'erin');
        expect(await heading(page)).to.equal('Verify it’s you');
        const group = page.getByRole('group', { name: 'Choose how to verify' });
        expect(await group.getByRole('button').count()).to.be.greaterThan(2);
        expect(await group.textContent()).to.match(/\d{4}/); // a masked phone number
        await audit(page, `${prefix}-choose`);
        await page.context().close();
      });
      it('security questions (IDCS eve)', async () => {
        const page = await signIn(ui, 'idcs', 'eve', prefix);
        await password(ui, page, 'eve');
        expect(await heading(page)).to.equal('Security questions');
        await page.getByLabel(/pet/i).waitFor();
        await audit(page, `${prefix}-questions`);
        await page.context().close();
      });
      it('push waiting: visible progress, then "still waiting" (CyberArk carol)', async () => {
        const page = await newPage({ clock: true });
        await page.goto(ui.name === 'server' ? `${e2e.demo.url}/login/` : `${e2e.demo.url}/spa/?provider=cyberark`);
        await page.getByLabel('User name').fill('carol');
        await ui.next(page, () => page.getByRole('button', { name: 'Continue' }).click());
        await password(ui, page, 'carol');
        expect(await heading(page)).to.equal('Waiting for approval');
        expect(await page.getByRole('status').filter({ hasText: /approve/ }).textContent()).to.equal('Waiting for you to approve…');
        await page.locator(ui.ids.progress).filter({ hasText: /^Waiting 0:\d\d/ }).waitFor();
        await audit(page, `${prefix}-push`);
        await page.clock.fastForward('00:16');
        await page.getByRole('status').filter({ hasText: 'Still waiting for you to approve…' }).waitFor();
        expect(await page.locator(ui.ids.still).textContent()).to.match(/authenticator app/);
        await audit(page, `${prefix}-push-still-waiting`);
        if (ui.name === 'server') {
          // Without JavaScript: a button that asks once (a form posting to the poll route).
          const noscript = await page.locator('noscript').innerHTML();
          expect(noscript).to.match(/action="\/login\/poll"/);
          expect(noscript).to.match(/>Continue<\/button>/);
        }
        await page.context().close();
      });
      it('enrollment of an authenticator app: QR code, waiting for the app (IDCS gus)', async () => {
        const page = await signIn(ui, 'idcs', 'gus', prefix);
        await password(ui, page, 'gus');
        expect(await heading(page)).to.equal('Set up a sign-in method');
        await audit(page, `${prefix}-enroll-choose`);
        await ui.next(page, () => page.getByRole('button', { name: 'Set up Authenticator app' }).click());
        expect(await heading(page)).to.equal('Set up your authenticator app');
        await page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
        // The built-in pages wait for the app to register (nothing to approve); the SPA says "approve".
        expect(await page.getByRole('status').filter({ hasText: ui.name === 'server' ? /Waiting for your authenticator app/ : /approve/ }).count()).to.equal(1);
        await audit(page, `${prefix}-enroll-totp`);
        await page.context().close();
      });
      it('phone number (IDCS gus: set up SMS)', async () => {
        const page = await signIn(ui, 'idcs', 'gus', prefix);
        await password(ui, page, 'gus');
        await ui.next(page, () => page.getByRole('button', { name: 'Set up Text message (SMS)' }).click());
        expect(await heading(page)).to.equal('Add your phone number');
        expect(await page.getByLabel('Mobile number').getAttribute('type')).to.equal('tel');
        await audit(page, `${prefix}-phone-number`);
        await page.context().close();
      });
      it('terms of use: a focusable region, then Decline / I accept (IDCS ida)', async () => {
        const page = await signIn(ui, 'idcs', 'ida', prefix);
        await password(ui, page, 'ida');
        expect(await page.getByRole('region', { name: /terms of use/i }).getAttribute('tabindex')).to.equal('0');
        await page.getByRole('button', { name: 'I accept' }).waitFor();
        await audit(page, `${prefix}-terms`);
        await page.context().close();
      });
      if (ui.name === 'server') {
        it('phone call waiting (CyberArk grace): its own heading and status', async () => {
          const page = await signIn(ui, 'cyberark', 'grace', prefix);
          await ui.next(page, () => page.getByRole('button', { name: /phone call/i }).click());
          expect(await heading(page)).to.equal('Answer the call');
          await page.getByRole('status').filter({ hasText: 'Waiting for you to answer the call…' }).waitFor();
          await audit(page, `${prefix}-phone-call`);
          await page.context().close();
        });
        it('federated sign-in with a PIN (CyberArk hank): its own heading, the link, the labelled PIN field', async () => {
          const page = await signIn(ui, 'cyberark', 'hank', prefix);
          expect(await heading(page)).to.equal('Sign in with your organization');
          const link = page.getByRole('link', { name: 'Open your organization’s sign-in page' });
          expect(await link.getAttribute('target')).to.equal('_blank');
          expect(await link.getAttribute('rel')).to.equal('noopener noreferrer');
          expect(await page.getByLabel('PIN shown after you sign in').getAttribute('autocomplete')).to.equal('one-time-code');
          await audit(page, `${prefix}-federated`);
          await page.context().close();
        });
        it('the error page (a form posted after the session cookie is gone)', async () => {
          const page = await ui.open('cyberark');
          await page.context().clearCookies();
          await page.getByLabel('User name').fill('alice');
          await ui.next(page, () => page.getByRole('button', { name: 'Continue' }).click());
          expect(await heading(page)).to.equal('Something went wrong');
          await page.getByRole('alert').filter({ hasText: /expired or is invalid/ }).waitFor();
          await page.getByRole('link', { name: 'Start again' }).waitFor();
          await audit(page, `${prefix}-error-page`);
          await page.context().close();
        });
      }
      it('new password, with the policy as its description (CyberArk frank)', async () => {
        const page = await signIn(ui, 'cyberark', 'frank', prefix);
        await password(ui, page, 'frank');
        expect(await heading(page)).to.equal('Choose a new password');
        expect(await page.getByLabel('New password').getAttribute('autocomplete')).to.equal('new-password');
        await audit(page, `${prefix}-new-password`);
        await page.context().close();
      });
    });
  }

  describe('keyboard only (Tab, typing, Enter): no clicks', () => {
    /** Types into the focused field, then submits with Enter (the next page loads). */
    async function typeAndEnter(ui: Ui, page: Page, field: RegExp, text: string): Promise<void> {
      await tabTo(page, field);
      await page.keyboard.type(text);
      await ui.next(page, () => page.keyboard.press('Enter'));
    }

    /** A new page on a provider's built-in start page, through user name and password with the keyboard. */
    async function pastPassword(path: string, username: string): Promise<Page> {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}${path}`);
      await typeAndEnter(server, page, /^User name$/, username);
      await typeAndEnter(server, page, /^Password$/, `${username}-pw`);
      return page;
    }

    it('server-rendered, CyberArk bob: user name, password, then the SMS code', async () => {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}/login/`);
      await typeAndEnter(server, page, /^User name$/, 'bob');
      expect(await heading(page)).to.equal('Enter your password');
      await typeAndEnter(server, page, /^Password$/, 'bob-pw');
      expect(await heading(page)).to.equal('Enter your code');
      await tabTo(page, /^Verification code$/);
      await page.keyboard.type(await e2e.sims.cyberark.code('bob'));
      await page.keyboard.press('Enter');
      await page.waitForURL(`${e2e.demo.url}/`);
      expect(await page.textContent('body')).to.match(/Welcome, Bob/);
      await page.context().close();
    });

    it('server-rendered, IDCS ben: user name, password, then the authenticator app code (and "Try another way" is reachable)', async () => {
      const page = await pastPassword('/idcs/login/', 'ben');
      expect(await heading(page)).to.equal('Enter your code');
      // Every action of the page is in the Tab order.
      await tabTo(page, /^Try another way$/);
      await tabTo(page, /^Cancel sign-in$/);
      await tabTo(page, /code/i);
      await page.keyboard.type(await e2e.sims.idcs.totp('ben'));
      await page.keyboard.press('Enter');
      await page.waitForURL(`${e2e.demo.url}/`);
      expect(await page.textContent('body')).to.match(/Welcome, Ben Baker/);
      await page.context().close();
    });

    it('server-rendered: a choice of methods with Tab and Space (CyberArk dave: security questions)', async () => {
      const page = await pastPassword('/login/', 'dave');
      expect(await heading(page)).to.equal('Verify it’s you');
      await tabTo(page, /security question/i);
      await submits(page, () => page.keyboard.press('Space'));
      await tabTo(page, /pet/i);
      await page.keyboard.type('Rex');
      await tabTo(page, /town/i);
      await page.keyboard.type('Leeds');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${e2e.demo.url}/`);
      expect(await page.textContent('body')).to.match(/Welcome, Dave/);
      await page.context().close();
    });

    it('server-rendered, IDCS ida: the terms of use region is reachable with Tab, then "I accept" with Enter', async () => {
      const page = await pastPassword('/idcs/login/', 'ida');
      // "I accept" has the focus from the start; Shift+Tab back goes through Decline to the text.
      expect(await focused(page)).to.deep.equal({ tag: 'button', name: 'I accept' });
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).to.include({ tag: 'div', name: 'Terms of use' });
      await tabTo(page, /^I accept$/);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${e2e.demo.url}/`);
      expect(await page.textContent('body')).to.match(/Welcome, Ida/);
      await page.context().close();
    });

    it('server-rendered, CyberArk carol: a pending push can be cancelled with the keyboard', async () => {
      const page = await pastPassword('/login/', 'carol');
      expect(await heading(page)).to.equal('Waiting for approval');
      await tabTo(page, /^Cancel sign-in$/);
      await submits(page, () => page.keyboard.press('Enter'));
      // Back on the start page, with nothing left of the cancelled sign-in.
      expect(page.url()).to.equal(`${e2e.demo.url}/login/`);
      expect(await heading(page)).to.equal('Sign in with CyberArk Identity');
      expect(await focused(page)).to.deep.equal({ tag: 'input', name: 'User name' });
      await page.context().close();
    });

    it('single-page app, CyberArk bob: focus moves to each step heading, Tab reaches the field', async () => {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}/spa/?provider=cyberark`);
      await page.getByLabel('User name').waitFor();
      await typeAndEnter(spa, page, /^User name$/, 'bob');
      expect(await focused(page)).to.deep.equal({ tag: 'h1', name: 'Enter your password' });
      await typeAndEnter(spa, page, /^Password$/, 'bob-pw');
      expect(await focused(page)).to.deep.equal({ tag: 'h1', name: 'Enter your code' });
      await tabTo(page, spa.codeLabel, 3);
      await page.keyboard.type(await e2e.sims.cyberark.code('bob'));
      await page.keyboard.press('Enter');
      await page.waitForURL(`${e2e.demo.url}/`);
      expect(await page.textContent('body')).to.match(/Welcome, Bob/);
      await page.context().close();
    });
  });
});
