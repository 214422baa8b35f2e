/**
 * The single-page app (examples/spa, served by the demo at /spa/) in a real browser: it signs
 * in through the JSON routes of all four providers (AWS Cognito joins the picker once
 * cognito-local is up: the app reads the server's list), follows every error by its stable code,
 * sends the CSRF token, polls pending steps and shows the resend cooldown. Screenshots of
 * each step go to test-artifacts/screenshots/spa-*.png.
 */
import { expect } from 'chai';
import type { Page, Request } from 'playwright-core';
import { browserSuite, heading, snapshot, totp } from './helpers.js';

type ProviderKey = 'cyberark' | 'idcs' | 'oaa' | 'cognito';

describe('single-page app (/spa/) in a real browser: the JSON routes', function () {
  this.timeout(60_000);

  // The library's default resend cooldown (30 s), so "Send a new code" meets it.
  const e2e = browserSuite();

  /** Requests the page sent to the login routes (to check headers). */
  const routeRequests = new WeakMap<Page, Request[]>();
  /** Problems the page reported (script errors, CSP violations in the console). */
  const pageErrors = new WeakMap<Page, string[]>();

  /** Opens the SPA in a fresh browser context, with `provider` chosen in the picker. */
  async function open(provider: ProviderKey, options: { clock?: boolean } = {}): Promise<Page> {
    const page = await (await e2e.browser.newContext()).newPage();
    const requests: Request[] = [];
    const errors: string[] = [];
    routeRequests.set(page, requests);
    pageErrors.set(page, errors);
    page.on('request', (req) => { if (/\/login\//.test(new URL(req.url()).pathname)) requests.push(req); });
    page.on('pageerror', (error) => errors.push(error.message));
    // (4xx/5xx answers are expected here: chromium logs each as "Failed to load resource".)
    page.on('console', (message) => { if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) errors.push(message.text()); });
    if (options.clock) await page.clock.install();
    await page.goto(`${e2e.demo.url}/spa/`);
    await page.getByLabel('User name').waitFor();
    const names = { cyberark: 'CyberArk Identity', idcs: 'Oracle IDCS', oaa: 'Oracle Advanced Authentication', cognito: 'AWS Cognito' };
    // (Waits for the option: AWS Cognito joins the picker once cognito-local is up.)
    await page.getByLabel('Sign in with').selectOption({ label: names[provider] });
    return page;
  }

  /** Runs `action` and waits for the next screen (its `h1` changes). */
  async function next(page: Page, action: () => Promise<unknown>, expected?: string): Promise<string> {
    const before = await heading(page);
    await action();
    await page.waitForFunction((old) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
      const text = doc.querySelector('h1')?.textContent?.trim();
      return text !== undefined && text !== old;
    }, before);
    const now = await heading(page);
    if (expected !== undefined) expect(now).to.equal(expected);
    return now;
  }

  /** The focused element's tag and text. */
  const focusedElement = (page: Page) => page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { tagName: string; textContent: string | null; id: string } | null } }).document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', text: el?.textContent ?? '', id: el?.id ?? '' };
  });

  /** User name, then the password: leaves the page on the step after the password. */
  async function throughPassword(page: Page, user: string, shot: string, password = `${user}-pw`): Promise<string> {
    await page.getByLabel('User name').fill(user);
    await snapshot(page, `${shot}-1-start`);
    await next(page, () => page.getByRole('button', { name: 'Continue' }).click(), 'Enter your password');
    // Focus moves to the new step's heading.
    expect(await focusedElement(page)).to.include({ tag: 'h1', text: 'Enter your password' });
    await page.getByLabel('Password').fill(password);
    await snapshot(page, `${shot}-2-password`);
    return next(page, () => page.getByLabel('Password').press('Enter'));
  }

  const typeCode = async (page: Page, code: string) => {
    const input = page.locator('input[autocomplete="one-time-code"]');
    expect(await input.getAttribute('inputmode')).to.equal('numeric');
    await input.fill(code);
    await input.press('Enter');
  };

  /** Waits for the home page after sign-in and checks who it greets. */
  async function signedIn(page: Page, name: RegExp, provider: RegExp): Promise<void> {
    await page.waitForURL(`${e2e.demo.url}/`);
    const body = await page.textContent('body');
    expect(body).to.match(name);
    expect(body).to.match(provider);
    expect(pageErrors.get(page)).to.deep.equal([]);
    await page.context().close();
  }

  it('is served at /spa/ under a strict CSP (same-origin module, no inline code) and linked from the home page', async () => {
    const res = await fetch(`${e2e.demo.url}/spa/`);
    expect(res.status).to.equal(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.include("style-src 'self'");
    expect(csp).to.include("default-src 'none'");
    expect(csp).to.not.include('unsafe');
    expect((await fetch(`${e2e.demo.url}/spa`, { redirect: 'manual' })).headers.get('location')).to.equal('/spa/');
    expect((await fetch(`${e2e.demo.url}/spa/tsconfig.json`)).status).to.equal(404);
    const js = await fetch(`${e2e.demo.url}/spa/app.js`);
    expect(js.headers.get('content-type')).to.match(/javascript/);

    const page = await (await e2e.browser.newContext()).newPage();
    await page.goto(`${e2e.demo.url}/`);
    await page.getByRole('link', { name: 'Single-page app' }).click();
    await page.waitForURL(`${e2e.demo.url}/spa/`);
    expect(await heading(page)).to.equal('Sign in');
    // The picker offers the four providers: AWS Cognito from the server's list (/spa/providers.json),
    // once cognito-local is up, without a reload.
    await page.getByLabel('Sign in with').locator('option', { hasText: 'AWS Cognito' }).waitFor({ state: 'attached' });
    expect(await page.getByLabel('Sign in with').locator('option').allTextContents())
      .to.deep.equal(['CyberArk Identity', 'Oracle IDCS', 'Oracle Advanced Authentication', 'AWS Cognito']);
    const list = (await (await fetch(`${e2e.demo.url}/spa/providers.json`)).json()) as { providers: Array<{ key: string; base: string }>; pending?: string[] };
    expect(list.providers.map((p) => `${p.key} ${p.base}`)).to.deep.equal(['cyberark /login', 'idcs /idcs/login', 'oaa /oaa/login', 'cognito /cognito/login']);
    expect(list.pending).to.equal(undefined);
    await page.context().close();
  });

  it('while the server lists AWS Cognito as pending (cognito-local starting), the app asks again and the picker gains it in place', async () => {
    const page = await (await e2e.browser.newContext()).newPage();
    let asked = 0;
    // The first answer as the demo gives it during cognito-local's start-up; then the real one.
    await page.route('**/spa/providers.json', async (route) => {
      asked += 1;
      if (asked > 1) return route.continue();
      return route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          providers: [
            { key: 'cyberark', name: 'CyberArk Identity', base: '/login' },
            { key: 'idcs', name: 'Oracle IDCS', base: '/idcs/login' },
          ],
          pending: ['cognito'],
        }),
      });
    });
    await page.goto(`${e2e.demo.url}/spa/`);
    const options = page.getByLabel('Sign in with').locator('option');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('#provider option').length === 2);
    expect(await options.allTextContents()).to.deep.equal(['CyberArk Identity', 'Oracle IDCS']);
    await page.getByLabel('User name').fill('half-typed');
    await page.getByLabel('User name').focus();
    await page.getByLabel('Sign in with').locator('option', { hasText: 'AWS Cognito' }).waitFor({ state: 'attached' });
    expect(asked).to.equal(2);
    expect(await options.allTextContents()).to.deep.equal(['CyberArk Identity', 'Oracle IDCS', 'Oracle Advanced Authentication', 'AWS Cognito']);
    // Updated in place: what was typed, and the focus, stay.
    expect(await page.getByLabel('User name').inputValue()).to.equal('half-typed');
    expect(await focusedElement(page)).to.include({ tag: 'input', id: 'username' });
    await page.context().close();
  });

  it('?provider=cognito preselects AWS Cognito (from the server\'s list, not index.html\'s); casey signs in', async () => {
    const page = await (await e2e.browser.newContext()).newPage();
    await page.goto(`${e2e.demo.url}/spa/?provider=cognito`);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('#provider')?.value === 'cognito');
    await page.getByLabel('User name').fill('casey');
    await next(page, () => page.getByRole('button', { name: 'Continue' }).click(), 'Enter your password');
    expect(await page.textContent('main')).to.include('casey · AWS Cognito');
    await page.getByLabel('Password').fill('casey-pw');
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(`${e2e.demo.url}/`);
    expect(await page.textContent('body')).to.match(/Signed in with\s*AWS Cognito/);
    await page.context().close();
  });

  /** The demo's Cognito phone page: the code of `user`'s authenticator app. */
  const cognitoAppCode = async (user: string): Promise<string> => {
    const html = await (await fetch(`${e2e.demo.url}/cognito/_sim`)).text();
    const code = new RegExp(`<strong>${user}</strong>: <code>(\\d{6})</code>`).exec(html)?.[1];
    if (!code) throw new Error(`no authenticator code for ${user} on the phone page:\n${html}`);
    return code;
  };

  it('AWS Cognito mona: sets up an authenticator app (its key shown; a wrong code, then the right one), then signs in with it', async () => {
    const page = await open('cognito');
    expect(await throughPassword(page, 'mona', 'spa-mona')).to.equal('Set up your authenticator app');
    expect(await page.getByRole('status').first().textContent()).to.equal('Set up an authenticator app to finish signing in.');
    const secret = (await page.getByLabel('Or type this key').inputValue()).replace(/\s+/g, '');
    expect(secret).to.match(/^[A-Z2-7]{16,}$/);
    await snapshot(page, 'spa-mona-3-setup');
    const right = totp(secret);
    await typeCode(page, right === '000000' ? '111111' : '000000');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).to.equal('WRONG_ANSWER');
    expect(await heading(page)).to.equal('Set up your authenticator app');
    expect((await page.getByLabel('Or type this key').inputValue()).replace(/\s+/g, '')).to.equal(secret);
    await typeCode(page, totp(secret));
    await signedIn(page, /mona@example\.com/, /Signed in with\s*AWS Cognito/);

    // Set up: the next sign-in asks for that app's code (the phone page shows the same one).
    // (The code of this 30-second window, or of the one next to it if the window turned meanwhile.)
    const now = Date.now();
    expect([totp(secret, now - 30_000), totp(secret, now), totp(secret, now + 30_000)]).to.include(await cognitoAppCode('mona'));
    const again = await open('cognito');
    expect(await throughPassword(again, 'mona', 'spa-mona-again')).to.equal('Enter your code');
    expect(await again.locator('#totp-secret').count()).to.equal(0);
    await typeCode(again, await cognitoAppCode('mona'));
    await signedIn(again, /mona@example\.com/, /Signed in with\s*AWS Cognito/);
  });

  it('AWS Cognito nina: a temporary password, then a new one', async () => {
    const page = await open('cognito');
    expect(await throughPassword(page, 'nina', 'spa-nina')).to.equal('Choose a new password');
    await page.getByLabel('New password').fill('Nina-new-passw0rd');
    await snapshot(page, 'spa-nina-3-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await signedIn(page, /nina@example\.com/, /Signed in with\s*AWS Cognito/);
  });

  it('CyberArk carol: password, then a push approved from the simulator (polling, "still waiting")', async () => {
    const page = await open('cyberark', { clock: true });
    expect(await throughPassword(page, 'carol', 'spa-carol')).to.equal('Waiting for approval');
    const status = page.getByRole('status').filter({ hasText: /approve/ });
    expect(await status.textContent()).to.equal('Waiting for you to approve…');
    // The page polls at the server's pollAfterMs and shows how long it has waited.
    await page.waitForResponse((res) => res.url().endsWith('/login/poll'));
    await page.locator('#pending-progress').filter({ hasText: /checked \d+ time/ }).waitFor();
    await snapshot(page, 'spa-carol-3-push');
    // After a while without an approval: the "still waiting" state.
    await page.clock.fastForward('00:20');
    await page.getByText('Still waiting for you to approve…').waitFor();
    expect(await page.locator('#pending-still').isVisible()).to.equal(true);
    await snapshot(page, 'spa-carol-4-still-waiting');
    expect(await e2e.sims.cyberark.post('push/carol/approve')).to.deep.equal({ ok: true });
    await page.clock.fastForward('00:05'); // the next poll
    await signedIn(page, /Carol/, /Signed in with\s*CyberArk Identity/);
  });

  it('IDCS ben: password, then the authenticator app (TOTP) code; every POST carries the CSRF token as JSON', async () => {
    const page = await open('idcs');
    expect(await throughPassword(page, 'ben', 'spa-ben')).to.equal('Enter your code');
    expect(await focusedElement(page)).to.include({ tag: 'h1' });
    await page.getByRole('button', { name: 'Try another way' }).waitFor();
    await snapshot(page, 'spa-ben-3-totp');
    await typeCode(page, await e2e.sims.idcs.totp('ben'));
    const requests = routeRequests.get(page)!;
    await signedIn(page, /Ben Baker/, /Signed in with\s*Oracle IDCS/);

    const csrf = requests.filter((r) => r.url().endsWith('/idcs/login/csrf'));
    expect(csrf).to.have.length.greaterThan(0);
    const posts = requests.filter((r) => r.method() === 'POST');
    expect(posts.map((r) => new URL(r.url()).pathname)).to.deep.equal(['/idcs/login/start', '/idcs/login/answer', '/idcs/login/answer']);
    for (const post of posts) {
      const headers = post.headers();
      expect(headers['x-csrf-token']).to.match(/^\S{20,}$/);
      expect(headers.accept).to.equal('application/json');
      expect(headers['content-type']).to.equal('application/json');
    }
  });

  it('OAA olga: password, then the e-mail code', async () => {
    const page = await open('oaa');
    expect(await throughPassword(page, 'olga', 'spa-olga')).to.equal('Enter your code');
    // Where the code went, said once, in the one masked format.
    expect((await page.textContent('main'))!.match(/•••@example\.com/g)).to.have.length(1);
    await snapshot(page, 'spa-olga-3-email-code');
    await typeCode(page, await e2e.sims.oaa.code('olga', 'ChallengeEmail'));
    await signedIn(page, /Olga Owens/, /Signed in with\s*Oracle Advanced Authentication/);
  });

  it('a wrong code is refused in place (WRONG_ANSWER), then the right one signs in', async () => {
    const page = await open('oaa');
    expect(await throughPassword(page, 'pete', 'spa-pete')).to.equal('Enter your code');
    const right = await e2e.sims.oaa.code('pete', 'ChallengeSMS');
    await typeCode(page, right === '000000' ? '111111' : '000000');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).to.equal('That is not correct. Please try again.');
    expect(await alert.getAttribute('data-code')).to.equal('WRONG_ANSWER');
    expect(await heading(page)).to.equal('Enter your code');
    // The code field has the focus again, its content selected: typing replaces it.
    expect(await focusedElement(page)).to.include({ tag: 'input', id: 'answer' });
    await snapshot(page, 'spa-pete-3-wrong-code');
    await typeCode(page, right);
    await signedIn(page, /Pete Parker/, /Signed in with\s*Oracle Advanced Authentication/);
  });

  it('cancel: back to the start, which says so (and keeps the user name)', async () => {
    const page = await open('cyberark');
    expect(await throughPassword(page, 'bob', 'spa-bob')).to.equal('Enter your code');
    await snapshot(page, 'spa-bob-3-sms-code');
    await next(page, () => page.getByRole('button', { name: 'Cancel sign-in' }).click(), 'Sign in');
    expect(await page.getByRole('status').textContent()).to.equal('You cancelled the sign-in.');
    expect(await page.getByLabel('User name').inputValue()).to.equal('bob');
    expect(await focusedElement(page)).to.include({ tag: 'h1' });
    expect(routeRequests.get(page)!.some((r) => r.url().endsWith('/login/cancel'))).to.equal(true);
    await snapshot(page, 'spa-bob-4-cancelled');
    // A new login starts cleanly.
    await next(page, () => page.getByRole('button', { name: 'Continue' }).click(), 'Enter your password');
    await page.context().close();
  });

  it('upstream unavailable (a 503 from the identity service): the message on the same step, then the retry succeeds', async () => {
    const page = await open('cyberark');
    await page.getByLabel('User name').fill('alice');
    await next(page, () => page.getByRole('button', { name: 'Continue' }).click(), 'Enter your password');
    await e2e.sims.cyberark.fault({ kind: 'status', status: 503 }, 'AdvanceAuthentication');
    try {
      await page.getByLabel('Password').fill('alice-pw');
      await page.getByLabel('Password').press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).to.equal('The identity service is unavailable. Please try again shortly.');
      expect(await alert.getAttribute('data-code')).to.equal('UPSTREAM_UNAVAILABLE');
      expect(await heading(page)).to.equal('Enter your password');
      await snapshot(page, 'spa-alice-upstream-unavailable');
    } finally {
      await e2e.sims.cyberark.clearFaults();
    }
    await page.getByLabel('Password').fill('alice-pw');
    await page.getByLabel('Password').press('Enter');
    await signedIn(page, /Alice/, /Signed in with\s*CyberArk Identity/);
  });

  it('a refused CSRF token (CSRF_INVALID): the message on the same step; the token is refreshed and the retry succeeds', async () => {
    const page = await open('idcs');
    await page.getByLabel('User name').fill('ann');
    await next(page, () => page.getByRole('button', { name: 'Continue' }).click(), 'Enter your password');
    // The next answer goes out with a forged token, as after a session change in another tab.
    await page.route('**/idcs/login/answer', (route) => route.continue({ headers: { ...route.request().headers(), 'x-csrf-token': 'forged' } }), { times: 1 });
    await page.getByLabel('Password').fill('ann-pw');
    await page.getByLabel('Password').press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).to.equal('CSRF_INVALID');
    expect(await alert.textContent()).to.equal('The form has expired or is invalid. Please try again.');
    expect(await heading(page)).to.equal('Enter your password');
    await page.getByLabel('Password').fill('ann-pw');
    await page.getByLabel('Password').press('Enter');
    await signedIn(page, /Ann Archer/, /Signed in with\s*Oracle IDCS/);
  });

  it('resend too soon (429 RATE_LIMITED + retryAfterSeconds): the button is disabled with a countdown', async () => {
    const page = await open('idcs');
    expect(await throughPassword(page, 'cora', 'spa-cora')).to.equal('Enter your code');
    const resend = page.getByRole('button', { name: 'Send a new code' });
    const answer = page.waitForResponse((res) => res.url().endsWith('/idcs/login/resend'));
    await resend.click();
    const res = await answer;
    expect(res.status()).to.equal(429);
    const retryAfter = Number(res.headers()['retry-after']);
    expect(retryAfter).to.be.within(1, 30);
    const alert = page.getByRole('alert');
    expect(await alert.getAttribute('data-code')).to.equal('RATE_LIMITED');
    expect(await alert.textContent()).to.match(/^Please wait \d+ seconds before asking for a new code\.$/);
    expect(await resend.getAttribute('aria-disabled')).to.equal('true');
    expect(await resend.isDisabled()).to.equal(true);
    expect(await page.locator('#resend-wait').textContent()).to.match(/^You can ask for a new code in \d+ seconds?\.$/);
    // aria-disabled, not disabled: the button keeps the focus; pressing it now sends nothing.
    expect(await focusedElement(page)).to.include({ tag: 'button', text: 'Send a new code' });
    const before = routeRequests.get(page)!.length;
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(routeRequests.get(page)!.length).to.equal(before);
    await snapshot(page, 'spa-cora-3-resend-cooldown');
    await typeCode(page, await e2e.sims.idcs.code('cora', 'SMS'));
    await signedIn(page, /Cora Cole/, /Signed in with\s*Oracle IDCS/);
  });

  it('a login in progress survives a reload of the page', async () => {
    const page = await open('idcs');
    expect(await throughPassword(page, 'eve', 'spa-eve')).to.equal('Security questions');
    await page.reload();
    await page.getByLabel(/pet/i).waitFor();
    expect(await heading(page)).to.equal('Security questions');
    await page.getByLabel(/pet/i).fill('Rex');
    await page.keyboard.press('Enter');
    await signedIn(page, /Eve Ellis/, /Signed in with\s*Oracle IDCS/);
  });
});
