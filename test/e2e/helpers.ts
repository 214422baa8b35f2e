/**
 * Shared pieces of the browser tests (Debian chromium through playwright-core): launching,
 * the skip when chromium is missing, the demo and browser of a suite, screenshots, the simulators' control APIs, page audits
 * and keyboard helpers. The test tsconfig has no DOM types: code that runs in the page
 * reaches its globals through `globalThis` and the small interfaces below.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type DemoProcess } from '../support/demo-process.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const shots = 'test-artifacts/screenshots';

/**
 * In a `before` hook: skips the suite, saying why, when chromium is missing (fails instead
 * when REQUIRE_BROWSER is set, as in CI).
 */
export function requireChromium(ctx: Mocha.Context): void {
  if (existsSync(chromiumPath)) {
    mkdirSync(shots, { recursive: true });
    return;
  }
  if (process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${chromiumPath} is missing`);
  console.log(`      skipping browser tests: ${chromiumPath} not found (apt-get install chromium; .ci/run does)`);
  ctx.skip();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The demo process, the browser and the simulators' control APIs of one browser suite. */
export interface BrowserSuite {
  readonly demo: DemoProcess;
  readonly browser: Browser;
  /** The control APIs of the demo's three simulators (see {@link simulatorsOf}). */
  readonly sims: { cyberark: SimApi; idcs: SimApi; oaa: SimApi };
}

/**
 * Called in a `describe`: adds a `before` hook that skips the suite without chromium
 * ({@link requireChromium}), starts the demo as `npm start` does (with `env` added to its
 * environment) and launches chromium, and an `after` hook that closes both. The returned
 * object's fields are there once the `before` hook has run.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let demo: DemoProcess | undefined;
  let browser: Browser | undefined;
  let sims: BrowserSuite['sims'] | undefined;
  before(async function () {
    requireChromium(this);
    demo = await startDemo(env);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser suite has not started (used outside its tests?)');
    return value;
  };
  return {
    get demo() { return started(demo); },
    get browser() { return started(browser); },
    get sims() { return (sims ??= simulatorsOf(started(demo))); },
  };
}

/** Screenshots are artifacts, not assertions: taken once the page has loaded, never failing a test. */
export async function snapshot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true, timeout: 10_000 }).catch(() => undefined);
}

/**
 * Runs `action`, which submits a form or lets the page's script move on, and waits until the
 * next page has loaded (server-rendered pages): screenshots and the next step never see a page in between.
 */
export async function submits(page: Page, action: () => Promise<unknown>): Promise<void> {
  await page.evaluate(() => { (globalThis as { demoOld?: boolean }).demoOld = true; });
  await action();
  await page.waitForFunction(() => {
    const g = globalThis as unknown as { demoOld?: boolean; document: { readyState: string } };
    return !g.demoOld && g.document.readyState === 'complete';
  });
}

/** The text of the page's one `h1`. */
export async function heading(page: Page): Promise<string> {
  return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

/** RFC 6238 (HMAC-SHA1, 30 s, 6 digits): what an authenticator app computes from the key shown on the page. */
export function totp(secret: string, timeMs = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${secret}`);
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) { bytes.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000)));
  const hmac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// ------------------------------------------------------------------ the simulators' control APIs

/** One simulator's JSON control API (`<origin>/_sim/api/…`), as another process (this test) uses it. */
export class SimApi {
  constructor(readonly origin: string) {}

  async get<T = Record<string, unknown>>(path: string): Promise<T> {
    const res = await fetch(`${this.origin}/_sim/api/${path}`);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async post<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/_sim/api/${path}`, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Arms a transport fault for the next request to `path` (last path segment, e.g. `AdvanceAuthentication`). */
  fault(fault: { kind: string; status?: number }, path: string, times = 1): Promise<unknown> {
    return this.post('faults', { fault, path, times });
  }

  async clearFaults(): Promise<void> {
    const res = await fetch(`${this.origin}/_sim/api/faults`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`DELETE faults: ${res.status}`);
  }

  /** The last code sent to `user` (`channel`: e.g. `SMS`, `EMAIL`, `ChallengeEmail`). */
  async code(user: string, channel?: string): Promise<string> {
    const body = await this.get<{ code: string | null; byFactor?: Record<string, string>; byMechanism?: Record<string, string> }>(`code/${user}`);
    const value = channel ? (body.byFactor ?? body.byMechanism ?? {})[channel] : body.code;
    if (!value) throw new Error(`no ${channel ?? ''} code for ${user}: ${JSON.stringify(body)}`);
    return value;
  }

  /** The current authenticator app code of `user` (IDCS, OAA). */
  async totp(user: string): Promise<string> {
    return (await this.get<{ code: string }>(`totp/${user}`)).code;
  }
}

/** The control APIs of the demo's three simulators. */
export function simulatorsOf(demo: DemoProcess): { cyberark: SimApi; idcs: SimApi; oaa: SimApi } {
  if (!demo.oaaSimUrl) throw new Error('the demo did not start the OAA simulator');
  return { cyberark: new SimApi(demo.simUrl), idcs: new SimApi(demo.idcsSimUrl), oaa: new SimApi(demo.oaaSimUrl) };
}

// ------------------------------------------------------------------ accessibility

/** What {@link auditPage} found wrong on a page (empty: nothing). */
export interface AuditProblems {
  /** Visible inputs, selects and textareas without an accessible name. */
  unnamedFields: string[];
  /** Visible buttons and links without a name, images without alt text. */
  unnamedControls: string[];
  /** Number of visible `h1` (must be exactly 1). */
  h1: number;
  /** Visible alert-looking boxes (`.alert`, the built-in pages' `.ms-alert`) without `role=alert`. */
  alertsWithoutRole: number;
  /** Elements with a positive `tabindex` (they break the reading order for keyboard users). */
  positiveTabindex: string[];
  /** `<html lang>`, and the document title. */
  lang: string;
  title: string;
}

/**
 * Audits the page as it is: every visible form field has an accessible name (a `<label>`,
 * `aria-label` or `aria-labelledby` with text), every button and link a name, every image an
 * alt text, exactly one `h1`, every `.alert` box `role=alert`, no positive `tabindex`.
 */
export async function auditPage(page: Page): Promise<AuditProblems> {
  return page.evaluate(auditSource) as Promise<AuditProblems>;
}

/**
 * The audit, as plain JavaScript run in the page (a string: tsx would wrap the helper
 * functions of a TypeScript callback in its own `__name`, which the page does not have).
 */
const auditSource = `(() => {
  const all = (selector) => Array.from(document.querySelectorAll(selector));
  const visible = (el) => el.getClientRects().length > 0 && !el.closest('[hidden]');
  const text = (el) => (el ? el.textContent || '' : '').replace(/\s+/g, ' ').trim();
  const nameOf = (el) => {
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
    return Array.from(el.labels || []).map((l) => text(l)).join(' ').trim();
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.type ? '[type=' + el.type + ']' : '');
  return {
    unnamedFields: all('input, select, textarea').filter((el) => el.type !== 'hidden' && visible(el) && !nameOf(el)).map(describe),
    unnamedControls: [
      ...all('button, a[href]').filter((el) => visible(el) && !(el.getAttribute('aria-label') || '').trim() && !text(el)).map(describe),
      ...all('img').filter((el) => visible(el) && !(el.getAttribute('alt') || '').trim()).map(describe),
    ],
    h1: all('h1').filter(visible).length,
    alertsWithoutRole: all('.alert, .ms-alert').filter((el) => visible(el) && el.getAttribute('role') !== 'alert').length,
    positiveTabindex: all('[tabindex]').filter((el) => el.tabIndex > 0).map(describe),
    lang: document.documentElement.getAttribute('lang') || '',
    title: document.title,
  };
})()`;

// ------------------------------------------------------------------ keyboard

/** The accessible name of the focused element (its labels, aria-label or text), and its tag. */
export async function focused(page: Page): Promise<{ tag: string; name: string }> {
  return page.evaluate(() => {
    interface El { tagName: string; textContent: string | null; labels?: ArrayLike<{ textContent: string | null }> | null; getAttribute(n: string): string | null }
    const el = (globalThis as unknown as { document: { activeElement: El | null } }).document.activeElement;
    // Nothing focused (the body, or the focus left the page): no name, so that no pattern matches its whole text.
    if (!el || el.tagName === 'BODY' || el.tagName === 'HTML') return { tag: el?.tagName.toLowerCase() ?? '', name: '' };
    const labels = Array.from(el.labels ?? []).map((l) => l.textContent ?? '').join(' ');
    const name = el.getAttribute('aria-label') ?? (labels || el.textContent || '');
    return { tag: el.tagName.toLowerCase(), name: name.replace(/\s+/g, ' ').trim() };
  });
}

/** Presses Tab (only Tab) until the focused element's name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: RegExp, max = 30): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i <= max; i++) {
    const current = await focused(page);
    if (name.test(current.name)) return;
    seen.push(`${current.tag}:${current.name.slice(0, 40)}`);
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}; focus went through: ${seen.join(' | ')}`);
}
