/**
 * The built-in login pages in a real browser (Debian chromium through playwright-core)
 * show a distinct message for each stable error code, always in the page's role=alert box:
 * wrong code, wrong password, locked account, expired password, expired login, upstream
 * unavailable or answering nonsense, a push denied, no usable method, a forged or stale form,
 * a resend too soon (with its countdown). Screenshots: test-artifacts/screenshots/error-*.png.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { browserSuite, heading, snapshot, submits } from './helpers.js';

describe('error messages of the built-in login pages in a real browser', function () {
  this.timeout(60_000);
  // The library's default resend cooldown (30 s), so "Send a new code" meets it.
  const e2e = browserSuite();
  /** The message shown for each error code, to compare them at the end. */
  const shown = new Map<string, string>();
  afterEach(async () => {
    await e2e.sims.cyberark.clearFaults();
    await e2e.sims.idcs.clearFaults();
  });

  /** Opens `start` in a fresh browser and submits the user name. */
  async function begin(start: string, user: string): Promise<Page> {
    const page = await (await e2e.browser.newContext()).newPage();
    await page.goto(`${e2e.demo.url}${start}`);
    await page.getByLabel('User name').fill(user);
    await submits(page, () => page.getByRole('button', { name: 'Continue' }).click());
    return page;
  }
  async function password(page: Page, value: string): Promise<void> {
    expect(await heading(page)).to.equal('Enter your password');
    await page.getByLabel('Password', { exact: true }).fill(value);
    await submits(page, () => page.getByLabel('Password', { exact: true }).press('Enter'));
  }
  async function typeCode(page: Page, code: string): Promise<void> {
    const input = page.locator('input[autocomplete="one-time-code"]');
    await input.fill(code);
    await submits(page, () => input.press('Enter'));
  }
  const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000');

  /**
   * The page's alert: exactly one visible, role=alert, carrying `code`; its text is recorded
   * for the comparison at the end. Takes the page's screenshot.
   */
  async function expectAlert(page: Page, code: string, text: RegExp, shot: string): Promise<string> {
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.count()).to.equal(1);
    expect(await alert.getAttribute('data-code')).to.equal(code);
    const message = ((await alert.textContent()) ?? '').trim();
    expect(message).to.match(text);
    shown.set(code, message);
    await snapshot(page, `error-${shot}`);
    return message;
  }

  it('wrong code (IDCS ben, a wrong TOTP code): retried in place', async () => {
    const page = await begin('/idcs/login/', 'ben');
    await password(page, 'ben-pw');
    await typeCode(page, wrongCode(await e2e.sims.idcs.totp('ben')));
    expect(await heading(page)).to.equal('Enter your code');
    await expectAlert(page, 'WRONG_ANSWER', /^That is not correct\. Please try again\.$/, 'wrong-code');
    // The same step goes on: the right code signs in.
    await typeCode(page, await e2e.sims.idcs.totp('ben'));
    await page.waitForURL(`${e2e.demo.url}/`);
    await page.context().close();
  });

  it('wrong password (IDCS ann): "Sign-in failed", retried in place', async () => {
    const page = await begin('/idcs/login/', 'ann');
    await password(page, 'not-the-password');
    expect(await heading(page)).to.equal('Enter your password');
    await expectAlert(page, 'AUTH_FAILED', /^Sign-in failed\. Check your details and try again\.$/, 'auth-failed');
    await page.context().close();
  });

  it('locked account (IDCS jo): refused, back on the start page', async () => {
    const page = await begin('/idcs/login/', 'jo');
    await password(page, 'jo-pw');
    expect(page.url()).to.equal(`${e2e.demo.url}/idcs/login/`);
    await expectAlert(page, 'ACCOUNT_LOCKED', /^Your account is temporarily locked\./, 'account-locked');
    expect(await page.getByLabel('User name').inputValue()).to.equal('jo');
    await page.context().close();
  });

  it('expired password (IDCS kim): refused, back on the start page', async () => {
    const page = await begin('/idcs/login/', 'kim');
    await password(page, 'kim-pw');
    await expectAlert(page, 'PASSWORD_EXPIRED', /^Your password has expired\./, 'password-expired');
    await page.context().close();
  });

  it('expired login (IDCS ben: the identity service forgets the login mid-flow)', async () => {
    const page = await begin('/idcs/login/', 'ben');
    await password(page, 'ben-pw');
    expect(await heading(page)).to.equal('Enter your code');
    await e2e.sims.idcs.post('expire-request-states');
    await typeCode(page, await e2e.sims.idcs.totp('ben'));
    expect(page.url()).to.equal(`${e2e.demo.url}/idcs/login/`);
    await expectAlert(page, 'TRANSACTION_EXPIRED', /^Your login has expired\. Please start again\.$/, 'login-expired');
    expect(await page.getByLabel('User name').inputValue()).to.equal('ben');
    await page.context().close();
  });

  it('upstream unavailable (a 503 from CyberArk): on the same step; after the outage the retry signs in', async () => {
    const page = await begin('/login/', 'alice');
    await e2e.sims.cyberark.fault({ kind: 'status', status: 503 }, 'AdvanceAuthentication');
    await password(page, 'alice-pw');
    expect(await heading(page)).to.equal('Enter your password');
    await expectAlert(page, 'UPSTREAM_UNAVAILABLE', /^The identity service is unavailable\. Please try again shortly\.$/, 'upstream-unavailable');
    await e2e.sims.cyberark.clearFaults();
    await password(page, 'alice-pw');
    await page.waitForURL(`${e2e.demo.url}/`);
    await page.context().close();
  });

  it('upstream bad response (an HTML page instead of JSON): on the same step', async () => {
    const page = await begin('/login/', 'alice');
    await e2e.sims.cyberark.fault({ kind: 'html' }, 'AdvanceAuthentication');
    await password(page, 'alice-pw');
    expect(await heading(page)).to.equal('Enter your password');
    await expectAlert(page, 'UPSTREAM_BAD_RESPONSE', /^The identity service sent an unexpected response\./, 'upstream-bad-response');
    await page.context().close();
  });

  it('push denied (IDCS dan): the waiting page says so, with "Start again"', async () => {
    const page = await begin('/idcs/login/', 'dan');
    await password(page, 'dan-pw');
    await page.getByText('Waiting for you to approve…').waitFor();
    expect(await e2e.sims.idcs.post('push/dan/deny')).to.deep.equal({ ok: true });
    await expectAlert(page, 'OOB_DENIED', /^The sign-in request was denied on your device\./, 'push-denied');
    expect(await page.getByRole('alert').getByRole('link', { name: 'Start again' }).getAttribute('href')).to.equal('/idcs/login/');
    // The waiting state is over, and so are the forms of that login.
    expect(await page.getByText(/waiting for you to approve/i).count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Cancel sign-in' }).count()).to.equal(0);
    await page.context().close();
  });

  it('no usable method (OAA vic, FIDO2 only): the message and what to do', async () => {
    const page = await begin('/oaa/login/', 'vic');
    await password(page, 'vic-pw');
    const message = await expectAlert(page, 'MECHANISM_UNSUPPORTED', /^None of the sign-in methods offered can be used here\./, 'mechanism-unsupported');
    // What to do, without naming FIDO2: the message does not know which method was offered.
    expect(message).to.match(/Register another method/);
    expect(message).to.not.match(/FIDO2/);
    await page.context().close();
  });

  it('a forged form (wrong CSRF token): refused, the step shown again', async () => {
    const page = await begin('/idcs/login/', 'ann');
    await page.locator('input[name="_csrf"]').first().evaluate((el) => { (el as unknown as { value: string }).value = 'forged'; });
    await password(page, 'ann-pw');
    expect(await heading(page)).to.equal('Enter your password');
    await expectAlert(page, 'CSRF_INVALID', /^The form has expired or is invalid\. Please try again\.$/, 'csrf-invalid');
    await page.context().close();
  });

  it('a stale form (from an earlier step, e.g. the back button): refused, the current step shown', async () => {
    const page = await begin('/idcs/login/', 'ann');
    const sequence = page.locator('input[name="sequence"]').first();
    const current = Number(await sequence.inputValue());
    await sequence.evaluate((el, seq) => { (el as unknown as { value: string }).value = String(seq); }, current - 1);
    await password(page, 'ann-pw');
    expect(await heading(page)).to.equal('Enter your password');
    await expectAlert(page, 'STALE_STEP', /^This step has already been answered\./, 'stale-step');
    await page.context().close();
  });

  it('resend too soon: the wait in the alert, the button disabled with a countdown', async () => {
    const page = await begin('/idcs/login/', 'cora');
    await password(page, 'cora-pw');
    expect(await heading(page)).to.equal('Enter your code');
    const resend = page.getByRole('button', { name: 'Send a new code' });
    const answered = page.waitForResponse((res) => res.url().endsWith('/idcs/login/resend'));
    await resend.click(); // the page's script posts it as JSON: no new page
    const res = await answered;
    expect(res.status()).to.equal(429);
    const retryAfter = Number(res.headers()['retry-after']);
    expect(retryAfter).to.be.within(1, 30);
    expect((await res.json()).error.details.retryAfterSeconds).to.equal(retryAfter);
    await expectAlert(page, 'RATE_LIMITED', /^Please wait \d+ seconds before asking for a new code\.$/, 'resend-too-soon');
    expect(await resend.getAttribute('aria-disabled')).to.equal('true');
    const countdown = page.locator('#ms-resend-wait');
    expect(await countdown.textContent()).to.match(/^You can ask for a new code in \d+ seconds?\.$/);
    expect(await resend.getAttribute('aria-describedby')).to.equal('ms-resend-wait');
    // The countdown counts down.
    const first = Number(/\d+/.exec((await countdown.textContent()) ?? '')![0]);
    await page.waitForFunction((n) => {
      const el = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('ms-resend-wait');
      return Number(/\d+/.exec(el?.textContent ?? '')?.[0]) < n;
    }, first);
    // The code already sent still signs in.
    await typeCode(page, await e2e.sims.idcs.code('cora', 'SMS'));
    await page.waitForURL(`${e2e.demo.url}/`);
    await page.context().close();
  });

  it('every one of those messages is different', () => {
    const codes = [
      'WRONG_ANSWER', 'AUTH_FAILED', 'ACCOUNT_LOCKED', 'PASSWORD_EXPIRED', 'TRANSACTION_EXPIRED', 'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_BAD_RESPONSE', 'OOB_DENIED', 'MECHANISM_UNSUPPORTED', 'CSRF_INVALID', 'STALE_STEP', 'RATE_LIMITED',
    ];
    expect([...shown.keys()].sort()).to.deep.equal([...codes].sort());
    expect(new Set(shown.values()).size).to.equal(codes.length);
  });
});
