/**
 * (b) The baseline: the same CyberArk password + SMS login written by hand, as a careful
 * developer would without the library. Plain Express routes, undici with a keep-alive
 * pool of the same size as the library's and explicit timeouts, and everything upstream
 * (SessionId, MechanismIds, the upstream cookies) kept in express-session, never sent to
 * the browser. It has a synchronizer CSRF token compared in constant time, a 5-minute
 * expiry, checks that the answered mechanism was offered, strict JSON from the upstream,
 * the same MultipleOperations call (password + StartOOB of the SMS) as the library, and
 * `req.login` (session regeneration) at the end.
 *
 * What it leaves out, and the library does: per-session request serialization with a
 * session reload/save around each step, several logins per session, step sequence
 * numbers (stale-form detection), tough-cookie domain/path matching (cookies here are a
 * name → value map for the one tenant host), pod redirects, a response size cap and
 * per-call deadline, upstream CleanupAuthentication on failure, logging, and every other
 * mechanism and error path.
 */
import express, { type Request } from 'express';
import { Agent, request } from 'undici';
import { baselineKit, LOGIN_TTL_MS, LoginError, serveBaseline } from './handwritten-kit.js';
import { type BenchApp, type BenchUserObject, baseApp } from './common.js';

/** A mechanism of a challenge, as the upstream offered it. */
interface OfferedMechanism {
  id: string;
  name: string;
  answerType: string;
}

/** The login in progress, in `req.session.login`. */
interface PendingLogin {
  username: string;
  sessionId: string;
  tenantId: string;
  challenges: OfferedMechanism[][];
  index: number;
  /** MechanismId of the out-of-band method in flight. */
  current?: string;
  /** Upstream cookies (name → value) for the tenant host. */
  cookies: Record<string, string>;
  expiresAt: number;
}

interface BaselineSession {
  csrf?: string;
  login?: PendingLogin;
  upstream?: { token: string };
}

interface Envelope {
  success: boolean;
  Result?: Record<string, unknown> | null;
}


const OOB_TYPES = new Set(['StartTextOob', 'StartOob']);

export async function startHandwrittenApp(upstreamUrl: string, tenantId: string, pool: number): Promise<BenchApp> {
  const { app, store } = baseApp();
  const base = new URL(upstreamUrl.endsWith('/') ? upstreamUrl : `${upstreamUrl}/`);
  const agent = new Agent({ connections: pool, headersTimeout: 10_000, bodyTimeout: 10_000, connect: { timeout: 5_000 } });

  /** One upstream call: JSON in, strict JSON out, cookies of the login applied both ways. */
  async function call(endpoint: string, body: object, cookies: Record<string, string>): Promise<Envelope> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json',
      'user-agent': 'bench-handwritten',
      'x-idap-native-client': 'true',
      'x-centrify-native-client': 'true',
    };
    const cookieHeader = Object.entries(cookies).map(([name, value]) => `${name}=${value}`).join('; ');
    if (cookieHeader) headers.cookie = cookieHeader;
    let response;
    try {
      response = await request(new URL(`Security/${endpoint}`, base), { method: 'POST', headers, body: JSON.stringify(body), dispatcher: agent });
    } catch {
      throw new LoginError(502, 'UPSTREAM_UNAVAILABLE');
    }
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const pair = line.slice(0, line.indexOf(';') >= 0 ? line.indexOf(';') : undefined);
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value && !/expires=thu, 01 jan 1970/i.test(line)) cookies[name] = value;
      else delete cookies[name];
    }
    const contentType = String(response.headers['content-type'] ?? '');
    if (response.statusCode >= 500 || !contentType.includes('json')) {
      await response.body.dump();
      throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    }
    let parsed: unknown;
    try {
      parsed = await response.body.json();
    } catch {
      throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    }
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as Envelope).success !== 'boolean') {
      throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    }
    return parsed as Envelope;
  }

  const { csrfToken, checkCsrf, liveLogin, errorAnswer } = baselineKit<PendingLogin>();
  const sessionOf = (req: Request) => req.session as unknown as BaselineSession;

  const readChallenges = (result: Record<string, unknown>): OfferedMechanism[][] => {
    const challenges = Array.isArray(result.Challenges) ? result.Challenges : [];
    return challenges.map((challenge) => {
      const mechanisms = Array.isArray((challenge as { Mechanisms?: unknown }).Mechanisms) ? (challenge as { Mechanisms: unknown[] }).Mechanisms : [];
      return mechanisms.map((m) => {
        const mech = m as Record<string, unknown>;
        return { id: String(mech.MechanismId ?? ''), name: String(mech.Name ?? ''), answerType: String(mech.AnswerType ?? '') };
      });
    });
  };

  /** What the browser is told: mechanism names only, never upstream ids. */
  const stepOf = (login: PendingLogin) => {
    const mechanisms = login.challenges[login.index] ?? [];
    const current = mechanisms.find((m) => m.id === login.current);
    if (current) return { kind: 'pending', mechanisms: [current.name] };
    return { kind: mechanisms.length === 1 ? 'answer' : 'select', mechanisms: mechanisms.map((m) => m.name) };
  };

  const logIn = (req: Request, user: BenchUserObject) =>
    new Promise<void>((resolve, reject) => req.login(user, (error: unknown) => (error ? reject(error) : resolve())));

  const router = express.Router();
  router.use(express.json({ limit: '16kb', strict: true }));

  router.get('/csrf', (req, res) => {
    res.set('Cache-Control', 'no-store').json({ csrfToken: csrfToken(req) });
  });

  router.post('/start', checkCsrf, async (req, res, next) => {
    try {
      const username = (req.body as { username?: unknown }).username;
      if (typeof username !== 'string' || username.length === 0 || username.length > 256) throw new LoginError(400, 'BAD_REQUEST');
      const cookies: Record<string, string> = {};
      const envelope = await call('StartAuthentication', { User: username, Version: '1.0', TenantId: tenantId }, cookies);
      const result = envelope.Result ?? {};
      if (!envelope.success || result.Summary !== 'NewPackage' || typeof result.SessionId !== 'string') throw new LoginError(401, 'AUTH_FAILED');
      const login: PendingLogin = {
        username,
        sessionId: result.SessionId,
        tenantId: typeof result.TenantId === 'string' ? result.TenantId : tenantId,
        challenges: readChallenges(result),
        index: 0,
        cookies,
        expiresAt: Date.now() + LOGIN_TTL_MS,
      };
      if (login.challenges.length === 0) throw new LoginError(422, 'MECHANISM_UNSUPPORTED');
      sessionOf(req).login = login;
      res.json({ step: stepOf(login) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/answer', checkCsrf, async (req, res, next) => {
    try {
      const login = liveLogin(req);
      const { mechanism, answer } = req.body as { mechanism?: unknown; answer?: unknown };
      if (typeof mechanism !== 'string' || typeof answer !== 'string' || answer.length === 0 || answer.length > 1024) throw new LoginError(400, 'BAD_REQUEST');
      const mech = (login.challenges[login.index] ?? []).find((m) => m.name === mechanism);
      if (!mech || (mech.answerType !== 'Text' && mech.id !== login.current)) throw new LoginError(400, 'MECHANISM_NOT_OFFERED');

      const operations: Array<Record<string, string>> = [{ MechanismId: mech.id, Action: 'Answer', Answer: answer }];
      // Password answered: start the next challenge's only out-of-band method in the same call.
      const next = login.challenges[login.index + 1];
      if (mech.answerType === 'Text' && next?.length === 1 && OOB_TYPES.has(next[0]!.answerType)) {
        operations.push({ MechanismId: next[0]!.id, Action: 'StartOOB' });
      }
      const common = { SessionId: login.sessionId, PersistentLogin: false, TenantId: login.tenantId };
      const envelope = await call('AdvanceAuthentication', operations.length === 1 ? { ...common, ...operations[0] } : { ...common, MultipleOperations: operations }, login.cookies);
      const result = envelope.Result ?? {};
      if (!envelope.success) {
        delete sessionOf(req).login;
        throw new LoginError(401, 'AUTH_FAILED');
      }
      switch (result.Summary) {
        case 'OobPending': {
          const appliesTo = typeof result.ResultAppliesTo === 'string' ? result.ResultAppliesTo : operations.at(-1)!.MechanismId!;
          const index = login.challenges.findIndex((c) => c.some((m) => m.id === appliesTo));
          if (index < 0) throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
          login.index = index;
          login.current = appliesTo;
          res.json({ step: stepOf(login) });
          return;
        }
        case 'StartNextChallenge':
          login.index += 1;
          delete login.current;
          if (login.index >= login.challenges.length) throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
          res.json({ step: stepOf(login) });
          return;
        case 'LoginSuccess': {
          const id = typeof result.UserId === 'string' ? result.UserId : undefined;
          const username = typeof result.User === 'string' ? result.User : undefined;
          if (!id || !username) throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
          const user: BenchUserObject = { id, username, ...(typeof result.DisplayName === 'string' ? { displayName: result.DisplayName } : {}) };
          delete sessionOf(req).login;
          await logIn(req, user); // regenerates the session
          // Keep the upstream token for logout, as the library does by default.
          if (typeof result.Auth === 'string') sessionOf(req).upstream = { token: result.Auth };
          res.json({ step: { kind: 'done' }, redirect: '/me', csrfToken: csrfToken(req) });
          return;
        }
        default:
          delete sessionOf(req).login;
          throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
      }
    } catch (error) {
      next(error);
    }
  });

  return serveBaseline(app, router, errorAnswer, { label: '(b) hand-written Express + undici', store, agent });
}
