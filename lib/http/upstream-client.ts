import { request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { MultiStepError } from '../errors.js';
import type { UpstreamCookieJar } from './cookie-jar.js';
import { Deadline } from './deadline.js';
import { createLogger } from '../log.js';
import { createDispatcher } from './dispatcher.js';
import { mapTransportError } from './map-error.js';
import { resolveHttpOptions, type HttpOptions, type ResolvedHttpOptions } from './options.js';
import { logWireExchange, wireLogEnabled } from './wire-log.js';

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
  async request(req: UpstreamRequest, jar?: UpstreamCookieJar): Promise<UpstreamResponse> {
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
    const cookie = jar?.cookieHeader(req.url);
    if (cookie) headers.cookie = cookie;

    const deadline = new Deadline(this.options.requestTimeoutMs);
    let status: number;
    let responseHeaders: IncomingHttpHeaders;
    let text: string;
    let response: Dispatcher.ResponseData | undefined;
    try {
      response = await request(req.url, { method: req.method, headers, body, dispatcher: this.dispatcher, signal: deadline.signal });
      status = response.statusCode;
      responseHeaders = response.headers;
      jar?.setCookies(req.url, responseHeaders['set-cookie']);
      text = await this.readBody(response, req);
    } catch (error) {
      if (response && !response.body.destroyed) response.body.destroy(); // never leave a half-read body on a pooled connection
      const mapped = deadline.expired ? new MultiStepError('UPSTREAM_TIMEOUT', { cause: error }) : mapTransportError(error);
      log('request failed', { method: req.method, host: req.url.host, path: req.url.pathname, errorCode: mapped.code, ms: elapsed(started) });
      if (wireLogEnabled()) logWireExchange({ ...req, cookie }, { errorCode: mapped.code, status: response?.statusCode }, elapsed(started));
      throw mapped;
    } finally {
      deadline.clear();
    }
    const contentType = String(responseHeaders['content-type'] ?? '');
    log('response', { method: req.method, host: req.url.host, path: req.url.pathname, status, bytes: text.length, ms: elapsed(started) });
    // Checked here, not inside: when the namespace is off no shape is computed (bench/ measures this path).
    if (wireLogEnabled()) logWireExchange({ ...req, cookie }, { status, headers: responseHeaders, text }, elapsed(started));
    return { status, headers: responseHeaders, contentType, text };
  }

  /**
   * Sends a request and parses a JSON body. 5xx → UPSTREAM_UNAVAILABLE; an HTML page,
   * truncated or non-JSON body → UPSTREAM_BAD_RESPONSE. Other statuses are returned for
   * the provider to interpret (some APIs put their errors in 4xx JSON).
   */
  async requestJson(req: UpstreamRequest, jar?: UpstreamCookieJar): Promise<UpstreamJsonResponse> {
    const response = await this.request(req, jar);
    if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
    return { status: response.status, headers: response.headers, body: parseJsonBody(response) };
  }

  /** Closes the dispatcher if this client created it. */
  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.close();
  }

  /** Reads the whole body, within the size cap. A declared length is checked before reading. */
  private readBody(response: Dispatcher.ResponseData, req: UpstreamRequest): Promise<string> {
    const limit = this.options.maxResponseBytes;
    const declared = Number(response.headers['content-length']);
    const tooLarge = () => {
      log('response too large', { host: req.url.host, path: req.url.pathname, limit });
      return new MultiStepError('UPSTREAM_BAD_RESPONSE');
    };
    if (response.headers['content-length'] !== undefined && Number.isFinite(declared)) {
      if (declared > limit) {
        response.body.destroy();
        return Promise.reject(tooLarge());
      }
      return response.body.text(); // the parser refuses a body longer than declared
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          response.body.destroy();
          reject(tooLarge());
        } else {
          chunks.push(chunk);
        }
      });
      response.body.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.body.once('error', reject);
    });
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

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
