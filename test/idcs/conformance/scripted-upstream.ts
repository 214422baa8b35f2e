/**
 * A scripted loopback stand-in for an IDCS identity domain, answering with Oracle's own
 * example responses (oracle-examples.json):
 *
 * - `POST /oauth2/v1/token`: `client_credentials` → a fresh app token; the JWT-bearer grant
 *   → a fresh user token, if its assertion is an authnToken this server handed out.
 * - `GET /admin/v1/Me`: the SCIM record (`me`), for a user token only.
 * - `GET|POST /sso/v1/sdk/authenticate`: the next entry of the per-test script, after
 *   checking the request against the entry's expectations.
 *
 * Every request is recorded. Anything unexpected is added to `problems` (and still
 * answered as sensibly as possible), so a test can fail with a precise message.
 * Opaque values are fresh on every answer: requestStates, trustTokens, app and user
 * tokens, and authnTokens (re-minted with a current `iat`/`exp`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { example, exampleBody, remintAuthnToken, type Json, type JsonObject } from './oracle-examples.js';
import { readBody } from '../../../lib/testing/shared/http.js';

export const TOKEN_PATH = '/oauth2/v1/token';
export const ME_PATH = '/admin/v1/Me';
export const AUTHENTICATE_PATH = '/sso/v1/sdk/authenticate';
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const SCOPE = 'urn:opc:idm:__myscopes__';

export type RequestKind = 'token' | 'authenticate' | 'me' | 'other';

export interface RecordedRequest {
  /** 1-based position in the log. */
  seq: number;
  kind: RequestKind;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON (authenticate) or form fields (token); the raw text if it did not parse. */
  body: unknown;
  /** What was answered. */
  status: number;
  response: unknown;
  /** The script entry's fixture, for authenticate calls. */
  fixture?: string;
}

/** What an authenticate request must look like. Unset fields are not checked. */
export interface Expectation {
  method?: 'GET' | 'POST';
  op?: string;
  /** A value: must be sent. `null`: must be absent. */
  authFactor?: string | null;
  /** The exact set of keys of `credentials` (`[]`: absent or empty). */
  credentials?: string[];
  /**
   * `issued` (default for POSTs): the requestState of the latest response that carried one.
   * `reused`: the one the previous authenticate request sent (after a failure without nextOp,
   * and when a refused call is replayed).
   */
  requestState?: 'issued' | 'reused' | 'any';
  /** `true`: `trustedDevice: true` and a `trustedDeviceDisplayName`; `false`: no `trustedDevice: true`. */
  trustedDevice?: boolean;
  /** Further checks; throw (e.g. a chai assertion) to report a problem. */
  check?: (body: JsonObject, request: RecordedRequest) => void;
}

export interface ScriptEntry {
  /** Id of the Oracle example to answer with. */
  fixture: string;
  expect?: Expectation;
  /** Changes the (copied) answer before it is sent, e.g. to drop `trustedDeviceSettings`. */
  patch?: (body: JsonObject) => void;
  /** Every app token issued so far stops working (the HTML 401 of an expired token). */
  revokeAppTokens?: boolean;
}

/** A scripted `GET /sso/v1/sdk/authenticate`. */
export function get(fixture: string, more: Omit<ScriptEntry, 'fixture'> = {}): ScriptEntry {
  return { fixture, ...more, expect: { method: 'GET', ...more.expect } };
}

/** A scripted `POST /sso/v1/sdk/authenticate`. */
export function post(fixture: string, expect: Expectation = {}, more: Omit<ScriptEntry, 'fixture' | 'expect'> = {}): ScriptEntry {
  return { fixture, ...more, expect: { method: 'POST', ...expect } };
}

export interface ScriptedUpstreamOptions {
  clientId?: string;
  clientSecret?: string;
  /** The `appName` the GET must carry (unset: not checked). */
  appName?: string;
}

type Reply = { status: number; contentType: string; body: string; parsed: unknown };

const json = (status: number, value: unknown): Reply => ({ status, contentType: 'application/json', body: JSON.stringify(value), parsed: value });
const html = (status: number, text: string): Reply => ({ status, contentType: 'text/html', body: text, parsed: text });
const opaque = (bytes = 36) => randomBytes(bytes).toString('base64');

export class ScriptedUpstream {
  static async start(options: ScriptedUpstreamOptions = {}): Promise<ScriptedUpstream> {
    const upstream = new ScriptedUpstream(options);
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  readonly clientId: string;
  readonly clientSecret: string;
  readonly appName: string | undefined;
  /** Every request since the last reset. */
  readonly requests: RecordedRequest[] = [];
  /** Everything that did not go as scripted, since the last reset. */
  readonly problems: string[] = [];
  /** The SCIM record `GET /admin/v1/Me` answers (default: Oracle's example). */
  me: JsonObject = exampleBody('scim-me');
  /** `expires_in` of app tokens (default: the example's). */
  appTokenTtlSeconds: number | undefined;
  /** authnTokens handed out, in order. */
  readonly authnTokens: string[] = [];

  private readonly server: Server;
  private queue: ScriptEntry[] = [];
  private readonly appTokens = new Set<string>();
  private readonly userTokens = new Set<string>();
  private lastIssuedState: string | undefined;
  private lastSentState: string | undefined;
  private counter = 0;

  private constructor(options: ScriptedUpstreamOptions) {
    this.clientId = options.clientId ?? 'conformance-client';
    this.clientSecret = options.clientSecret ?? 'conformance-client-secret';
    this.appName = options.appName;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Appends entries to the script of authenticate answers. */
  script(...entries: ScriptEntry[]): void {
    for (const entry of entries) example(entry.fixture); // unknown ids fail here, not mid-login
    this.queue.push(...entries);
  }

  /** Script entries not used yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** The recorded requests of one kind. */
  calls(kind: RequestKind): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === kind);
  }

  /** Token requests of one grant type. */
  grants(grantType: string): RecordedRequest[] {
    return this.calls('token').filter((r) => (r.body as Record<string, string>).grant_type === grantType);
  }

  /**
   * Forgets the script, the log, the problems and the requestState history, and puts `me`
   * back. Issued app tokens stay valid: the provider under test caches its token across tests.
   */
  reset(): void {
    this.queue = [];
    this.requests.length = 0;
    this.problems.length = 0;
    this.authnTokens.length = 0;
    this.userTokens.clear();
    this.lastIssuedState = undefined;
    this.lastSentState = undefined;
    this.me = exampleBody('scim-me');
    this.appTokenTtlSeconds = undefined;
  }

  /** Throws if anything went wrong or part of the script was not used. */
  verify(): void {
    const issues = [...this.problems];
    if (this.queue.length > 0) issues.push(`script not finished: ${this.queue.map((e) => e.fixture).join(', ')} still queued`);
    if (issues.length > 0) throw new Error(`scripted IDCS upstream:\n  - ${issues.join('\n  - ')}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const { text } = await readBody(req, 1_048_576);
    const record: RecordedRequest = {
      seq: this.requests.length + 1,
      kind: url.pathname === TOKEN_PATH ? 'token' : url.pathname === ME_PATH ? 'me' : url.pathname === AUTHENTICATE_PATH ? 'authenticate' : 'other',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body: text === '' ? undefined : text,
      status: 0,
      response: undefined,
    };
    this.requests.push(record);
    let reply: Reply;
    try {
      switch (record.kind) {
        case 'token': reply = this.token(record, req, text); break;
        case 'me': reply = this.meRecord(record); break;
        case 'authenticate': reply = this.authenticate(record, req, text); break;
        default:
          this.problem(record, 'unknown endpoint');
          reply = html(404, '<html><body>Not Found</body></html>');
      }
    } catch (error) {
      this.problem(record, `harness error: ${(error as Error).stack ?? String(error)}`);
      reply = html(500, '<html><body>Internal Server Error</body></html>');
    }
    record.status = reply.status;
    record.response = reply.parsed;
    res.writeHead(reply.status, { 'content-type': reply.contentType, 'cache-control': 'no-store' });
    res.end(reply.body);
  }

  private token(record: RecordedRequest, req: IncomingMessage, text: string): Reply {
    if (record.method !== 'POST') this.problem(record, `token endpoint called with ${record.method}`);
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      this.problem(record, `token request content-type ${req.headers['content-type']} (expected application/x-www-form-urlencoded)`);
    }
    const form = Object.fromEntries(new URLSearchParams(text));
    record.body = form;
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      this.problem(record, 'token request without the HTTP Basic client credentials');
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    }
    if (form.grant_type === 'client_credentials') {
      if (form.scope !== SCOPE) this.problem(record, `client_credentials scope ${form.scope} (expected ${SCOPE})`);
      const body = exampleBody('token-client-credentials');
      const token = `app-${++this.counter}-${randomBytes(12).toString('hex')}`;
      this.appTokens.add(token);
      body.access_token = token;
      if (this.appTokenTtlSeconds !== undefined) body.expires_in = this.appTokenTtlSeconds;
      return json(200, body);
    }
    if (form.grant_type === JWT_BEARER) {
      if (!form.assertion || !this.authnTokens.includes(form.assertion)) {
        this.problem(record, 'JWT-bearer grant whose assertion is not an authnToken this upstream issued');
        return json(400, { error: 'invalid_grant', error_description: 'Invalid assertion.' });
      }
      if (form.assertion !== this.authnTokens.at(-1)) this.problem(record, 'JWT-bearer grant with an older authnToken');
      const body = exampleBody('token-jwt-bearer');
      const token = `user-${++this.counter}-${randomBytes(12).toString('hex')}`;
      this.userTokens.add(token);
      body.access_token = token;
      return json(200, body);
    }
    this.problem(record, `unexpected grant_type ${form.grant_type}`);
    return json(400, { error: 'unsupported_grant_type' });
  }

  private meRecord(record: RecordedRequest): Reply {
    if (record.method !== 'GET') this.problem(record, `Me called with ${record.method}`);
    const token = bearer(record.headers.authorization);
    if (!token || !this.userTokens.has(token)) {
      this.problem(record, token && this.appTokens.has(token) ? 'Me called with the app token instead of the user token' : 'Me called without a user token');
      return json(401, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Unauthorized', status: '401' });
    }
    return json(200, this.me);
  }

  private authenticate(record: RecordedRequest, req: IncomingMessage, text: string): Reply {
    const token = bearer(record.headers.authorization);
    if (!token || !this.appTokens.has(token)) {
      this.problem(record, 'authenticate called without a live app token');
      return html(401, exampleText('app-token-rejected-html'));
    }
    let body: JsonObject = {};
    if (record.method === 'POST') {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) this.problem(record, `authenticate POST content-type ${req.headers['content-type']}`);
      try {
        const parsed = JSON.parse(text) as Json;
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed;
        record.body = parsed;
      } catch {
        this.problem(record, 'authenticate POST body is not a JSON object');
        return json(400, { status: 'failed', cause: [{ code: 'AUTH-1121', message: 'You provided an invalid request JSON payload.' }] });
      }
    } else if (this.appName !== undefined && record.query.appName !== this.appName) {
      this.problem(record, `GET with appName=${record.query.appName} (expected ${this.appName})`);
    }
    const entry = this.queue.shift();
    if (!entry) {
      this.problem(record, `unscripted ${describe(record, body)}`);
      return html(500, '<html><body>Internal Server Error</body></html>');
    }
    record.fixture = entry.fixture;
    this.check(record, body, entry);
    if (record.method === 'POST' && typeof body.requestState === 'string') this.lastSentState = body.requestState;
    if (entry.revokeAppTokens) this.appTokens.clear();
    const fixture = example(entry.fixture);
    if (typeof fixture.body === 'string') return { status: fixture.httpStatus, contentType: fixture.contentType ?? 'text/html', body: fixture.body, parsed: fixture.body };
    const answer = exampleBody(entry.fixture);
    if (typeof answer.requestState === 'string') answer.requestState = this.lastIssuedState = opaque(48);
    if (typeof answer.authnToken === 'string') {
      answer.authnToken = remintAuthnToken(answer.authnToken);
      this.authnTokens.push(answer.authnToken);
    }
    if (typeof answer.trustToken === 'string') answer.trustToken = opaque(60);
    entry.patch?.(answer);
    return json(fixture.httpStatus, answer);
  }

  private check(record: RecordedRequest, body: JsonObject, entry: ScriptEntry): void {
    const want = entry.expect ?? {};
    const fail = (message: string) => this.problem(record, `${message} (answering ${entry.fixture})`);
    if (want.method && record.method !== want.method) {
      fail(`expected ${want.method}, got ${describe(record, body)}`);
      return;
    }
    if (record.method !== 'POST') return;
    if (want.op !== undefined && body.op !== want.op) fail(`expected op ${want.op}, got ${JSON.stringify(body.op)}`);
    if (want.authFactor === null && body.authFactor !== undefined) fail(`expected no authFactor, got ${JSON.stringify(body.authFactor)}`);
    if (typeof want.authFactor === 'string' && body.authFactor !== want.authFactor) fail(`expected authFactor ${want.authFactor}, got ${JSON.stringify(body.authFactor)}`);
    if (want.credentials) {
      const credentials = body.credentials;
      const keys = credentials && typeof credentials === 'object' && !Array.isArray(credentials) ? Object.keys(credentials).sort() : [];
      if (credentials !== undefined && (credentials === null || typeof credentials !== 'object' || Array.isArray(credentials))) fail('credentials is not an object');
      if (JSON.stringify(keys) !== JSON.stringify([...want.credentials].sort())) fail(`expected credentials {${want.credentials.join(', ')}}, got {${keys.join(', ')}}`);
    }
    const state = want.requestState ?? 'issued';
    if (typeof body.requestState !== 'string') fail('no requestState');
    else if (state === 'issued' && body.requestState !== this.lastIssuedState) {
      fail(body.requestState === this.lastSentState ? 'requestState of the previous request sent again instead of the one the last response issued' : 'requestState is not the one the last response issued');
    } else if (state === 'reused' && body.requestState !== this.lastSentState) {
      fail(body.requestState === this.lastIssuedState ? 'requestState of the failed response used instead of the one the failed call sent' : 'requestState is not the one the previous request sent');
    }
    if (want.trustedDevice === true && (body.trustedDevice !== true || typeof body.trustedDeviceDisplayName !== 'string' || body.trustedDeviceDisplayName === '')) {
      fail('expected trustedDevice: true with a trustedDeviceDisplayName');
    }
    if (want.trustedDevice === false && body.trustedDevice === true) fail('expected no trustedDevice: true');
    try {
      want.check?.(body, record);
    } catch (error) {
      fail((error as Error).message);
    }
  }

  private problem(record: RecordedRequest, message: string): void {
    this.problems.push(`#${record.seq} ${record.method} ${record.path}: ${message}`);
  }
}

function exampleText(id: string): string {
  const { body } = example(id);
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.startsWith('Bearer ') ? value.slice(7) : undefined;
}

function describe(record: RecordedRequest, body: JsonObject): string {
  if (record.method !== 'POST') return `${record.method} ${record.path}`;
  const credentials = body.credentials && typeof body.credentials === 'object' ? Object.keys(body.credentials).join(',') : '';
  return `POST op=${String(body.op)}${body.authFactor ? ` authFactor=${String(body.authFactor)}` : ''}${credentials ? ` credentials={${credentials}}` : ''}`;
}
