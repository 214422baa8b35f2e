/**
 * (c) The floor: passport-local on the same app (express-session, passport), one POST with
 * the username and password checked against an in-memory map, then `req.login`. It uses
 * the `passport-local` package when it is installed, and otherwise an inline strategy that
 * follows passport-local 1.0's `authenticate` line for line (read the two body fields,
 * fail with 400 when one is missing, call verify, success / fail / error).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { Strategy as PassportStrategy } from 'passport-strategy';
import { type BenchApp, type BenchUserObject, baseApp, listen } from './common.js';

type VerifyDone = (error: unknown, user?: BenchUserObject | false, info?: object) => void;
type LocalVerify = (username: string, password: string, done: VerifyDone) => void;
type LocalStrategyClass = new (verify: LocalVerify) => PassportStrategy;

/** passport-local 1.0's Strategy, for machines where the package is not installed. */
class InlineLocalStrategy extends PassportStrategy {
  name = 'local';

  constructor(private readonly verify: LocalVerify) {
    super();
  }

  override authenticate(req: Request): void {
    const body = req.body as Record<string, unknown> | undefined;
    const username = body?.username ?? req.query?.username;
    const password = body?.password ?? req.query?.password;
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
      this.fail({ message: 'Missing credentials' }, 400);
      return;
    }
    const verified: VerifyDone = (error, user, info) => {
      if (error) return this.error(error as Error);
      if (!user) return this.fail(info ?? {}, 401);
      this.success(user, info);
    };
    try {
      this.verify(username, password, verified);
    } catch (error) {
      this.error(error as Error);
    }
  }
}

async function loadLocalStrategy(): Promise<{ Strategy: LocalStrategyClass; source: string }> {
  const name = 'passport-local'; // not a literal: the package is optional, and has no types here
  try {
    const mod = (await import(name)) as { Strategy?: LocalStrategyClass; default?: { Strategy?: LocalStrategyClass } };
    const Strategy = mod.Strategy ?? mod.default?.Strategy;
    if (Strategy) return { Strategy, source: 'passport-local' };
  } catch {
    // not installed
  }
  return { Strategy: InlineLocalStrategy, source: 'inline copy of passport-local (package not installed)' };
}

export async function startLocalApp(users: ReadonlyArray<{ username: string; password: string }>): Promise<BenchApp & { source: string }> {
  const { app, store, auth } = baseApp();
  const passwords = new Map(users.map((u) => [u.username, u.password]));
  const { Strategy, source } = await loadLocalStrategy();
  auth.use(new Strategy((username, password, done) => {
    if (passwords.get(username) !== password) return done(null, false, { message: 'Incorrect username or password.' });
    done(null, { id: username, username });
  }));
  app.post('/login', express.json({ limit: '16kb' }), auth.authenticate('local', { failWithError: true }) as express.RequestHandler,
    (_req: Request, res: Response) => void res.json({ redirect: '/me' }));
  app.get('/me', (req, res) => void res.json({ user: req.user ?? null }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown } | null)?.status;
    res.status(typeof status === 'number' ? status : 500).json({ error: 'login failed' });
  });
  const listening = await listen(app);
  return {
    label: '(c) passport-local (floor)',
    url: listening.url,
    store,
    loginKey: 'passport',
    source,
    close: listening.close,
  };
}
