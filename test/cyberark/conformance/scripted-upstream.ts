/**
 * A scripted loopback stand-in for a CyberArk Identity tenant, answering with the vendor
 * files' own responses (cyberark-examples.json). Every `POST /Security/<endpoint>` takes the
 * next entry of the per-test script, after checking the request the way real clients send
 * it (conjur-cli-go, jetstack-secure):
 *
 * - StartAuthentication: `{User, Version: "1.0", TenantId?}`, the native-client header.
 * - AdvanceAuthentication: the SessionId the latest Start issued (or its IdpLoginSessionId for
 *   the federated PIN), a MechanismId of the latest package (or `OOBAUTHPIN`), `Action` spelled
 *   `Answer` / `StartOOB` / `Poll`, an `Answer` with Answer only (a string, or an object keyed
 *   by the questions' Uuids), `TenantId` absent or the tenant's, `PersistentLogin` a boolean;
 *   with `MultipleOperations`, no top-level MechanismId/Action/Answer.
 * - OobAuthStatus: `{SessionId: IdpLoginSessionId}`; WhoAmI: the Bearer token last issued.
 *
 * CleanupAuthentication and Logout are answered without a script entry (the provider calls
 * them on failures and logout) but recorded and checked too. Opaque values are fresh on every
 * answer: SessionIds, IdpLoginSessionIds, Tokens, Auth values and ErrorIDs (in the files' formats);
 * MechanismIds stay the files' own. Anything unexpected is added to `problems` (and still answered as sensibly as
 * possible), so a test fails with a precise message.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { example, exampleBody, type Endpoint, type Json, type JsonObject } from './cyberark-examples.js';
import { readBody } from '../../../lib/testing/shared/http.js';

export interface RecordedRequest {
  /** 1-based position in the log. */
  seq: number;
  endpoint: Endpoint | 'other';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; the raw text if it did not parse. */
  body: unknown;
  status: number;
  response: unknown;
  /** The script entry's fixture. */
  fixture?: string;
}

/** One AdvanceAuthentication operation, as sent. */
export interface Operation {
  MechanismId: string;
  Action: 'Answer' | 'StartOOB' | 'Poll';
  Answer?: Json;
}

/** What a request must look like besides the always-checked rules above. Unset fields are not checked. */
export interface Expectation {
  /** StartAuthentication: the `User` sent. */
  user?: string;
  /** StartAuthentication: whether the `OobIdPAuth: true` header must be sent (true) or absent (false). */
  oobIdpAuth?: boolean;
  /** AdvanceAuthentication with one operation. */
  mechanismId?: string;
  action?: Operation['Action'];
  /** The exact Answer (deep equality). */
  answer?: Json;
  /** AdvanceAuthentication with MultipleOperations: exactly these, in order. */
  operations?: Operation[];
  /** Advance / OobAuthStatus: which id the SessionId must be. Default `session` (for OobAuthStatus: `idp`). */
  session?: 'session' | 'idp';
  /** Further checks; throw (e.g. a chai assertion) to report a problem. */
  check?: (body: JsonObject, request: RecordedRequest) => void;
}

export interface ScriptEntry {
  endpoint: Endpoint;
  /** Id of the example to answer with. */
  fixture: string;
  expect?: Expectation;
  /** Changes the (copied) answer before it is sent, after the opaque values are refreshed. */
  patch?: (body: JsonObject) => void;
}

export const start = (fixture: string, expect: Expectation = {}, more: Pick<ScriptEntry, 'patch'> = {}): ScriptEntry => ({ endpoint: 'StartAuthentication', fixture, expect, ...more });
export const advance = (fixture: string, expect: Expectation = {}, more: Pick<ScriptEntry, 'patch'> = {}): ScriptEntry => ({ endpoint: 'AdvanceAuthentication', fixture, expect, ...more });
export const oobStatus = (fixture: string, more: Pick<ScriptEntry, 'patch'> = {}): ScriptEntry => ({ endpoint: 'OobAuthStatus', fixture, expect: { session: 'idp' }, ...more });
export const whoAmI = (fixture = 'whoami'): ScriptEntry => ({ endpoint: 'WhoAmI', fixture });

const endpoints: readonly Endpoint[] = ['StartAuthentication', 'AdvanceAuthentication', 'OobAuthStatus', 'WhoAmI', 'CleanupAuthentication', 'Logout'];
const advanceKeys = new Set(['SessionId', 'TenantId', 'PersistentLogin', 'MechanismId', 'Action', 'Answer', 'MultipleOperations']);
const operationKeys = new Set(['MechanismId', 'Action', 'Answer']);
const actions = new Set(['Answer', 'StartOOB', 'Poll']);
const PIN = 'OOBAUTHPIN';

const opaque = (prefix: string, bytes = 24) => `${prefix}${randomBytes(bytes).toString('base64url')}`;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Tokens handed out by a LoginSuccess or an OobAuthStatus success. */
export interface IssuedTokens {
  Token?: string;
  Auth?: string;
}

export class ScriptedUpstream {
  static async start(): Promise<ScriptedUpstream> {
    const upstream = new ScriptedUpstream();
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  /** Every request since the last reset. */
  readonly requests: RecordedRequest[] = [];
  /** Everything that did not go as scripted, since the last reset. */
  readonly problems: string[] = [];
  /** Tokens issued, latest last. */
  readonly tokens: IssuedTokens[] = [];

  private readonly server: Server;
  private queue: ScriptEntry[] = [];
  /** SessionIds and IdpLoginSessionIds issued (CleanupAuthentication may name any of them). */
  private readonly issuedSessions = new Set<string>();
  private sessionId: string | undefined;
  private idpSessionId: string | undefined;
  private tenantId: string | undefined;
  /** MechanismIds of the latest package. */
  private mechanismIds = new Set<string>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Appends entries to the script. */
  script(...entries: ScriptEntry[]): void {
    for (const entry of entries) {
      const found = example(entry.fixture); // unknown ids fail here, not mid-login
      if (found.endpoint !== entry.endpoint) throw new Error(`example ${entry.fixture} answers ${found.endpoint}, not ${entry.endpoint}`);
    }
    this.queue.push(...entries);
  }

  /** Script entries not used yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** The recorded requests to one endpoint. */
  calls(endpoint: Endpoint): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  /** The ErrorID of the latest answer that had one. */
  get lastErrorId(): string | undefined {
    for (const r of [...this.requests].reverse()) {
      const id = isObject(r.response) ? r.response.ErrorID : undefined;
      if (typeof id === 'string') return id;
    }
    return undefined;
  }

  /** The endpoints called, in order. */
  get endpoints(): string[] {
    return this.requests.map((r) => r.endpoint);
  }

  /** Forgets the script, the log, the problems and the issued ids. */
  reset(): void {
    this.queue = [];
    this.requests.length = 0;
    this.problems.length = 0;
    this.tokens.length = 0;
    this.issuedSessions.clear();
    this.sessionId = undefined;
    this.idpSessionId = undefined;
    this.tenantId = undefined;
    this.mechanismIds = new Set();
  }

  /** Throws unless the script was used up without problems. */
  verify(): void {
    const left = this.queue.map((e) => `${e.endpoint} ${e.fixture}`);
    if (this.problems.length > 0 || left.length > 0) {
      throw new Error(`scripted upstream: ${[...this.problems, ...left.map((l) => `not requested: ${l}`)].join('\n  - ')}`);
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { text } = await readBody(req, 1_048_576);
    const path = (req.url ?? '/').split('?')[0]!;
    const name = /^\/Security\/([A-Za-z]+)$/.exec(path)?.[1];
    const endpoint = endpoints.find((e) => e === name) ?? 'other';
    const record: RecordedRequest = { seq: this.requests.length + 1, endpoint, method: req.method ?? '', path, headers: { ...req.headers }, body: text, status: 0, response: undefined };
    this.requests.push(record);
    let reply: { status: number; body: unknown; html?: string };
    if (endpoint === 'other' || req.method !== 'POST') {
      this.problem(record, endpoint === 'other' ? 'unknown path' : `${req.method} instead of POST`);
      reply = { status: 404, body: undefined, html: '<html><body>404 - File or directory not found.</body></html>' };
    } else {
      let body: JsonObject = {};
      try {
        const parsed = JSON.parse(text) as Json;
        if (!isObject(parsed)) throw new Error('not an object');
        body = parsed;
        record.body = parsed;
      } catch {
        this.problem(record, 'body is not a JSON object');
      }
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) this.problem(record, `content-type ${req.headers['content-type']}`);
      if (req.headers['x-idap-native-client'] !== 'true') this.problem(record, 'no X-IDAP-NATIVE-CLIENT: true header');
      reply = { status: 200, body: this.answer(record, endpoint, body) };
    }
    record.status = reply.status;
    record.response = reply.body ?? reply.html;
    if (reply.html !== undefined) {
      res.writeHead(reply.status, { 'content-type': 'text/html' });
      res.end(reply.html);
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(reply.body));
  }

  private answer(record: RecordedRequest, endpoint: Endpoint, body: JsonObject): JsonObject {
    if (endpoint === 'CleanupAuthentication' || endpoint === 'Logout') return this.unscripted(record, endpoint, body);
    const entry = this.queue.shift();
    if (!entry) {
      this.problem(record, `unscripted ${describeRequest(endpoint, body)}`);
      return exampleBody('cnj-advance-failure');
    }
    record.fixture = entry.fixture;
    if (entry.endpoint !== endpoint) this.problem(record, `expected ${entry.endpoint} (answering ${entry.fixture}), got ${describeRequest(endpoint, body)}`);
    else this.check(record, endpoint, body, entry);
    const answer = exampleBody(entry.fixture);
    this.refresh(endpoint, answer);
    entry.patch?.(answer);
    this.learn(endpoint, answer);
    return answer;
  }

  /** Fresh opaque values, so a replay proves the provider sends back what it was given. */
  private refresh(endpoint: Endpoint, answer: JsonObject): void {
    // ErrorIDs in their own format (`<guid>:<hex>`): a file's fixed one could match a code some other test typed.
    const errorId = typeof answer.ErrorID === 'string' ? /^[0-9a-f-]{36}:([0-9a-f]+)$/.exec(answer.ErrorID) : null;
    if (errorId) answer.ErrorID = `${randomUUID()}:${randomBytes(Math.ceil(errorId[1]!.length / 2)).toString('hex').slice(0, errorId[1]!.length)}`;
    const result = answer.Result;
    if (!isObject(result)) return;
    if (endpoint === 'StartAuthentication') {
      if (typeof result.SessionId === 'string') result.SessionId = opaque('S-');
      if (typeof result.IdpLoginSessionId === 'string') result.IdpLoginSessionId = opaque('IDP-');
    }
    if (typeof result.Token === 'string') result.Token = opaque('tok-', 36);
    if (typeof result.Auth === 'string') result.Auth = opaque('auth-', 36);
  }

  /** Remembers what a well-behaved client must send next. */
  private learn(endpoint: Endpoint, answer: JsonObject): void {
    const result = answer.Result;
    if (!isObject(result)) return;
    if (endpoint === 'StartAuthentication') {
      this.sessionId = typeof result.SessionId === 'string' ? result.SessionId : undefined;
      this.idpSessionId = typeof result.IdpLoginSessionId === 'string' ? result.IdpLoginSessionId : undefined;
      for (const id of [this.sessionId, this.idpSessionId]) if (id) this.issuedSessions.add(id);
      if (typeof result.TenantId === 'string') this.tenantId = result.TenantId;
    }
    if (Array.isArray(result.Challenges)) {
      this.mechanismIds = new Set(result.Challenges.flatMap((c) => (isObject(c) && Array.isArray(c.Mechanisms) ? c.Mechanisms : [])).flatMap((m) => (isObject(m) && typeof m.MechanismId === 'string' ? [m.MechanismId] : [])));
    }
    if (typeof result.Token === 'string' || typeof result.Auth === 'string') {
      this.tokens.push({ ...(typeof result.Token === 'string' ? { Token: result.Token } : {}), ...(typeof result.Auth === 'string' ? { Auth: result.Auth } : {}) });
    }
  }

  private check(record: RecordedRequest, endpoint: Endpoint, body: JsonObject, entry: ScriptEntry): void {
    const want = entry.expect ?? {};
    const fail = (message: string) => this.problem(record, `${message} (answering ${entry.fixture})`);
    if (endpoint === 'StartAuthentication') this.checkStart(record, body, want, fail);
    if (endpoint === 'AdvanceAuthentication') this.checkAdvance(body, want, fail);
    if (endpoint === 'OobAuthStatus') {
      for (const key of Object.keys(body)) if (key !== 'SessionId' && key !== 'TenantId') fail(`unexpected field ${key}`);
      this.checkSession(body, want.session ?? 'idp', fail);
    }
    if (endpoint === 'WhoAmI') {
      const issued = this.tokens.at(-1);
      const bearer = /^Bearer (.+)$/.exec(String(record.headers.authorization ?? ''))?.[1];
      if (!bearer || (bearer !== issued?.Token && bearer !== issued?.Auth)) fail('WhoAmI without the Bearer token the login just issued');
    }
    try {
      want.check?.(body, record);
    } catch (error) {
      fail((error as Error).message);
    }
  }

  private checkStart(record: RecordedRequest, body: JsonObject, want: Expectation, fail: (message: string) => void): void {
    for (const key of Object.keys(body)) if (!['User', 'Version', 'TenantId'].includes(key)) fail(`unexpected field ${key}`);
    if (typeof body.User !== 'string' || body.User === '') fail('no User');
    if (body.Version !== '1.0') fail(`Version ${JSON.stringify(body.Version)} instead of "1.0"`);
    if (want.user !== undefined && body.User !== want.user) fail(`User ${JSON.stringify(body.User)}, expected ${JSON.stringify(want.user)}`);
    const oob = record.headers.oobidpauth;
    if (want.oobIdpAuth === true && oob !== 'true') fail('no OobIdPAuth: true header');
    if (want.oobIdpAuth === false && oob !== undefined) fail(`OobIdPAuth header ${String(oob)} sent`);
  }

  private checkAdvance(body: JsonObject, want: Expectation, fail: (message: string) => void): void {
    for (const key of Object.keys(body)) if (!advanceKeys.has(key)) fail(`unexpected field ${key}`);
    this.checkSession(body, want.session ?? 'session', fail);
    if (body.TenantId !== undefined && body.TenantId !== this.tenantId) fail(`TenantId ${JSON.stringify(body.TenantId)} is not the tenant's (${String(this.tenantId)})`);
    if (body.PersistentLogin !== undefined && typeof body.PersistentLogin !== 'boolean') fail('PersistentLogin is not a boolean');
    const pin = (want.session ?? 'session') === 'idp';
    const checkOperation = (op: JsonObject, where: string) => {
      if (typeof op.Action !== 'string' || !actions.has(op.Action)) fail(`${where}Action ${JSON.stringify(op.Action)} (real clients send Answer, StartOOB or Poll)`);
      const id = op.MechanismId;
      if (typeof id !== 'string' || !(pin ? id === PIN : this.mechanismIds.has(id))) fail(`${where}MechanismId ${JSON.stringify(id)} is not ${pin ? PIN : 'one of the package'}`);
      if (op.Action === 'Answer' && (op.Answer === undefined || (typeof op.Answer !== 'string' && !isObject(op.Answer)))) fail(`${where}Answer without a string or object Answer`);
      if (op.Action !== 'Answer' && op.Answer !== undefined) fail(`${where}${String(op.Action)} carries an Answer`);
    };
    if (body.MultipleOperations !== undefined) {
      if (pin) fail('MultipleOperations for the federated PIN');
      for (const key of ['MechanismId', 'Action', 'Answer']) if (key in body) fail(`MultipleOperations with a top-level ${key}`);
      const ops = body.MultipleOperations;
      if (!Array.isArray(ops) || ops.length === 0 || !ops.every(isObject)) {
        fail('MultipleOperations is not a list of operations');
        return;
      }
      ops.forEach((op, i) => {
        for (const key of Object.keys(op as JsonObject)) if (!operationKeys.has(key)) fail(`operation ${i + 1}: unexpected field ${key}`);
        checkOperation(op as JsonObject, `operation ${i + 1}: `);
      });
      if (want.mechanismId !== undefined || want.action !== undefined) fail(`expected one operation, got MultipleOperations ${JSON.stringify(ops)}`);
      if (want.operations && !isDeepStrictEqual(ops, want.operations)) fail(`MultipleOperations ${JSON.stringify(ops)}, expected ${JSON.stringify(want.operations)}`);
      return;
    }
    checkOperation(body, '');
    if (want.operations) fail(`expected MultipleOperations ${JSON.stringify(want.operations)}, got ${describeRequest('AdvanceAuthentication', body)}`);
    if (want.mechanismId !== undefined && body.MechanismId !== want.mechanismId) fail(`MechanismId ${JSON.stringify(body.MechanismId)}, expected ${want.mechanismId}`);
    if (want.action !== undefined && body.Action !== want.action) fail(`Action ${JSON.stringify(body.Action)}, expected ${want.action}`);
    if ('answer' in want && !isDeepStrictEqual(body.Answer, want.answer)) fail(`Answer ${JSON.stringify(body.Answer)}, expected ${JSON.stringify(want.answer)}`);
  }

  private checkSession(body: JsonObject, which: 'session' | 'idp', fail: (message: string) => void): void {
    const expected = which === 'idp' ? this.idpSessionId : this.sessionId;
    if (body.SessionId === expected && expected !== undefined) return;
    const other = which === 'idp' ? this.sessionId : this.idpSessionId;
    fail(body.SessionId !== undefined && body.SessionId === other
      ? `SessionId is the ${which === 'idp' ? 'SessionId' : 'IdpLoginSessionId'}, expected the ${which === 'idp' ? 'IdpLoginSessionId' : 'SessionId'}`
      : `SessionId is not the ${which === 'idp' ? 'IdpLoginSessionId' : 'SessionId'} the latest StartAuthentication issued`);
  }

  /** CleanupAuthentication and Logout: recorded, checked, answered with `{success: true, Result: null}`. */
  private unscripted(record: RecordedRequest, endpoint: Endpoint, body: JsonObject): JsonObject {
    if (endpoint === 'CleanupAuthentication') {
      for (const key of Object.keys(body)) if (key !== 'SessionId' && key !== 'TenantId') this.problem(record, `unexpected field ${key}`);
      if (typeof body.SessionId !== 'string' || !this.issuedSessions.has(body.SessionId)) this.problem(record, 'CleanupAuthentication for a SessionId never issued');
    }
    return exampleBody('cleanup-ok');
  }

  private problem(record: RecordedRequest, message: string): void {
    this.problems.push(`#${record.seq} ${record.method} ${record.path}: ${message}`);
  }
}

function describeRequest(endpoint: Endpoint, body: JsonObject): string {
  if (endpoint !== 'AdvanceAuthentication') return endpoint;
  if (Array.isArray(body.MultipleOperations)) {
    return `AdvanceAuthentication MultipleOperations [${body.MultipleOperations.map((op) => (isObject(op) ? `${String(op.Action)} ${String(op.MechanismId)}` : '?')).join(', ')}]`;
  }
  return `AdvanceAuthentication ${String(body.Action)} ${String(body.MechanismId)}`;
}
