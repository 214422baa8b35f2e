/** The conformance suites' browser: a LoginClient that stops at the first problem the scripted upstream saw, or a 5xx. */
import type { BrowserResponse } from './browser.js';
import { LoginClient } from './login-client.js';
import { sleep } from './sim-fixture.js';

/** The poll interval the conformance test apps hint (faster polls are answered without an upstream call). */
export const POLL_INTERVAL_MS = 20;

export class ConformanceClient extends LoginClient {
  /**
   * @param up the scripted upstream (its `problems` list what it refused)
   * @param allowBadResponse whether a 502 UPSTREAM_BAD_RESPONSE is an answer the tests check (CyberArk's unknown Summary)
   */
  constructor(baseUrl: string, private readonly up: { problems: string[] }, private readonly allowBadResponse = false) {
    super(baseUrl);
  }

  override async start(username: string, extra: Record<string, unknown> = {}): Promise<BrowserResponse> {
    return this.checked('start', await super.start(username, extra));
  }

  override async act(action: string, body: Record<string, unknown> = {}): Promise<BrowserResponse> {
    return this.checked(action, await super.act(action, body));
  }

  /** Waits out the poll interval, then polls. */
  async poll(): Promise<BrowserResponse> {
    await sleep(POLL_INTERVAL_MS + 5);
    return this.act('poll');
  }

  private checked(action: string, res: BrowserResponse): BrowserResponse {
    if (this.up.problems.length > 0) {
      throw new Error(`during /login/${action} (HTTP ${res.status}: ${res.text.slice(0, 300)}) the scripted upstream saw:\n  - ${this.up.problems.join('\n  - ')}`);
    }
    const expected = this.allowBadResponse && res.json?.error?.code === 'UPSTREAM_BAD_RESPONSE';
    if (res.status >= 500 && !expected) throw new Error(`/login/${action} answered HTTP ${res.status}: ${res.text.slice(0, 500)}`);
    return res;
  }
}
