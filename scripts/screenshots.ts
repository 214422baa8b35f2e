/**
 * Screenshots of the built-in login pages for the docs: `npx tsx scripts/screenshots.ts`
 * writes docs/screenshots/*.png (800 px wide, PNG).
 *
 * The pages are rendered by `createPages()` with its defaults (no app theme, no footer) from
 * locals shaped like the providers' (plain labels from lib/mechanism-text.ts), served with their
 * assets by a throwaway loopback server, and photographed by the system chromium
 * (playwright-core; CHROMIUM_PATH, default /usr/bin/chromium). No simulator or demo is needed,
 * so the pictures do not change with ports or timing: rerun after changing the pages.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { ErrorCodes } from '../lib/errors.js';
import { applyPlainText } from '../lib/mechanism-text.js';
import type { Mechanism, Step } from '../lib/step.js';
import { pseudoQrPngBase64 } from '../lib/testing/idcs/png.js';
import type { PageActions, PageLocals } from '../lib/web/page-locals.js';
import { createPages } from '../lib/web/pages/index.js';

const out = 'docs/screenshots';
const base = '/login';
const actions: PageActions = {
  start: `${base}/start`, step: `${base}/step`, select: `${base}/select`, answer: `${base}/answer`, poll: `${base}/poll`,
  resend: `${base}/resend`, alternatives: `${base}/alternatives`, cancel: `${base}/cancel`, logout: `${base}/logout`,
};
const common = { csrfToken: 'screenshot', csrfField: '_csrf', actions };

/** A mechanism with the plain label and prompt the providers give it. */
function mechanism(id: string, type: Mechanism['type'], channel: Parameters<typeof applyPlainText>[1], where: { address?: string; device?: string } = {}, extra: Partial<Mechanism> = {}): Mechanism {
  const m: Mechanism = { id, type, label: '', prompt: '', ...extra };
  applyPlainText(m, channel, where);
  return m;
}

const sms = mechanism('sms', 'otp', 'sms', { address: '+1 555 010 6098' }, { resendable: true });
// Never polled while the picture is taken: the first poll is due long after it.
const noPoll = 600_000;

function step(s: Omit<Step, 'sequence'>): PageLocals {
  return { ...common, page: 'step', transactionId: 'tx', username: 'jordan', step: { sequence: 2, ...s } };
}

/** The pages to photograph, by file name. */
const shots: Record<string, PageLocals> = {
  'start': { ...common, page: 'start' },
  'select': step({
    kind: 'select', challenge: { index: 2, count: 2 },
    mechanisms: [
      sms,
      mechanism('email', 'otp', 'email', { address: 'jordan@example.com' }),
      mechanism('push', 'push', 'push', { device: 'Pixel 8' }),
      mechanism('app', 'otp', 'app-code'),
      { ...mechanism('key', 'unsupported', 'security-key') },
    ],
  }),
  'code': step({ kind: 'answer', challenge: { index: 2, count: 2 }, alternatives: true, rememberDevice: { days: 30 }, mechanisms: [sms] }),
  'push': step({
    kind: 'pending', challenge: { index: 2, count: 2 }, pollAfterMs: noPoll, alternatives: true, matchNumber: '47',
    mechanisms: [mechanism('push', 'push', 'push', { device: 'Pixel 8' })],
  }),
  'enroll-qr': step({
    kind: 'pending', pollAfterMs: noPoll,
    mechanisms: [{
      id: 'app', type: 'otp', enroll: true, label: 'Authenticator app', prompt: 'Scan the QR code with your authenticator app.',
      qrCode: `data:image/png;base64,${pseudoQrPngBase64('otpauth://totp/Example:jordan?secret=JBSWY3DPEHPK3PXP')}`, secret: 'JBSWY3DPEHPK3PXP',
    }],
  }),
  'error': step({
    kind: 'answer', challenge: { index: 2, count: 2 }, mechanisms: [sms],
  }),
  'error-page': { ...common, page: 'error', error: { code: 'CSRF_INVALID', message: ErrorCodes.CSRF_INVALID.message }, status: 403 },
};
(shots.error as PageLocals).flash = { code: 'WRONG_ANSWER', message: ErrorCodes.WRONG_ANSWER.message };

const pages = createPages({ productName: 'Example app' });
let current: PageLocals = shots.start!;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith(`${base}/assets/`)) {
    const asset = pages.asset(url.pathname.slice(`${base}/assets/`.length));
    res.writeHead(asset ? 200 : 404, asset?.headers ?? {}).end(asset?.body ?? '');
    return;
  }
  const page = pages.render(current, { assetBase: `${base}/assets/` });
  res.writeHead(200, page.headers).end(page.html);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await context.newPage();
  for (const [name, locals] of Object.entries(shots)) {
    current = locals;
    await page.goto(`${origin}${base}/`);
    await page.waitForLoadState('load');
    // Blur the autofocused field: the picture shows the page, not the focus ring.
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    console.log(`${out}/${name}.png`);
  }
} finally {
  await browser.close();
  server.close();
}
