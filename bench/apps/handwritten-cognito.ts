/**
 * (b-cognito) The baseline for Cognito: the same USER_PASSWORD_AUTH + SMS_MFA sign-in written by
 * hand, as a careful developer would without the library (the Cognito counterpart of
 * handwritten.ts). Plain Express routes; AWS JSON 1.1 (`X-Amz-Target`,
 * `application/x-amz-json-1.1`) over undici with a keep-alive pool of the same size as the
 * library's and explicit timeouts; the Session handle and Cognito's name for the user kept in
 * express-session, never sent to the browser; a synchronizer CSRF token compared in constant time;
 * a 5-minute expiry; the answered step checked against the expected one; strict JSON from upstream
 * (5xx and non-JSON refused, faults read from `__type` without its namespace); the ID token verified
 * with jose (`createRemoteJWKSet` on the pool's JWKS, `jwtVerify` with issuer, audience, RS256,
 * required claims, then `token_use` "id") before `req.login` (session regeneration).
 *
 * The browser's side is the library's: the user name first (no call: InitiateAuth needs the
 * password), then the password (InitiateAuth → SMS_MFA), then the texted code
 * (RespondToAuthChallenge → tokens).
 *
 * What it leaves out, and the library does: per-session request serialization with a session
 * reload/save around each step, several logins per session, step sequence numbers, the response
 * size cap and per-call deadline, the JWKS through the same pool (jose's own fetch is used), SRP,
 * SECRET_HASH, every other challenge (SELECT_MFA_TYPE, TOTP, MFA_SETUP, NEW_PASSWORD_REQUIRED …),
 * the finer fault mapping (lock-out, throttling, Retry-After), logging and the limiters.
 */
import express, { type Request, type Response } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Agent, request } from 'undici';
import { baselineKit, LOGIN_TTL_MS, LoginError, serveBaseline } from './handwritten-kit.js';
import { type BenchApp, type BenchUserObject, baseApp } from './common.js';

/** The login in progress, in `req.session.login`. */
interface PendingLogin {
  username: string;
  /** What the browser answers next. */
  stage: 'password' | 'sms';
  /** Cognito's name for the user (USER_ID_FOR_SRP), the USERNAME of the challenge answer. */
  userId?: string;
  /** The latest Session handle. */
  session?: string;
  /** The masked phone number Cognito names. */
  destination?: string;
  expiresAt: number;
}

interface BaselineSession {
  csrf?: string;
  login?: PendingLogin;
}

type Answer = { ok: true; body: Record<string, unknown> } | { ok: false; type: string; message: string };


const AMZ_JSON = 'application/x-amz-json-1.1';

export async function startHandwrittenCognitoApp(endpoint: string, userPoolId: string, clientId: string, pool: number): Promise<BenchApp> {
  const { app, store } = baseApp();
  const base = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  const issuer = `${base.href}${userPoolId}`;
  const agent = new Agent({ connections: pool, headersTimeout: 10_000, bodyTimeout: 10_000, connect: { timeout: 5_000 } });
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`), { timeoutDuration: 5_000 });

  /** One AWS JSON 1.1 call: strict JSON out, 4xx faults by exception name. */
  async function call(operation: 'InitiateAuth' | 'RespondToAuthChallenge', body: object): Promise<Answer> {
    let response;
    try {
      response = await request(base, {
        method: 'POST',
        headers: {
          'content-type': AMZ_JSON,
          accept: 'application/json',
          'user-agent': 'bench-handwritten',
          'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
        dispatcher: agent,
      });
    } catch {
      throw new LoginError(502, 'UPSTREAM_UNAVAILABLE');
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
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    const object = parsed as Record<string, unknown>;
    if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, body: object };
    // `com.amazonaws…#NotAuthorizedException` or `NotAuthorizedException:` → `NotAuthorizedException`.
    const raw = typeof object.__type === 'string' ? object.__type : String(response.headers['x-amzn-errortype'] ?? '');
    const type = raw.split(':')[0]!.split('#').pop()!;
    return { ok: false, type, message: typeof object.message === 'string' ? object.message : '' };
  }

  const { csrfToken, checkCsrf, liveLogin, errorAnswer } = baselineKit<PendingLogin>();
  const sessionOf = (req: Request) => req.session as unknown as BaselineSession;

  /** What the browser is told: the step's name and the masked number, never the Session. */
  const stepOf = (login: PendingLogin) => (login.stage === 'password'
    ? { kind: 'answer', mechanisms: ['password'] }
    : { kind: 'answer', mechanisms: ['sms'], ...(login.destination ? { destination: login.destination } : {}) });

  const logIn = (req: Request, user: BenchUserObject) =>
    new Promise<void>((resolve, reject) => req.login(user, (error: unknown) => (error ? reject(error) : resolve())));

  /** The tokens: the ID token verified as AWS says to, then the session regenerated with the user. */
  async function finish(req: Request, res: Response, result: unknown): Promise<void> {
    const idToken = (result as { IdToken?: unknown } | null)?.IdToken;
    if (typeof idToken !== 'string') throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(idToken, jwks, {
        issuer, audience: clientId, algorithms: ['RS256'], clockTolerance: 60, requiredClaims: ['exp', 'sub', 'token_use'],
      }));
    } catch {
      delete sessionOf(req).login;
      throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    }
    if (claims.token_use !== 'id' || typeof claims.sub !== 'string') {
      delete sessionOf(req).login;
      throw new LoginError(502, 'UPSTREAM_BAD_RESPONSE');
    }
    const username = typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : claims.sub;
    const user: BenchUserObject = { id: claims.sub, username, ...(typeof claims.name === 'string' ? { displayName: claims.name } : {}) };
    delete sessionOf(req).login;
    await logIn(req, user); // regenerates the session
    res.json({ step: { kind: 'done' }, redirect: '/me', csrfToken: csrfToken(req) });
  }

  const router = express.Router();
  router.use(express.json({ limit: '16kb', strict: true }));

  router.get('/csrf', (req, res) => {
    res.set('Cache-Control', 'no-store').json({ csrfToken: csrfToken(req) });
  });

  router.post('/start', checkCsrf, (req, res, next) => {
    try {
      const username = (req.body as { username?: unknown }).username;
      if (typeof username !== 'string' || username.length === 0 || username.length > 128) throw new LoginError(400, 'BAD_REQUEST');
      // Nothing to ask Cognito yet: InitiateAuth needs the password.
      const login: PendingLogin = { username, stage: 'password', expiresAt: Date.now() + LOGIN_TTL_MS };
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
      if (typeof mechanism !== 'string' || typeof answer !== 'string' || answer.length === 0 || answer.length > 256) throw new LoginError(400, 'BAD_REQUEST');
      if (mechanism !== (login.stage === 'password' ? 'password' : 'sms')) throw new LoginError(400, 'MECHANISM_NOT_OFFERED');

      if (login.stage === 'password') {
        const answered = await call('InitiateAuth', {
          AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: login.username, PASSWORD: answer },
        });
        if (!answered.ok) {
          // A wrong password and an unknown user look alike; the password may be typed again.
          if (answered.type === 'NotAuthorizedException' || answered.type === 'UserNotFoundException') throw new LoginError(401, 'AUTH_FAILED');
          if (answered.type === 'TooManyRequestsException') throw new LoginError(429, 'RATE_LIMITED');
          delete sessionOf(req).login;
          throw new LoginError(401, 'LOGIN_NOT_COMPLETED');
        }
        const body = answered.body;
        if (body.AuthenticationResult) return await finish(req, res, body.AuthenticationResult);
        const parameters = (body.ChallengeParameters ?? {}) as Record<string, unknown>;
        if (body.ChallengeName !== 'SMS_MFA' || typeof body.Session !== 'string') {
          delete sessionOf(req).login;
          throw new LoginError(422, 'MECHANISM_UNSUPPORTED');
        }
        login.stage = 'sms';
        login.session = body.Session;
        login.userId = typeof parameters.USER_ID_FOR_SRP === 'string' ? parameters.USER_ID_FOR_SRP : login.username;
        if (typeof parameters.CODE_DELIVERY_DESTINATION === 'string') login.destination = parameters.CODE_DELIVERY_DESTINATION;
        res.json({ step: stepOf(login) });
        return;
      }

      const answered = await call('RespondToAuthChallenge', {
        ChallengeName: 'SMS_MFA', ClientId: clientId, Session: login.session,
        ChallengeResponses: { SMS_MFA_CODE: answer, USERNAME: login.userId ?? login.username },
      });
      if (!answered.ok) {
        // A wrong code: try again with the same Session.
        if (answered.type === 'CodeMismatchException') throw new LoginError(401, 'WRONG_ANSWER');
        delete sessionOf(req).login;
        if (answered.type === 'NotAuthorizedException' || answered.type === 'ExpiredCodeException') throw new LoginError(410, 'LOGIN_EXPIRED');
        throw new LoginError(401, 'LOGIN_NOT_COMPLETED');
      }
      if (typeof answered.body.Session === 'string') login.session = answered.body.Session;
      if (!answered.body.AuthenticationResult) {
        delete sessionOf(req).login;
        throw new LoginError(422, 'MECHANISM_UNSUPPORTED');
      }
      await finish(req, res, answered.body.AuthenticationResult);
    } catch (error) {
      next(error);
    }
  });

  return serveBaseline(app, router, errorAnswer, { label: '(b-cognito) by hand, undici + jose', store, agent });
}
