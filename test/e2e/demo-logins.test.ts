/**
 * The demo in a real browser (Debian chromium through playwright-core): every demo user of
 * the three simulators and of the Cognito pool (cognito-local) logs in by clicking through the
 * library's built-in pages (CyberArk at /login/, IDCS at /idcs/login/, OAA at /oaa/login/,
 * Cognito at /cognito/login/), with the demo's simulator hints in their footer. Screenshots of
 * each step go to test-artifacts/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { OaaSimulator } from '../../lib/testing/index.js';
import { startDemo, type DemoProcess } from '../support/demo-process.js';
import { browserSuite, snapshot, submits, totp } from './helpers.js';

describe('demo app in a real browser: every demo user logs in', function () {
  this.timeout(60_000);
  // No resend cooldown, so "Send a new code" can be tried at once (the library's default is 30 s).
  const e2e = browserSuite({ RESEND_COOLDOWN_MS: '0' });

  const control = (path: string) => fetch(`${e2e.demo.simUrl}/_sim/api/${path}`, { method: 'POST' });
  const code = async (user: string) => ((await (await fetch(`${e2e.demo.simUrl}/_sim/api/code/${user}`)).json()) as { code: string }).code;
  const idcsControl = (path: string) => fetch(`${e2e.demo.idcsSimUrl}/_sim/api/${path}`, { method: 'POST' });
  const idcsCode = async (user: string, factor?: 'SMS' | 'EMAIL') => {
    const body = (await (await fetch(`${e2e.demo.idcsSimUrl}/_sim/api/code/${user}`)).json()) as { code: string | null; byFactor: Record<string, string> };
    const value = factor ? body.byFactor[factor] : body.code;
    if (!value) throw new Error(`no ${factor ?? ''} code for ${user}: ${JSON.stringify(body)}`);
    return value;
  };
  const idcsTotp = async (user: string) => ((await (await fetch(`${e2e.demo.idcsSimUrl}/_sim/api/totp/${user}`)).json()) as { code: string }).code;
  /** The OAA simulator's control API (the demo runs against the simulator here). */
  const oaaApi = (path: string, method = 'GET') => {
    if (!e2e.demo.oaaSimUrl) throw new Error('the demo did not start the OAA simulator');
    return fetch(`${e2e.demo.oaaSimUrl}/_sim/api/${path}`, { method });
  };
  const oaaCode = async (user: string, factor?: 'ChallengeEmail' | 'ChallengeSMS') => {
    const body = (await (await oaaApi(`code/${user}`)).json()) as { code: string | null; byFactor: Record<string, string> };
    const value = factor ? body.byFactor[factor] : body.code;
    if (!value) throw new Error(`no ${factor ?? ''} code for ${user}: ${JSON.stringify(body)}`);
    return value;
  };
  const oaaTotp = async (user: string) => ((await (await oaaApi(`totp/${user}`)).json()) as { code: string }).code;
  /** A touch of the user's simulated YubiKey ("Touch key" on the control page): a fresh OTP. */
  const oaaYubiKeyOtp = async (user: string) => ((await (await oaaApi(`yotp/${user}`, 'POST')).json()) as { otp: string }).otp;

  interface LoginOptions {
    /** Start page: `/login/` (CyberArk, the default) or `/idcs/login/`. */
    start?: string;
    /** Screenshot name prefix; default the user name. */
    shot?: string;
    /** Log in on this page (same browser context) instead of a fresh one. */
    page?: Page;
  }

  /** Starts a login for `user`, runs each step (each one leads to the next page), and waits for the home page. */
  async function login(user: string, steps: Array<(page: Page) => Promise<unknown>>, options: LoginOptions = {}): Promise<Page> {
    const page = options.page ?? await (await e2e.browser.newContext()).newPage();
    const shot = options.shot ?? user;
    await page.goto(`${e2e.demo.url}${options.start ?? '/login/'}`);
    await page.getByLabel('User name').fill(user);
    await submits(page, () => page.getByRole('button', { name: 'Continue' }).click());
    let n = 1;
    for (const step of steps) {
      await snapshot(page, `${shot}-${n++}`);
      await submits(page, () => step(page));
    }
    await page.waitForURL(`${e2e.demo.url}/`);
    await snapshot(page, `${shot}-done`);
    return page;
  }
  const password = (user: string) => async (page: Page) => {
    await page.getByLabel(/password/i).first().fill(`${user}-pw`);
    await page.keyboard.press('Enter');
  };
  const typeCode = (value: () => Promise<string>) => async (page: Page) => {
    const input = page.locator('input[autocomplete="one-time-code"]');
    await input.fill(await value());
    await input.press('Enter');
  };
  const click = (name: string | RegExp) => async (page: Page) => {
    await page.getByRole('button', { name }).click();
  };
  const signedInAs = async (page: Page, name: RegExp, provider = /CyberArk Identity/) => {
    const body = await page.textContent('body');
    expect(body).to.match(name);
    expect(body).to.match(provider);
    await page.context().close();
  };

  describe('CyberArk Identity (/login/)', () => {
    it('alice: password only', async () => {
      await signedInAs(await login('alice', [password('alice')]), /Alice/);
    });
    it('bob: password, then the SMS code', async () => {
      await signedInAs(await login('bob', [password('bob'), typeCode(() => code('bob'))]), /Bob/);
    });
    it('bob: the code page also polls, quietly (the text message may carry a link): no spinner, no waiting text', async () => {
      await signedInAs(await login('bob', [password('bob'), async (page) => {
        const polled = await page.waitForResponse((res) => res.url().endsWith('/login/poll'));
        expect(polled.status()).to.equal(200);
        expect(await page.getByRole('status').count()).to.equal(0);
        expect(await page.getByRole('alert').count()).to.equal(0);
        expect(await page.locator('.ms-spinner').count()).to.equal(0);
        await typeCode(() => code('bob'))(page);
      }], { shot: 'bob-quiet-poll' }), /Bob/);
    });
    it('carol: password, then a push approved on the simulated phone (the page polls)', async () => {
      await signedInAs(await login('carol', [password('carol'), async (page) => {
        await page.getByText(/waiting for you to approve/i).waitFor();
        await control('push/carol/approve');
      }]), /Carol/);
    });
    it('dave: password, then security questions', async () => {
      await signedInAs(await login('dave', [password('dave'), click(/security question/i), async (page) => {
        await page.getByLabel(/pet/i).fill('Rex');
        await page.getByLabel(/town/i).fill('Leeds');
        await page.keyboard.press('Enter');
      }]), /Dave/);
    });
    it('erin: password, then a choice: the authenticator app code', async () => {
      await signedInAs(await login('erin', [password('erin'), click(/^Authenticator app code$/), typeCode(async () => '123456')]), /Erin/);
    });
    it('frank: expired password, a new one', async () => {
      await signedInAs(await login('frank', [password('frank'), async (page) => {
        const input = page.locator('input[autocomplete="new-password"]').first();
        await input.fill('Brand-new-passw0rd');
        await input.press('Enter');
      }]), /Frank/);
    });
    it('grace: phone call first (placed when chosen, then approved), then the password', async () => {
      await signedInAs(await login('grace', [click(/phone call/i), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Answer the call');
        await page.getByText(/waiting for you to answer the call/i).waitFor();
        await control('push/grace/approve');
      }, password('grace')]), /Grace/);
    });
    it('hank: federated, sign in at the IdP, then the PIN', async () => {
      // The PIN is typed on the same (pending) page once the IdP sign-in is done: one step.
      await signedInAs(await login('hank', [async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Sign in with your organization');
        await page.getByRole('link', { name: /organization’s sign-in page/i }).waitFor();
        await control('idp/hank/complete');
        await typeCode(() => code('hank'))(page);
      }]), /Hank/);
    });
    it('ivy: federated without a PIN is refused with a clear message (phishing protection)', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(`${e2e.demo.url}/login/`);
      await page.getByLabel('User name').fill('ivy');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).to.match(/external identity provider/i);
      await snapshot(page, 'ivy-refused');
      await page.context().close();
    });
  });

  describe('Oracle IDCS (/idcs/login/)', () => {
    const idcs = { start: '/idcs/login/' };
    const idcsSignedIn = (page: Page, name: RegExp) => signedInAs(page, name, /Oracle IDCS/);

    it('the home page offers both providers', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(`${e2e.demo.url}/`);
      await page.getByRole('link', { name: 'Sign in with CyberArk Identity' }).waitFor();
      await submits(page, () => page.getByRole('link', { name: 'Sign in with Oracle IDCS' }).click());
      expect(page.url()).to.equal(`${e2e.demo.url}/idcs/login/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Sign in with Oracle IDCS');
      // The hint links to the IDCS simulator's phone and lists its users.
      const hint = page.getByRole('complementary', { name: /Oracle IDCS/ });
      expect(await hint.getByRole('link').getAttribute('href')).to.equal(`${e2e.demo.idcsSimUrl}/_sim`);
      expect(await hint.textContent()).to.include('12345678');
      await snapshot(page, 'idcs-start');
      await page.context().close();
    });
    it('ann: password only', async () => {
      await idcsSignedIn(await login('ann', [password('ann')], { ...idcs, shot: 'idcs-ann' }), /Ann Archer/);
    });
    it('ben: password, then the authenticator app (TOTP) code', async () => {
      await idcsSignedIn(await login('ben', [password('ben'), typeCode(() => idcsTotp('ben'))], { ...idcs, shot: 'idcs-ben-totp' }), /Ben Baker/);
    });
    it('ben: password, then "try another way": a bypass code', async () => {
      await idcsSignedIn(await login('ben', [
        password('ben'),
        click('Try another way'),
        click(/bypass code/i),
        typeCode(async () => '12345678'),
      ], { ...idcs, shot: 'idcs-ben-bypass' }), /Ben Baker/);
    });
    it('cora: password, then the SMS code (already sent): resend once, then the new code', async () => {
      let first = '';
      await idcsSignedIn(await login('cora', [password('cora'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your code');
        first = await idcsCode('cora', 'SMS');
        await page.getByRole('button', { name: 'Send a new code' }).click();
      }, async (page) => {
        expect(await page.getByRole('status').first().textContent()).to.match(/new code has been sent/i);
        expect(await page.getByRole('alert').count()).to.equal(0);
        const second = await idcsCode('cora', 'SMS');
        expect(second).to.not.equal(first);
        await typeCode(async () => second)(page);
      }], { ...idcs, shot: 'idcs-cora' }), /Cora Cole/);
    });
    it('dan: password, then a push approved on the simulated phone (the page polls)', async () => {
      await idcsSignedIn(await login('dan', [password('dan'), async (page) => {
        await page.getByText(/waiting for you to approve/i).waitFor();
        await idcsControl('push/dan/approve');
      }], { ...idcs, shot: 'idcs-dan' }), /Dan Dixon/);
    });
    it('eve: password, then security questions', async () => {
      await idcsSignedIn(await login('eve', [password('eve'), async (page) => {
        await page.getByLabel(/pet/i).fill('Rex'); // IDCS asks one question at a time
        await page.keyboard.press('Enter');
      }], { ...idcs, shot: 'idcs-eve' }), /Eve Ellis/);
    });
    it('fay: password, then the e-mail code', async () => {
      await idcsSignedIn(await login('fay', [password('fay'), typeCode(() => idcsCode('fay', 'EMAIL'))], { ...idcs, shot: 'idcs-fay' }), /Fay Fisher/);
    });
    it('gus: must enroll: the authenticator app scans the QR code shown (simulated), the page goes on by itself', async () => {
      await idcsSignedIn(await login('gus', [password('gus'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Set up a sign-in method');
        expect(await page.getByRole('button', { name: 'Not now' }).count()).to.equal(0);
        await page.getByRole('button', { name: 'Set up Authenticator app' }).click();
      }, async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Set up your authenticator app');
        const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
        // Loaded, so the CSP allows the data: URL.
        expect(await qr.evaluate((img) => {
          const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
          return complete && naturalWidth > 0;
        })).to.equal(true);
        await idcsControl('enrollment/gus/scan');
      }], { ...idcs, shot: 'idcs-gus' }), /Gus Grant/);
    });
    it('hal: may enroll, chooses "Not now" (before the next test enrolls him)', async () => {
      await idcsSignedIn(await login('hal', [password('hal'), click('Not now')], { ...idcs, shot: 'idcs-hal' }), /Hal Hughes/);
    });
    it('hal: may enroll: e-mail, proved with the code sent, then signed in', async () => {
      await idcsSignedIn(await login('hal', [password('hal'), click(/^Set up E-mail/), typeCode(() => idcsCode('hal', 'EMAIL'))], { ...idcs, shot: 'idcs-hal-email' }), /Hal Hughes/);
    });
    it('ida: accepts the terms of use', async () => {
      await idcsSignedIn(await login('ida', [password('ida'), async (page) => {
        expect(await page.getByRole('region', { name: /terms of use/i }).textContent()).to.match(/authorised purposes/);
        await page.getByRole('button', { name: 'I accept' }).click();
      }], { ...idcs, shot: 'idcs-ida' }), /Ida Irving/);
    });
    it('ida: declining the terms ends the sign-in with a message', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(`${e2e.demo.url}/idcs/login/`);
      await page.getByLabel('User name').fill('ida');
      await submits(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await submits(page, () => password('ida')(page));
      await submits(page, () => page.getByRole('button', { name: 'Decline' }).click());
      expect(page.url()).to.equal(`${e2e.demo.url}/idcs/login/`);
      expect(await page.getByRole('alert').textContent()).to.match(/accept the terms of use/i);
      await page.context().close();
    });
    it('lea: SMS with "remember this device"; the next sign-in in this browser needs only the password', async () => {
      const page = await login('lea', [password('lea'), async (page) => {
        await page.getByLabel(/remember this device for \d+ days/i).check();
        await typeCode(() => idcsCode('lea', 'SMS'))(page);
      }], { ...idcs, shot: 'idcs-lea' });
      expect(await page.textContent('body')).to.match(/Lea Lambert/);
      await submits(page, () => page.getByRole('button', { name: 'Log out' }).click());
      expect(await page.textContent('body')).to.match(/not signed in/i);
      await idcsSignedIn(await login('lea', [password('lea')], { ...idcs, shot: 'idcs-lea-again', page }), /Lea Lambert/);
    });
    it('jo (locked) and kim (expired password) are refused with distinct messages on the start page', async () => {
      const messages: string[] = [];
      for (const user of ['jo', 'kim']) {
        const page = await (await e2e.browser.newContext()).newPage();
        await page.goto(`${e2e.demo.url}/idcs/login/`);
        await page.getByLabel('User name').fill(user);
        await submits(page, () => page.getByRole('button', { name: 'Continue' }).click());
        await submits(page, () => password(user)(page));
        expect(page.url()).to.equal(`${e2e.demo.url}/idcs/login/`);
        messages.push((await page.getByRole('alert').textContent()) ?? '');
        expect(await page.getByLabel('User name').inputValue()).to.equal(user);
        await snapshot(page, `idcs-${user}-refused`);
        await page.context().close();
      }
      expect(messages[0]).to.match(/locked/i);
      expect(messages[1]).to.match(/expired/i);
      expect(messages[0]).to.not.equal(messages[1]);
    });
  });
  describe('Oracle Advanced Authentication (/oaa/login/)', () => {
    const oaaStart = { start: '/oaa/login/' };
    const oaaSignedIn = (page: Page, name: RegExp) => signedInAs(page, name, /Signed in with\s*Oracle Advanced Authentication/);
    /** Opens the OAA start page and submits the user name and `pw`; returns the page after the password step. */
    async function passwordStep(user: string, pw = `${user}-pw`): Promise<Page> {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(`${e2e.demo.url}/oaa/login/`);
      await page.getByLabel('User name').fill(user);
      await submits(page, () => page.getByRole('button', { name: 'Continue' }).click());
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your password');
      await page.getByLabel(/password/i).first().fill(pw);
      await submits(page, () => page.keyboard.press('Enter'));
      return page;
    }

    it('the home page offers all three providers; the OAA start page has its own hint and users', async () => {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(`${e2e.demo.url}/`);
      for (const name of ['CyberArk Identity', 'Oracle IDCS']) await page.getByRole('link', { name: `Sign in with ${name}` }).waitFor();
      await snapshot(page, 'oaa-home');
      await submits(page, () => page.getByRole('link', { name: 'Sign in with Oracle Advanced Authentication' }).click());
      expect(page.url()).to.equal(`${e2e.demo.url}/oaa/login/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Sign in with Oracle Advanced Authentication');
      const hint = page.getByRole('complementary', { name: /Oracle Advanced Authentication/ });
      expect(await hint.getByRole('link').getAttribute('href')).to.equal(`${e2e.demo.oaaSimUrl}/_sim`);
      const text = await hint.textContent();
      for (const user of ['olga', 'pete', 'quinn', 'rosa', 'sam', 'tess', 'uma', 'vic', 'walt']) expect(text).to.include(user);
      expect(text).to.match(/YubiKey/);
      // The other two providers are one click away.
      await page.getByRole('link', { name: 'CyberArk Identity' }).waitFor();
      await page.getByRole('link', { name: 'Oracle IDCS' }).waitFor();
      await snapshot(page, 'oaa-start');
      await page.context().close();
    });
    it('olga: password, then the e-mail code; logs out through the OAA router', async () => {
      const page = await login('olga', [password('olga'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your code');
        // Where the code went, said once (the prompt already names the address), in the one masked format.
        expect((await page.textContent('main'))!.match(/•••@example\.com/g)).to.have.length(1);
        expect(await page.textContent('main')).to.not.include('o***@example.com');
        await page.getByRole('button', { name: 'Send a new code' }).waitFor();
        await typeCode(() => oaaCode('olga', 'ChallengeEmail'))(page);
      }], { ...oaaStart, shot: 'oaa-olga' });
      const body = await page.textContent('body');
      expect(body).to.match(/Olga Owens/);
      expect(body).to.match(/Signed in with\s*Oracle Advanced Authentication/);
      expect(await page.locator('form[action="/oaa/login/logout"]').count()).to.equal(1);
      await submits(page, () => page.getByRole('button', { name: 'Log out' }).click());
      expect(await page.textContent('body')).to.match(/not signed in/i);
      await page.context().close();
    });
    it('pete: password, then the SMS code', async () => {
      await oaaSignedIn(await login('pete', [password('pete'), typeCode(() => oaaCode('pete', 'ChallengeSMS'))], { ...oaaStart, shot: 'oaa-pete' }), /Pete Parker/);
    });
    it('quinn: password, then the authenticator app (TOTP) code', async () => {
      await oaaSignedIn(await login('quinn', [password('quinn'), typeCode(() => oaaTotp('quinn'))], { ...oaaStart, shot: 'oaa-quinn' }), /Quinn Quayle/);
    });
    it('rosa: password, then a push approved on the simulated phone (the page polls)', async () => {
      await oaaSignedIn(await login('rosa', [password('rosa'), async (page) => {
        await page.getByText(/waiting for you to approve/i).waitFor();
        // Let the page poll at least once before the approval.
        await page.waitForResponse((res) => res.url().endsWith('/oaa/login/poll'));
        expect((await (await oaaApi('push/rosa/approve', 'POST')).json())).to.deep.equal({ ok: true });
      }], { ...oaaStart, shot: 'oaa-rosa' }), /Rosa Reyes/);
    });
    it('sam: password, then a choice of e-mail, SMS or TOTP: chooses SMS', async () => {
      await oaaSignedIn(await login('sam', [password('sam'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Verify it’s you');
        for (const name of [/e-mail/i, /text message/i, /authenticator app/i]) expect(await page.getByRole('button', { name }).isEnabled()).to.equal(true);
        await page.getByRole('button', { name: /text message/i }).click();
      }, async (page) => {
        await page.getByRole('button', { name: 'Try another way' }).waitFor();
        await typeCode(() => oaaCode('sam', 'ChallengeSMS'))(page);
      }], { ...oaaStart, shot: 'oaa-sam' }), /Sam Smith/);
    });
    it('tess: password, then a YubiKey OTP (44 modhex characters, no numeric keypad)', async () => {
      await oaaSignedIn(await login('tess', [password('tess'), async (page) => {
        const input = page.locator('input[autocomplete="one-time-code"]');
        expect(await page.getByText(/security key/i).count()).to.be.greaterThan(0);
        expect(await input.getAttribute('inputmode')).to.equal('text');
        expect(await input.getAttribute('pattern')).to.equal(null);
        expect(await input.getAttribute('maxlength')).to.equal(null);
        const otp = await oaaYubiKeyOtp('tess');
        expect(otp).to.match(/^[cbdefghijklnrtuv]{44}$/);
        await input.fill(otp);
        expect(await input.inputValue()).to.equal(otp);
        await input.press('Enter');
      }], { ...oaaStart, shot: 'oaa-tess' }), /Tess Turner/);
    });
    it('walt: no challenge needed, the password is enough', async () => {
      await oaaSignedIn(await login('walt', [password('walt')], { ...oaaStart, shot: 'oaa-walt' }), /Walt Walker/);
    });
    it('a wrong password is refused on the password step, then the right one goes on', async () => {
      const page = await passwordStep('pete', 'not-the-password');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your password');
      expect(await page.getByRole('alert').textContent()).to.match(/sign-in failed/i);
      await snapshot(page, 'oaa-wrong-password');
      await submits(page, () => password('pete')(page));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your code');
      await submits(page, () => typeCode(() => oaaCode('pete', 'ChallengeSMS'))(page));
      await page.waitForURL(`${e2e.demo.url}/`);
      await oaaSignedIn(page, /Pete Parker/);
    });
    it('a wrong code is refused in place, then the right one signs in', async () => {
      const page = await passwordStep('olga');
      const right = await oaaCode('olga', 'ChallengeEmail');
      await submits(page, () => typeCode(async () => (right === '000000' ? '111111' : '000000'))(page));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your code');
      expect(await page.getByRole('alert').textContent()).to.match(/not correct/i);
      await snapshot(page, 'oaa-wrong-code');
      await submits(page, () => typeCode(async () => right)(page));
      await page.waitForURL(`${e2e.demo.url}/`);
      await oaaSignedIn(page, /Olga Owens/);
    });
    it('sam: a factor blocked after too many wrong codes is greyed out, another one signs in', async () => {
      const retryCount = ((await (await oaaApi('switches')).json()) as { retryCount: number }).retryCount;
      try {
        const page = await passwordStep('sam');
        await submits(page, () => page.getByRole('button', { name: /text message/i }).click());
        for (let i = 0; i < retryCount; i++) {
          await submits(page, () => typeCode(async () => 'wrong1')(page));
        }
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Verify it’s you');
        expect(await page.getByRole('status').first().textContent()).to.match(/locked/i);
        const sms = page.getByRole('button', { name: /text message/i });
        expect(await sms.isDisabled()).to.equal(true);
        expect(await sms.textContent()).to.match(/not available here/i);
        await snapshot(page, 'oaa-sam-blocked');
        await submits(page, () => page.getByRole('button', { name: /e-mail/i }).click());
        await submits(page, () => typeCode(() => oaaCode('sam', 'ChallengeEmail'))(page));
        await page.waitForURL(`${e2e.demo.url}/`);
        await oaaSignedIn(page, /Sam Smith/);
      } finally {
        await oaaApi('unlock/sam', 'POST');
      }
    });
    it('uma: no registered factor, sent to the OAA enrolment page', async () => {
      const page = await passwordStep('uma');
      expect(page.url()).to.match(new RegExp(`^${e2e.demo.oaaSimUrl!.replace(/[.]/g, '\\.')}/oaa/rui`));
      expect(await page.title()).to.match(/My Authentication Factors/);
      await snapshot(page, 'oaa-uma-enrolment');
      await page.context().close();
    });
    it('vic: FIDO2 only, refused on the start page with a clear "none can be used here" message', async () => {
      const page = await passwordStep('vic');
      expect(page.url()).to.equal(`${e2e.demo.url}/oaa/login/`);
      expect(await page.getByRole('alert').textContent()).to.match(/None of the sign-in methods offered can be used here\. Register another method/);
      expect(await page.getByLabel('User name').inputValue()).to.equal('vic');
      await snapshot(page, 'oaa-vic-refused');
      await page.context().close();
    });
  });
  describe('AWS Cognito (/cognito/login/, cognito-local behind the demo\'s MFA_SETUP front)', () => {
    const cognito = { start: '/cognito/login/' };
    // cognito-local's ID token has no `name`: the home page shows the e-mail.
    const cognitoSignedIn = (page: Page, user: string) => signedInAs(page, new RegExp(`${user}@example\\.com`), /Signed in with\s*AWS Cognito/);
    /** The demo's Cognito phone page: the last SMS code of `user`, or the code of their authenticator app. */
    const phone = async (user: string, kind: 'sms' | 'app'): Promise<string> => {
      const html = await (await fetch(`${e2e.demo.url}/cognito/_sim`)).text();
      const re = kind === 'sms' ? new RegExp(`<code>(\\d{6})</code> for <strong>${user}</strong>`) : new RegExp(`<strong>${user}</strong>: <code>(\\d{6})</code>`);
      const code = re.exec(html)?.[1];
      if (!code) throw new Error(`no ${kind} code for ${user} on the phone page:\n${html}`);
      return code;
    };

    before(async function () {
      // cognito-local starts after the demo listens: wait for its button.
      const page = await (await e2e.browser.newContext()).newPage();
      for (let i = 0; i < 100; i++) {
        await page.goto(`${e2e.demo.url}/`);
        if (await page.getByRole('link', { name: 'Sign in with AWS Cognito' }).count()) break;
        await page.waitForTimeout(100);
      }
      await page.getByRole('link', { name: 'Sign in with AWS Cognito' }).waitFor({ timeout: 1000 });
      await page.context().close();
    });

    it('casey: password only', async () => {
      await cognitoSignedIn(await login('casey', [password('casey')], { ...cognito, shot: 'cognito-casey' }), 'casey');
    });
    it('sid: password, then the SMS code from the phone page', async () => {
      await cognitoSignedIn(await login('sid', [password('sid'), typeCode(() => phone('sid', 'sms'))], { ...cognito, shot: 'cognito-sid' }), 'sid');
    });
    it('tia: password, then the authenticator app code', async () => {
      await cognitoSignedIn(await login('tia', [password('tia'), typeCode(() => phone('tia', 'app'))], { ...cognito, shot: 'cognito-tia' }), 'tia');
    });
    it('cole: password, then a choice: SMS', async () => {
      await cognitoSignedIn(await login('cole', [password('cole'), click(/^Text message/), typeCode(() => phone('cole', 'sms'))], { ...cognito, shot: 'cognito-cole' }), 'cole');
    });
    it('nina: temporary password, then a new one', async () => {
      await cognitoSignedIn(await login('nina', [password('nina'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Choose a new password');
        const input = page.locator('input[autocomplete="new-password"]').first();
        await input.fill('Nina-new-passw0rd');
        await input.press('Enter');
      }], { ...cognito, shot: 'cognito-nina' }), 'nina');
    });
    it('mona: sets up an authenticator app from the key shown (a wrong code first), then signs in with its code', async () => {
      let secret = '';
      await cognitoSignedIn(await login('mona', [password('mona'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Set up your authenticator app');
        secret = (await page.locator('#ms-secret').inputValue()).replace(/\s+/g, '');
        expect(secret).to.match(/^[A-Z2-7]{16,}$/);
        const right = totp(secret);
        await typeCode(async () => (right === '000000' ? '111111' : '000000'))(page);
      }, async (page) => {
        expect(await page.getByRole('alert').textContent()).to.equal('That is not correct. Please try again.');
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Set up your authenticator app');
        await typeCode(async () => totp(secret))(page);
      }], { ...cognito, shot: 'cognito-mona-setup' }), 'mona');
      // Set up: the phone page shows the app's code, and the next sign-in asks for it.
      // (The code of this 30-second window, or of the one next to it if the window turned meanwhile.)
      const now = Date.now();
      expect([totp(secret, now - 30_000), totp(secret, now), totp(secret, now + 30_000)]).to.include(await phone('mona', 'app'));
      await cognitoSignedIn(await login('mona', [password('mona'), async (page) => {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your code');
        expect(await page.locator('#ms-secret').count()).to.equal(0);
        await typeCode(() => phone('mona', 'app'))(page);
      }], { ...cognito, shot: 'cognito-mona-again' }), 'mona');
    });
  });
  describe('OAA against a "real" deployment (OAA_URL …): the first factor is DEMO_PASSWORDS', () => {
    // A simulator started here stands in for a real OAA deployment: the demo only knows its URL and credentials.
    let deployment: OaaSimulator;
    before(async () => { deployment = await OaaSimulator.start(); });
    after(async () => { await deployment?.close(); });
    const deploymentEnv = () => ({
      OAA_URL: deployment.url, OAA_API_USERNAME: deployment.apiUsername, OAA_API_KEY: deployment.apiKey,
      OAA_CLIENT_ID: deployment.clientId, OAA_CLIENT_SECRET: deployment.clientSecret, OAA_ASSURANCE_LEVEL: 'PassportAL1',
      OAA_REGISTRATION_URL: deployment.registrationUrl,
    });
    async function tryPassword(app: DemoProcess, user: string, pw: string): Promise<Page> {
      const page = await (await e2e.browser.newContext()).newPage();
      await page.goto(`${app.url}/oaa/login/`);
      expect(await page.getByRole('complementary').count()).to.equal(0); // no simulator hint
      await page.getByLabel('User name').fill(user);
      await submits(page, () => page.getByRole('button', { name: 'Continue' }).click());
      await page.getByLabel(/password/i).first().fill(pw);
      await submits(page, () => page.keyboard.press('Enter'));
      return page;
    }

    it('without DEMO_PASSWORDS no one gets past the password step (and the start-up output says so)', async () => {
      const app = await startDemo({ ...deploymentEnv(), DEMO_PASSWORDS: '' });
      try {
        expect(app.oaaSimUrl).to.equal(undefined);
        for (let i = 0; i < 50 && !/OAA first factor/.test(app.output()); i++) await new Promise((r) => setTimeout(r, 100));
        expect(app.output()).to.match(/OAA deployment:\s+http:\/\/127\.0\.0\.1:\d+\/oaa\/runtime/);
        expect(app.output()).to.match(/DEMO_PASSWORDS is not set, so no one can pass the password step/);
        const page = await tryPassword(app, 'olga', 'olga-pw');
        expect(await page.getByRole('alert').textContent()).to.match(/sign-in failed/i);
        expect(deployment.requests).to.have.length(0); // OAA is never asked before the password is right
        await page.context().close();
      } finally {
        await app.stop();
      }
    });
    it('with DEMO_PASSWORDS, only those users and passwords pass, then OAA challenges them', async () => {
      const app = await startDemo({ ...deploymentEnv(), DEMO_PASSWORDS: 'olga:S3cret:with-colon,pete:other' });
      try {
        const page = await tryPassword(app, 'olga', 'olga-pw'); // the simulator's own password is not the app's
        expect(await page.getByRole('alert').textContent()).to.match(/sign-in failed/i);
        await page.getByLabel(/password/i).first().fill('S3cret:with-colon');
        await submits(page, () => page.keyboard.press('Enter'));
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Enter your code');
        await snapshot(page, 'oaa-deployment-olga');
        await submits(page, () => typeCode(async () => deployment.lastCode('olga', 'ChallengeEmail')!)(page));
        await page.waitForURL(`${app.url}/`);
        // No directory behind DEMO_PASSWORDS: the user is known by the name typed.
        await signedInAs(page, /olga/, /Signed in with\s*Oracle Advanced Authentication/);
      } finally {
        await app.stop();
      }
    });
  });
});
