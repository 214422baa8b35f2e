import { request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { CookieJar } from 'tough-cookie';
import { MultiStepError } from '../errors.js';
import { createLogger } from '../log.js';
import { createDispatcher } from './dispatcher.js';
import { mapTransportError } from './map-error.js';
import { resolveHttpOptions, type HttpOptions, type ResolvedHttpOptions } from './options.js';

const log = createLogger('http');

/** One upstream call. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

/** A response whose body was read in full, within the size cap. */
export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string;
  text: string;
}

/** A response that carried a JSON body. */
export interface UpstreamJsonResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * The HTTP layer every provider uses: one keep-alive dispatcher, explicit timeouts,
 * a body size cap, strict JSON, and the login's cookie jar applied on the way out and in.
 */
export class UpstreamClient {
  readonly options: ResolvedHttpOptions;
  readonly dispatcher: Dispatcher;

  constructor(options: HttpOptions = {}) {
    this.options = resolveHttpOptions(options);
    this.dispatcher = createDispatcher(this.options);
  }

  /** Sends a request and reads the whole body. Throws MultiStepError on transport failures. */
  async request(req: UpstreamRequest, jar?: CookieJar): Promise<UpstreamResponse> {
    const started = performance.now();
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const cookie = jar ? await jar.getCookieString(req.url.href) : '';
    if (cookie) headers.cookie = cookie;

    let response: Dispatcher.ResponseData;
    try {
      response = await request(req.url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      const mapped = mapTransportError(error);
      log('request failed', { method: req.method, host: req.url.host, path: req.url.pathname, errorCode: mapped.code, ms: elapsed(started) });
      throw mapped;
    }
    if (jar) await storeSetCookies(jar, req.url, response.headers['set-cookie']);
    const text = await this.readBody(response, req);
    const contentType = String(response.headers['content-type'] ?? '');
    log('response', { method: req.method, host: req.url.host, path: req.url.pathname, status: response.statusCode, bytes: text.length, ms: elapsed(started) });
    return { status: response.statusCode, headers: response.headers, contentType, text };
  }

  /**
   * Sends a request and parses a JSON body. 5xx → UPSTREAM_UNAVAILABLE; an HTML page,
   * truncated or non-JSON body → UPSTREAM_BAD_RESPONSE. Other statuses are returned for
   * the provider to interpret (some APIs put their errors in 4xx JSON).
   */
  async requestJson(req: UpstreamRequest, jar?: CookieJar): Promise<UpstreamJsonResponse> {
    const response = await this.request(req, jar);
    if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
    return { status: response.status, headers: response.headers, body: parseJsonBody(response) };
  }

  /** Closes the dispatcher if this client created it. */
  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.close();
  }

  private async readBody(response: Dispatcher.ResponseData, req: UpstreamRequest): Promise<string> {
    const limit = this.options.maxResponseBytes;
    const declared = Number(response.headers['content-length']);
    const tooLarge = () => {
      log('response too large', { host: req.url.host, path: req.url.pathname, limit });
      return new MultiStepError('UPSTREAM_BAD_RESPONSE');
    };
    if (Number.isFinite(declared) && declared > limit) {
      response.body.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > limit) {
          response.body.destroy();
          throw tooLarge();
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw mapTransportError(error);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

/** Strict JSON: the content type must say JSON and the body must parse completely. */
export function parseJsonBody(response: UpstreamResponse): unknown {
  if (!/\bjson\b/i.test(response.contentType)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  try {
    return JSON.parse(response.text);
  } catch (error) {
    throw new MultiStepError('UPSTREAM_BAD_RESPONSE', { cause: new Error(`invalid JSON (${(error as Error).name})`) });
  }
}

async function storeSetCookies(jar: CookieJar, url: URL, header: string | string[] | undefined): Promise<void> {
  if (header === undefined) return;
  for (const value of Array.isArray(header) ? header : [header]) {
    // A malformed or foreign-domain cookie is dropped, as a browser would.
    await jar.setCookie(value, url.href, { ignoreError: true });
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
