/**
 * The simulated browser: one login per fresh cookie jar, driving an app's JSON routes the
 * way an SPA does (test/support/login-client.ts), and timing each HTTP request (a "step":
 * request sent → response body read).
 *
 * Flows:
 * - `a` (library) and `b` (hand-written): GET /login/csrf, POST /login/start, POST
 *   /login/answer with the password (the SMS is sent in the same upstream call), then POST
 *   /login/answer with the code the simulator "sent".
 * - `c` (passport-local): POST /login with username and password.
 * - `sim`: the three upstream calls straight to the simulator, no app in between (used
 *   to tell the simulator's own CPU cost apart from the apps').
 * - `a-cognito` (library) and `b-cognito` (hand-written), against the loopback Cognito pool
 *   (cognito-upstream.ts): GET /login/csrf, POST /login/start (no upstream call: InitiateAuth needs
 *   the password), POST /login/answer with the password (InitiateAuth → SMS_MFA, the code is
 *   texted), then POST /login/answer with the code (RespondToAuthChallenge → tokens, the ID token
 *   verified, then req.login).
 * - `cognito-upstream`: InitiateAuth and RespondToAuthChallenge straight to the pool.
 */
import { request, type Dispatcher } from 'undici';
import type { BenchUser } from './users.js';

export type FlowId = 'a' | 'b' | 'c' | 'sim' | 'a-cognito' | 'b-cognito' | 'cognito-upstream';

/** What a flow needs to know about the upstream besides its URL. */
export interface UpstreamIds {
  /** CyberArk tenant. */
  tenantId: string;
  /** Cognito app client. */
  clientId: string;
}

export interface FlowContext {
  /** Origin of the app (or of the simulator for `sim`). */
  base: string;
  dispatcher: Dispatcher;
  /** The last SMS code the simulator sent to the user. */
  code(username: string): Promise<string>;
  /** Called with each step's duration in ms. */
  record(step: string, ms: number): void;
}

/** The steps each flow records, in order. */
export const flowSteps: Record<FlowId, string[]> = {
  a: ['csrf', 'start', 'password', 'code'],
  b: ['csrf', 'start', 'password', 'code'],
  c: ['login'],
  sim: ['start', 'password', 'code'],
  'a-cognito': ['csrf', 'start', 'password', 'code'],
  'b-cognito': ['csrf', 'start', 'password', 'code'],
  'cognito-upstream': ['password', 'code'],
};

/** A login that got as far as the password step (the SMS code is pending). */
export interface PendingState {
  jar: Jar;
  csrf: string;
  /** Library only: transaction id, step sequence and mechanism id of the SMS. */
  tx?: string;
  sequence?: number;
  mechanism?: string;
}

export class FlowError extends Error {}

/** The browser's cookie jar: only the app's session cookie matters here. */
export class Jar {
  cookie = '';

  update(header: string | string[] | undefined, name: string): void {
    for (const line of Array.isArray(header) ? header : header ? [header] : []) {
      const pair = line.slice(0, line.indexOf(';') >= 0 ? line.indexOf(';') : undefined);
      if (pair.startsWith(`${name}=`)) this.cookie = pair;
    }
  }

  /** The session id inside a signed `connect.sid` cookie (`s:<sid>.<signature>`). */
  sessionId(): string | undefined {
    const raw = decodeURIComponent(this.cookie.slice(this.cookie.indexOf('=') + 1));
    if (!raw.startsWith('s:')) return undefined;
    return raw.slice(2, raw.lastIndexOf('.'));
  }
}

export interface JsonResponse {
  status: number;
  json: Record<string, any> | undefined;
}

export async function send(
  ctx: FlowContext, jar: Jar, step: string | undefined, method: 'GET' | 'POST', path: string,
  body?: object, cookieName = 'connect.sid', extraHeaders: Record<string, string> = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (jar.cookie) headers.cookie = jar.cookie;
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const started = performance.now();
  const res = await request(ctx.base + path, {
    method, headers, dispatcher: ctx.dispatcher, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  jar.update(res.headers['set-cookie'], cookieName);
  const text = await res.body.text();
  if (step) ctx.record(step, performance.now() - started);
  let json: Record<string, any> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, any>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json };
}

function expect(ok: boolean, what: string, res: JsonResponse): void {
  if (!ok) throw new FlowError(`${what}: HTTP ${res.status} ${JSON.stringify(res.json ?? null).slice(0, 300)}`);
}

/** The first two steps, alike in (a) and (b): a new visitor fetches the CSRF token, then starts a login. */
async function startLogin(ctx: FlowContext, user: BenchUser, who: string): Promise<{ jar: Jar; csrf: string; started: JsonResponse }> {
  const jar = new Jar();
  const csrfRes = await send(ctx, jar, 'csrf', 'GET', '/login/csrf');
  expect(csrfRes.status === 200 && typeof csrfRes.json?.csrfToken === 'string', `${who} csrf`, csrfRes);
  const csrf = csrfRes.json!.csrfToken as string;

  const started = await send(ctx, jar, 'start', 'POST', '/login/start', { username: user.username, _csrf: csrf });
  expect(started.status === 200 && started.json?.step?.kind === 'answer', `${who} start`, started);
  return { jar, csrf, started };
}

// ------------------------------------------------------------------ (a) the library

export async function libraryUntilPending(ctx: FlowContext, user: BenchUser): Promise<PendingState> {
  const { jar, csrf, started } = await startLogin(ctx, user, 'library');
  const tx = started.json!.transactionId as string;

  const password = await send(ctx, jar, 'password', 'POST', '/login/answer', {
    tx, sequence: started.json!.step.sequence, mechanism: started.json!.step.mechanisms[0].id, answer: user.password, _csrf: csrf,
  });
  // The texted code is typed: an answer step (also polled, since the SMS may carry a link).
  expect(password.status === 200 && password.json?.step?.kind === 'answer' && password.json.step.mechanisms?.[0]?.type === 'otp',
    'library password', password);
  return { jar, csrf, tx, sequence: password.json!.step.sequence, mechanism: password.json!.step.mechanisms[0].id };
}

export async function libraryFinish(ctx: FlowContext, user: BenchUser, state: PendingState): Promise<void> {
  const code = await ctx.code(user.username);
  const done = await send(ctx, state.jar, 'code', 'POST', '/login/answer', {
    tx: state.tx, sequence: state.sequence, mechanism: state.mechanism, answer: code, _csrf: state.csrf,
  });
  expect(done.status === 200 && done.json?.step?.kind === 'done', 'library code', done);
}

// ------------------------------------------------------------------ (b) by hand

export async function handwrittenUntilPending(ctx: FlowContext, user: BenchUser): Promise<PendingState> {
  const { jar, csrf, started } = await startLogin(ctx, user, 'hand-written');

  const password = await send(ctx, jar, 'password', 'POST', '/login/answer', {
    mechanism: started.json!.step.mechanisms[0], answer: user.password, _csrf: csrf,
  });
  expect(password.status === 200 && password.json?.step?.kind === 'pending', 'hand-written password', password);
  return { jar, csrf, mechanism: password.json!.step.mechanisms[0] };
}

export async function handwrittenFinish(ctx: FlowContext, user: BenchUser, state: PendingState): Promise<void> {
  const code = await ctx.code(user.username);
  const done = await send(ctx, state.jar, 'code', 'POST', '/login/answer', { mechanism: state.mechanism, answer: code, _csrf: state.csrf });
  expect(done.status === 200 && done.json?.step?.kind === 'done', 'hand-written code', done);
}

// ------------------------------------------------------------------ (c) passport-local

export async function localLogin(ctx: FlowContext, user: BenchUser): Promise<void> {
  const res = await send(ctx, new Jar(), 'login', 'POST', '/login', { username: user.username, password: user.password });
  expect(res.status === 200 && typeof res.json?.redirect === 'string', 'passport-local login', res);
}

// ------------------------------------------------------------------ the simulator alone

const nativeClient = { 'x-idap-native-client': 'true', 'x-centrify-native-client': 'true' };

export async function simulatorLogin(ctx: FlowContext, user: BenchUser, tenantId: string): Promise<void> {
  const jar = new Jar();
  const started = await send(ctx, jar, 'start', 'POST', '/Security/StartAuthentication', { User: user.username, Version: '1.0', TenantId: tenantId }, 'sessdata', nativeClient);
  const result = started.json?.Result as { SessionId?: string; Challenges?: Array<{ Mechanisms: Array<{ MechanismId: string }> }> } | undefined;
  const up = result?.Challenges?.[0]?.Mechanisms[0]?.MechanismId;
  const sms = result?.Challenges?.[1]?.Mechanisms[0]?.MechanismId;
  expect(started.json?.success === true && !!result?.SessionId && !!up && !!sms, 'simulator start', started);
  const common = { SessionId: result!.SessionId, PersistentLogin: false, TenantId: tenantId };
  const password = await send(ctx, jar, 'password', 'POST', '/Security/AdvanceAuthentication', {
    ...common, MultipleOperations: [{ MechanismId: up, Action: 'Answer', Answer: user.password }, { MechanismId: sms, Action: 'StartOOB' }],
  }, 'sessdata', nativeClient);
  expect(password.json?.success === true && password.json.Result?.Summary === 'OobPending', 'simulator password', password);
  const code = await ctx.code(user.username);
  const done = await send(ctx, jar, 'code', 'POST', '/Security/AdvanceAuthentication', {
    ...common, MechanismId: sms, Action: 'Answer', Answer: code,
  }, 'sessdata', nativeClient);
  expect(done.json?.success === true && done.json.Result?.Summary === 'LoginSuccess', 'simulator code', done);
}

// ------------------------------------------------------------------ (b-cognito) by hand

export async function handwrittenCognitoUntilPending(ctx: FlowContext, user: BenchUser): Promise<PendingState> {
  const { jar, csrf, started } = await startLogin(ctx, user, 'hand-written Cognito');
  expect(started.json!.step.mechanisms?.[0] === 'password', 'hand-written Cognito start', started);
  const password = await send(ctx, jar, 'password', 'POST', '/login/answer', { mechanism: 'password', answer: user.password, _csrf: csrf });
  expect(password.status === 200 && password.json?.step?.kind === 'answer' && password.json.step.mechanisms?.[0] === 'sms',
    'hand-written Cognito password', password);
  return { jar, csrf, mechanism: 'sms' };
}

export async function handwrittenCognitoFinish(ctx: FlowContext, user: BenchUser, state: PendingState): Promise<void> {
  const code = await ctx.code(user.username);
  const done = await send(ctx, state.jar, 'code', 'POST', '/login/answer', { mechanism: state.mechanism, answer: code, _csrf: state.csrf });
  expect(done.status === 200 && done.json?.step?.kind === 'done', 'hand-written Cognito code', done);
}

// ------------------------------------------------------------------ the Cognito pool alone

const amzJson = (operation: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` });

export async function cognitoUpstreamLogin(ctx: FlowContext, user: BenchUser, clientId: string): Promise<void> {
  const jar = new Jar();
  const initiated = await send(ctx, jar, 'password', 'POST', '/', {
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  }, 'none', amzJson('InitiateAuth'));
  expect(initiated.status === 200 && initiated.json?.ChallengeName === 'SMS_MFA' && typeof initiated.json.Session === 'string', 'Cognito pool InitiateAuth', initiated);
  const code = await ctx.code(user.username);
  const done = await send(ctx, jar, 'code', 'POST', '/', {
    ChallengeName: 'SMS_MFA', ClientId: clientId, Session: initiated.json!.Session,
    ChallengeResponses: { SMS_MFA_CODE: code, USERNAME: initiated.json!.ChallengeParameters?.USER_ID_FOR_SRP ?? user.username },
  }, 'none', amzJson('RespondToAuthChallenge'));
  expect(done.status === 200 && typeof done.json?.AuthenticationResult?.IdToken === 'string', 'Cognito pool RespondToAuthChallenge', done);
}

/** Up to the SMS step (the code pending), for the session-size figures. */
export const untilPending = {
  a: libraryUntilPending,
  b: handwrittenUntilPending,
  'a-cognito': libraryUntilPending,
  'b-cognito': handwrittenCognitoUntilPending,
} as const;

/** One whole login of a flow. */
export async function runLogin(flow: FlowId, ctx: FlowContext, user: BenchUser, ids: UpstreamIds): Promise<void> {
  switch (flow) {
    case 'a':
    case 'a-cognito':
      return libraryFinish(ctx, user, await libraryUntilPending(ctx, user));
    case 'b':
      return handwrittenFinish(ctx, user, await handwrittenUntilPending(ctx, user));
    case 'b-cognito':
      return handwrittenCognitoFinish(ctx, user, await handwrittenCognitoUntilPending(ctx, user));
    case 'c':
      return localLogin(ctx, user);
    case 'sim':
      return simulatorLogin(ctx, user, ids.tenantId);
    case 'cognito-upstream':
      return cognitoUpstreamLogin(ctx, user, ids.clientId);
  }
}
