/**
 * A minimal browser for tests: real HTTP over loopback with undici, a cookie jar,
 * no redirect following (tests assert on each 303), JSON or form posts.
 */
import { CookieJar } from 'tough-cookie';
import { request } from 'undici';

export interface BrowserResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  location?: string;
}

export class Browser {
  /** @param jar the cookies: share one to have the same browser in another mode. */
  constructor(readonly baseUrl: string, readonly mode: 'json' | 'html' = 'json', readonly jar = new CookieJar()) {}

  /** Headers this browser sends with every request (e.g. its user-agent). */
  sendsHeaders: Record<string, string> = {};

  async get(path: string): Promise<BrowserResponse> {
    return this.send('GET', path);
  }

  /** POST as JSON (json mode) or as a form (html mode). */
  async post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<BrowserResponse> {
    return this.send('POST', path, body, headers);
  }

  /** The session cookie's value (to check regeneration). */
  async sessionCookie(): Promise<string | undefined> {
    const cookies = await this.jar.getCookies(this.baseUrl);
    return cookies.find((c) => c.key === 'connect.sid')?.value;
  }

  async send(method: string, path: string, body?: Record<string, unknown>, extra: Record<string, string> = {}, raw?: { body: string | Uint8Array; contentType: string }): Promise<BrowserResponse> {
    const url = new URL(path, this.baseUrl).href;
    const headers: Record<string, string> = { accept: this.mode === 'json' ? 'application/json' : 'text/html', ...this.sendsHeaders, ...extra };
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.cookie = cookie;
    let payload: string | Uint8Array | undefined;
    if (raw) {
      payload = raw.body;
      headers['content-type'] = raw.contentType;
    } else if (body !== undefined) {
      if (this.mode === 'json') {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      } else {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        payload = new URLSearchParams(flattenForm(body)).toString();
      }
    }
    const res = await request(url, { method, headers, body: payload });
    const setCookie = res.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) await this.jar.setCookie(c, url);
    const text = await res.body.text();
    let json: any;
    try { json = JSON.parse(text); } catch { json = undefined; }
    const location = res.headers.location as string | undefined;
    return { status: res.statusCode, headers: res.headers, text, json, ...(location ? { location } : {}) };
  }
}

/** `{answer: {q1: 'a'}}` → `answer[q1]=a`, as an HTML form would post it. */
function flattenForm(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value !== null && typeof value === 'object') {
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) out[`${key}[${sub}]`] = String(v);
    } else if (value !== undefined) out[key] = String(value);
  }
  return out;
}
