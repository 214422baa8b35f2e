/**
 * Accessibility of the demo's login pages in a real browser (Debian chromium through
 * playwright-core), the server-rendered ones and the single-page app alike: on every kind of
 * step page (start, password, code, choose a method, security questions, push waiting,
 * authenticator app enrollment with QR code and key, phone number, terms of use, new
 * password, a message after a failure) every visible field has an accessible name, there is
 * exactly one h1 and message boxes are role=alert. Then logins with the keyboard alone.
 * Screenshots: test-artifacts/screenshots/a11y-*.png.
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
  open(provider: ProviderKey): Promise<Page>;
  /** Runs `action` (a click, Enter …) and waits until the next page or screen is there. */
  next(page: Page, action: () => Promise<unknown>): Promise<void>;
}

describe('accessibility of the login pages in a real browser', function () {
  this.timeout(60_000);
  const e2e = browserSuite();

  const starts: Record<ProviderKey, string> = { cyberark: '/login/', idcs: '/idcs/login/', oaa: '/oaa/login/' };
  const newPage = async (options: { clock?: boolean } = {}) => {
    const page = await (await e2e.browser.newContext()).newPage();
    if (options.clock) await page.clock.install();
    return page;
  };

  const server: Ui = {
    name: 'server',
    async open(provider) {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}${starts[provider]}`);
      return page;
    },
    next: (page, action) => submits(page, action),
  };
  const spa: Ui = {
    name: 'spa',
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
        const code = page.getByLabel('Verification code');
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
        await page.locator('#pending-progress').filter({ hasText: /^Waiting 0:\d\d/ }).waitFor();
        await audit(page, `${prefix}-push`);
        await page.clock.fastForward('00:16');
        await page.getByRole('status').filter({ hasText: 'Still waiting for you to approve…' }).waitFor();
        expect(await page.locator('#pending-still').textContent()).to.match(/authenticator app/);
        await audit(page, `${prefix}-push-still-waiting`);
        if (ui.name === 'server') {
          // Without JavaScript: a button that asks once.
          expect(await page.locator('noscript').innerHTML()).to.match(/I have approved/);
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
        expect(await page.getByRole('status').filter({ hasText: /approve/ }).count()).to.equal(1);
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
      const page = await newPage();
      await page.goto(`${e2e.demo.url}/idcs/login/`);
      await typeAndEnter(server, page, /^User name$/, 'ben');
      await typeAndEnter(server, page, /^Password$/, 'ben-pw');
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
      const page = await newPage();
      await page.goto(`${e2e.demo.url}/login/`);
      await typeAndEnter(server, page, /^User name$/, 'dave');
      await typeAndEnter(server, page, /^Password$/, 'dave-pw');
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

    it('single-page app, CyberArk bob: focus moves to each step heading, Tab reaches the field', async () => {
      const page = await newPage();
      await page.goto(`${e2e.demo.url}/spa/?provider=cyberark`);
      await page.getByLabel('User name').waitFor();
      await typeAndEnter(spa, page, /^User name$/, 'bob');
      expect(await focused(page)).to.deep.equal({ tag: 'h1', name: 'Enter your password' });
      await typeAndEnter(spa, page, /^Password$/, 'bob-pw');
      expect(await focused(page)).to.deep.equal({ tag: 'h1', name: 'Enter your code' });
      await tabTo(page, /^Verification code$/, 3);
      await page.keyboard.type(await e2e.sims.cyberark.code('bob'));
      await page.keyboard.press('Enter');
      await page.waitForURL(`${e2e.demo.url}/`);
      expect(await page.textContent('body')).to.match(/Welcome, Bob/);
      await page.context().close();
    });
  });
});
