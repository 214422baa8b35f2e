/**
 * A browser for the scale-out tests: one cookie jar, several app instances. Each request
 * goes to the next instance in turn (or to the one named), as a load balancer without
 * sticky sessions would send it. JSON mode, like an SPA: CSRF token, transaction id and
 * step sequence are tracked from the answers.
 */
import { CookieJar } from 'tough-cookie';
import { request } from 'undici';
import type { Step } from '../../lib/index.js';

export interface Reply {
  status: number;
  json: any;
  /** Index of the instance that answered. */
  instance: number;
  method: string;
  path: string;
  ms: number;
  /** Order in which this reply's cookies reached the jar (global, increasing); undefined when it set none. */
  cookieOrder?: number;
}

let cookieOrder = 0;

export class ClusterClient {
  readonly jar: CookieJar;
  /** Every reply this client received, oldest first. */
  readonly replies: Reply[] = [];
  csrf = '';
  tx = '';
  step: Step | undefined;
  private turn: number;

  /**
   * @param bases the instances' base URLs
   * @param mount where the strategy's routes are (`/login`, `/idcs/login`, `/oaa/login`)
   * @param options.jar share a jar with another client: two tabs of one browser
   * @param options.startAt instance of the first request (then round robin)
   */
  constructor(readonly bases: string[], readonly mount = '/login', options: { jar?: CookieJar; startAt?: number } = {}) {
    this.jar = options.jar ?? new CookieJar();
    this.turn = options.startAt ?? 0;
  }

  /** Sends a request to `instance` (default: the next one in turn). */
  async send(method: string, path: string, body?: Record<string, unknown>, instance?: number): Promise<Reply> {
    const index = instance ?? this.turn++ % this.bases.length;
    const url = new URL(path, this.bases[index]).href;
    const headers: Record<string, string> = { accept: 'application/json' };
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.cookie = cookie;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const started = performance.now();
    const res = await request(url, { method, headers, body: payload });
    const setCookie = res.headers['set-cookie'];
    const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    let order: number | undefined;
    if (cookies.length > 0) {
      order = ++cookieOrder;
      for (const c of cookies) await this.jar.setCookie(c, url);
    }
    const text = await res.body.text();
    let json: any;
    try { json = JSON.parse(text); } catch { json = { raw: text.slice(0, 300) }; }
    const reply: Reply = {
      status: res.statusCode, json, instance: index, method, path, ms: performance.now() - started,
      ...(order === undefined ? {} : { cookieOrder: order }),
    };
    this.replies.push(reply);
    return reply;
  }

  get(path: string, instance?: number): Promise<Reply> {
    return this.send('GET', path, undefined, instance);
  }

  /** GET {mount}/csrf: a session with a CSRF token. */
  async fetchCsrf(instance?: number): Promise<Reply> {
    const reply = await this.get(`${this.mount}/csrf`, instance);
    if (reply.json?.csrfToken) this.csrf = reply.json.csrfToken;
    return reply;
  }

  async start(username: string, instance?: number): Promise<Reply> {
    if (!this.csrf) await this.fetchCsrf(instance === undefined ? undefined : instance);
    return this.track(await this.send('POST', `${this.mount}/start`, { username, _csrf: this.csrf }, instance));
  }

  /** The body of an action on the current transaction and step. */
  form(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { tx: this.tx, sequence: this.step?.sequence, _csrf: this.csrf, ...extra };
  }

  /** POST {mount}/{action} for the current transaction. */
  async act(action: string, extra: Record<string, unknown> = {}, instance?: number): Promise<Reply> {
    return this.track(await this.send('POST', `${this.mount}/${action}`, this.form(extra), instance));
  }

  /** Answers the step's only (or given) mechanism. */
  answer(answer: unknown, instance?: number, mechanism = this.step?.mechanisms[0]?.id): Promise<Reply> {
    return this.act('answer', { mechanism, answer }, instance);
  }

  /** GET {mount}/step?tx=… (a reload of the step page). */
  async reloadStep(instance?: number): Promise<Reply> {
    return this.get(`${this.mount}/step?tx=${encodeURIComponent(this.tx)}`, instance);
  }

  async me(instance?: number): Promise<{ username: string; provider: string; id: string } | null> {
    return (await this.get('/me', instance)).json.user ?? null;
  }

  /** Takes csrf, tx and step from a reply. */
  track(reply: Reply): Reply {
    if (reply.json?.csrfToken) this.csrf = reply.json.csrfToken;
    if (reply.json?.transactionId) this.tx = reply.json.transactionId;
    if (reply.json?.step) this.step = reply.json.step;
    return reply;
  }
}
