/** Drives the companion routes in JSON mode, as an SPA would: CSRF token, transaction id, step sequence. */
import { Browser, type BrowserResponse } from './browser.js';
import type { Step } from '../../lib/index.js';

export class LoginClient {
  readonly browser: Browser;
  csrf = '';
  tx = '';
  step: Step | undefined;
  last: BrowserResponse | undefined;

  constructor(baseUrl: string, browser?: Browser) {
    this.browser = browser ?? new Browser(baseUrl, 'json');
  }

  /** GET /login/csrf, then POST /login/start. */
  async start(username: string, extra: Record<string, unknown> = {}): Promise<BrowserResponse> {
    if (!this.csrf) this.csrf = (await this.browser.get('/login/csrf')).json.csrfToken;
    return this.track(await this.browser.post('/login/start', { username, _csrf: this.csrf, ...extra }));
  }

  /** Starts a login for a demo user and answers its password (`<name>-pw`). */
  async startWithPassword(username: string): Promise<BrowserResponse> {
    await this.start(username);
    return this.answer(`${username}-pw`);
  }

  /** POSTs an action for the current transaction with the current sequence. */
  async act(action: string, body: Record<string, unknown> = {}): Promise<BrowserResponse> {
    return this.track(await this.browser.post(`/login/${action}`, { tx: this.tx, sequence: this.step?.sequence, _csrf: this.csrf, ...body }));
  }

  /** Answers the only mechanism of the current step. */
  async answer(answer: unknown, mechanism = this.step?.mechanisms[0]?.id): Promise<BrowserResponse> {
    return this.act('answer', { mechanism, answer });
  }

  /** Selects the mechanism whose type (or label) matches. */
  async select(match: string): Promise<BrowserResponse> {
    const m = this.step?.mechanisms.find((x) => x.type === match || x.label.includes(match));
    if (!m) throw new Error(`no mechanism ${match} in ${JSON.stringify(this.step)}`);
    return this.act('select', { mechanism: m.id });
  }

  async me(): Promise<any> {
    return (await this.browser.get('/me')).json;
  }

  private track(res: BrowserResponse): BrowserResponse {
    this.last = res;
    if (res.json?.csrfToken) this.csrf = res.json.csrfToken;
    if (res.json?.transactionId) this.tx = res.json.transactionId;
    if (res.json?.step) this.step = res.json.step;
    return res;
  }
}
