import { request, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { MultiStepError } from '../errors.js';
import { type CallBudget, refusalError } from './call-budget.js';
import type { UpstreamCookieJar } from './cookie-jar.js';
import { Deadline } from './deadline.js';
import { createLogger } from '../log.js';
import { createDispatcher } from './dispatcher.js';
import { mapTransportError } from './map-error.js';
import { resolveHttpOptions, type HttpOptions, type ResolvedHttpOptions } from './options.js';
import { logWireExchange, wireLogEnabled } from './wire-log.js';
import { describePath } from './wire-shape.js';

const log = createLogger('http');

/** One upstream call. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** Sent as JSON: `application/json`, unless `headers['content-type']` names another JSON type. */
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
  /** Set on the views of {@link forRequest} only. */
  private budget: CallBudget | undefined = undefined;

  constructor(options: HttpOptions = {}) {
    this.options = resolveHttpOptions(options);
    this.dispatcher = createDispatcher(this.options);
  }

  /**
   * A view of this client for one browser request: the same options and keep-alive
   * dispatcher (it is this client, by prototype), with every call counted against `budget`
   * and aborted when the browser goes (see CallBudget). Costs one small object.
   * @internal
   */
  forRequest(budget: CallBudget): UpstreamClient {
    const view = Object.create(this) as UpstreamClient;
    view.budget = budget;
    return view;
  }

  /** The budget of the browser request this view serves; undefined on the strategy's own client. @internal */
  get callBudget(): CallBudget | undefined {
    return this.budget;
  }

  /**
   * The client without the request's budget, for work several requests share (e.g. one
   * cached app token that concurrent logins wait for): not counted, not aborted with one browser.
   * @internal
   */
  get unscoped(): UpstreamClient {
    let client: UpstreamClient = this;
    while (client.budget) client = Object.getPrototypeOf(client) as UpstreamClient;
    return client;
  }

  /** Sends a request and reads the whole body. Throws MultiStepError on transport failures. */
  async request(req: UpstreamRequest, jar?: UpstreamCookieJar): Promise<UpstreamResponse> {
    const budget = this.budget;
    const refusal = budget?.admit();
    if (refusal) {
      // Names the endpoint's pattern (never ids or query values): where the upstream looped.
      log(refusal === 'aborted' ? 'call refused, the browser has gone' : 'call refused, upstream call budget exhausted', {
        method: req.method, host: req.url.host, path: describePath(req.url), calls: budget!.calls, limit: budget!.limit,
      });
      throw refusalError(refusal);
    }
    const started = performance.now();
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      // A caller's own JSON media type wins (AWS JSON 1.1 is `application/x-amz-json-1.1`).
      headers['content-type'] ??= 'application/json; charset=utf-8';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const cookie = jar?.cookieHeader(req.url);
    if (cookie) headers.cookie = cookie;

    const deadline = new Deadline(this.options.requestTimeoutMs);
    budget?.track(deadline);
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
      const mapped = deadline.cancelled
        ? refusalError('aborted', error)
        : deadline.expired ? new MultiStepError('UPSTREAM_TIMEOUT', { cause: error }) : mapTransportError(error);
      if (deadline.cancelled) log('call aborted, the browser has gone', { method: req.method, host: req.url.host, path: describePath(req.url), ms: elapsed(started) });
      else log('request failed', { method: req.method, host: req.url.host, path: req.url.pathname, errorCode: mapped.code, ms: elapsed(started) });
      if (wireLogEnabled()) logWireExchange({ ...req, cookie }, { errorCode: mapped.code, status: response?.statusCode }, elapsed(started));
      throw mapped;
    } finally {
      deadline.clear();
      budget?.untrack(deadline);
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
