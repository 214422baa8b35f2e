/**
 * What every hand-written baseline login has, whatever the vendor (handwritten.ts for CyberArk,
 * handwritten-cognito.ts for Cognito): the login in progress kept in express-session with a
 * 5-minute expiry, a synchronizer CSRF token compared in constant time, one error type with an
 * HTTP status and a code, and the JSON error answer.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Express, NextFunction, Request, Response, Router } from 'express';
import type session from 'express-session';
import type { Agent } from 'undici';
import { type BenchApp, listen } from './common.js';

export class LoginError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(code);
  }
}

export const LOGIN_TTL_MS = 5 * 60_000;

/** The baseline's part of the session: the CSRF token and the login in progress. */
export interface KitSession<Login extends { expiresAt: number }> {
  csrf?: string;
  login?: Login;
}

export function baselineKit<Login extends { expiresAt: number }>() {
  const sessionOf = (req: Request) => req.session as unknown as KitSession<Login>;

  const csrfToken = (req: Request): string => {
    const s = sessionOf(req);
    s.csrf ??= randomBytes(24).toString('base64url');
    return s.csrf;
  };

  const checkCsrf = (req: Request, _res: Response, next: NextFunction): void => {
    const expected = sessionOf(req).csrf;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
    if (!expected || typeof sent !== 'string' || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
      next(new LoginError(403, 'CSRF_INVALID'));
      return;
    }
    next();
  };

  /** The login in progress, unless there is none or it expired (then it is dropped). */
  const liveLogin = (req: Request): Login => {
    const login = sessionOf(req).login;
    if (!login) throw new LoginError(404, 'NO_LOGIN');
    if (login.expiresAt <= Date.now()) {
      delete sessionOf(req).login;
      throw new LoginError(410, 'LOGIN_EXPIRED');
    }
    return login;
  };

  /** A LoginError as its JSON answer, a body parser's 4xx as BAD_REQUEST; anything else goes on. */
  const errorAnswer = (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (error instanceof LoginError) {
      res.status(error.status).json({ error: { code: error.code } });
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'BAD_REQUEST' } });
      return;
    }
    next(error);
  };

  return { sessionOf, csrfToken, checkCsrf, liveLogin, errorAnswer };
}

/** Mounts the baseline's routes at /login (its errors answered as JSON), adds /me and listens. */
export async function serveBaseline(app: Express, router: Router, errorAnswer: ReturnType<typeof baselineKit>['errorAnswer'],
  parts: { label: string; store: session.MemoryStore; agent: Agent }): Promise<BenchApp> {
  router.use(errorAnswer);
  app.use('/login', router);
  app.get('/me', (req, res) => void res.json({ user: req.user ?? null }));
  const listening = await listen(app);
  return {
    label: parts.label,
    url: listening.url,
    store: parts.store,
    loginKey: 'login',
    async close() {
      await listening.close();
      await parts.agent.close();
    },
  };
}
