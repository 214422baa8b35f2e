/**
 * The demo in a real browser (Debian chromium through playwright-core): every demo user
 * logs in by clicking through the pages. Screenshots of each step go to test-artifacts/.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type DemoProcess } from '../support/demo-process.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = 'test-artifacts/screenshots';

describe('demo app in a real browser: every demo user logs in', function () {
  this.timeout(60_000);
  let demo: DemoProcess;
  let browser: Browser;

  before(async function () {
    if (!existsSync(chromiumPath)) {
      if (process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${chromiumPath} is missing`);
      console.log(`      skipping browser tests: ${chromiumPath} not found (apt-get install chromium; .ci/run does)`);
      this.skip();
    }
    mkdirSync(shots, { recursive: true });
    demo = await startDemo();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const control = (path: string) => fetch(`${demo.simUrl}/_sim/api/${path}`, { method: 'POST' });
  const code = async (user: string) => ((await (await fetch(`${demo.simUrl}/_sim/api/code/${user}`)).json()) as { code: string }).code;

  async function login(user: string, steps: Array<(page: Page) => Promise<void>>): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${demo.url}/login/`);
    await page.getByLabel('User name').fill(user);
    await page.getByRole('button', { name: 'Continue' }).click();
    let n = 1;
    for (const step of steps) {
      await snapshot(page, `${user}-${n++}`);
      await step(page);
    }
    await page.waitForURL(`${demo.url}/`);
    await snapshot(page, `${user}-done`);
    return page;
  }
  /** Screenshots are artifacts, not assertions: taken once the page has loaded, never failing a test. */
  async function snapshot(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('load');
    await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }).catch(() => undefined);
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
  const signedInAs = async (page: Page, name: RegExp) => {
    expect(await page.textContent('body')).to.match(name);
    await page.context().close();
  };

  it('alice: password only', async () => {
    await signedInAs(await login('alice', [password('alice')]), /Alice/);
  });
  it('bob: password, then the SMS code', async () => {
    await signedInAs(await login('bob', [password('bob'), typeCode(() => code('bob'))]), /Bob/);
  });
  it('carol: password, then a push approved on the simulated phone (the page polls)', async () => {
    await signedInAs(await login('carol', [password('carol'), async (page) => {
      await page.getByText(/waiting for you to approve/i).waitFor();
      await control('push/carol/approve');
    }]), /Carol/);
  });
  it('dave: password, then security questions', async () => {
    await signedInAs(await login('dave', [password('dave'), async (page) => {
      await page.getByRole('button', { name: /security question/i }).click();
    }, async (page) => {
      await page.getByLabel(/pet/i).fill('Rex');
      await page.getByLabel(/town/i).fill('Leeds');
      await page.keyboard.press('Enter');
    }]), /Dave/);
  });
  it('erin: password, then a choice: the authenticator app code', async () => {
    await signedInAs(await login('erin', [password('erin'), async (page) => {
      await page.getByRole('button', { name: /OATH/ }).click();
    }, typeCode(async () => '123456')]), /Erin/);
  });
  it('frank: expired password, a new one', async () => {
    await signedInAs(await login('frank', [password('frank'), async (page) => {
      const input = page.locator('input[autocomplete="new-password"]').first();
      await input.fill('Brand-new-passw0rd');
      await input.press('Enter');
    }]), /Frank/);
  });
  it('grace: phone call first (placed when chosen, then approved), then the password', async () => {
    await signedInAs(await login('grace', [async (page) => {
      await page.getByRole('button', { name: /phone call/i }).click();
    }, async (page) => {
      await page.getByText(/waiting for you to approve/i).waitFor();
      await control('push/grace/approve');
      await page.getByLabel(/password/i).first().waitFor();
    }, password('grace')]), /Grace/);
  });
  it('hank: federated, sign in at the IdP, then the PIN', async () => {
    await signedInAs(await login('hank', [async (page) => {
      await page.getByRole('link', { name: /open the sign-in page/i }).waitFor();
      await control('idp/hank/complete');
    }, typeCode(() => code('hank'))]), /Hank/);
  });
  it('ivy: federated without a PIN is refused with a clear message (phishing protection)', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${demo.url}/login/`);
    await page.getByLabel('User name').fill('ivy');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).to.match(/external identity provider/i);
    await snapshot(page, 'ivy-refused');
    await page.context().close();
  });
});
