/**
 * A real Express app (express-session, passport, the strategy and its router, with its
 * `storeErrors` handler after it) on a loopback port, for the tests. The step pages render their locals as JSON inside HTML
 * so HTML-mode tests can read them.
 */
import './log-capture.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import connect from 'connect';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { listenLoopback } from './listen.js';
import { MultiStepStrategy, cyberark, type MultiStepStrategyOptions, type Provider, type RouterOptions, type PageLocals, type StepPageLocals, type ErrorPageLocals, type Profile, type UpstreamTokens } from '../../lib/index.js';
import type { CyberArkOptions } from '../../lib/index.js';

export interface TestApp {
  url: string;
  strategy: MultiStepStrategy;
  /** Errors that reached the app's final error handler. */
  serverErrors: unknown[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** CyberArk tenant URL (the default provider) … */
  upstreamUrl?: string;
  /** … or any provider. */
  providerInstance?: Provider;
  provider?: Partial<CyberArkOptions>;
  strategy?: Partial<Omit<MultiStepStrategyOptions, 'provider' | 'verify'>>;
  router?: RouterOptions;
  /** Sees what verify got (profile and tokens). */
  onVerify?: (profile: Profile, tokens: UpstreamTokens) => void;
  /** The express module to build with (express 4 for the compatibility test). */
  express?: typeof express;
  /** The framework around the routes. Default: `TEST_FRAMEWORK` (express5, express4, connect), else express5. */
  framework?: Framework;
  /** express-session's store (default its MemoryStore). */
  sessionStore?: session.Store;
}

/** The frameworks the routes are tested under. */
export type Framework = 'express5' | 'express4' | 'connect';

/** The framework of this test run (`TEST_FRAMEWORK=connect npm test …`). */
export const testFramework: Framework = (['express5', 'express4', 'connect'] as const).find((f) => f === process.env.TEST_FRAMEWORK) ?? 'express5';

/** Renders locals as `<script id="locals" type="application/json">` (with Node's response only: any framework). */
export function testRender(_req: IncomingMessage, res: ServerResponse, locals: PageLocals): void {
  const json = JSON.stringify(locals).replace(/</g, '\\u003c');
  const html = `<!doctype html><title>${locals.page}</title><script id="locals" type="application/json">${json}</script>`;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(html);
}

/** Any page's locals, read loosely (tests know which page they expect). */
export type TestPageLocals = Omit<StepPageLocals, 'page'> & Partial<Omit<ErrorPageLocals, 'page'>> & { page: PageLocals['page'] };

/** Reads the locals back out of a page rendered by testRender. */
export function pageLocals(html: string): TestPageLocals {
  const match = /<script id="locals" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error(`not a rendered page: ${html.slice(0, 200)}`);
  return JSON.parse(match[1]!) as TestPageLocals;
}

/** A Passport instance of its own that keeps the whole (small) user object in the session. */
export function newPassport(): passport.PassportStatic {
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, user));
  auth.deserializeUser((user: Express.User, done) => done(null, user));
  return auth as passport.PassportStatic;
}

/** Limits high enough for any suite (the defaults are for people; test/limits tests them). */
export const generousLimits = {
  sends: { perUser: { points: 1_000_000, durationMs: 60_000 }, perClient: { points: 1_000_000, durationMs: 60_000 } },
  guesses: { perUserAndClient: { points: 1_000_000, durationMs: 60_000 }, perUser: { points: 1_000_000, durationMs: 60_000 } },
  starts: { perClient: { points: 1_000_000, durationMs: 60_000 } },
} as const;

export async function startApp(options: TestAppOptions): Promise<TestApp> {
  const framework = options.express ? 'express4' : options.framework ?? testFramework;
  const auth = newPassport();
  const strategy = new MultiStepStrategy({
    // Suites log in many times from 127.0.0.1: limits that never trip unless a test sets its own (test/limits).
    limits: generousLimits,
    ...(options.strategy as object),
    provider: options.providerInstance ?? cyberark({ url: options.upstreamUrl!, ...options.provider }),
    verify: async (profile, tokens) => {
      options.onVerify?.(profile, tokens);
      return { id: profile.id, username: profile.username, displayName: profile.displayName };
    },
  } as MultiStepStrategyOptions);
  auth.use(strategy);
  const serverErrors: unknown[] = [];
  const routes = strategy.router({ successReturnToOrRedirect: '/me', render: testRender, ...options.router });
  const sessions = session({
    secret: 'test-session-secret', resave: false, saveUninitialized: false, name: 'connect.sid', ...(options.sessionStore ? { store: options.sessionStore } : {}),
  });

  let listening;
  if (framework === 'connect') {
    // Connect 3: no req.query, res.json, res.redirect or req.baseUrl; the routes must not need them.
    const app = connect();
    app.use(sessions as connect.NextHandleFunction);
    app.use(auth.initialize() as unknown as connect.NextHandleFunction);
    app.use(auth.session() as unknown as connect.NextHandleFunction);
    app.use('/login', routes);
    app.use('/login', routes.storeErrors); // as the README mounts it
    app.use('/me', (req, res) => {
      const r = req as IncomingMessage & { user?: unknown; session?: { returnTo?: string } };
      sendJson(res, { user: r.user ?? null, returnTo: r.session?.returnTo ?? null });
    });
    app.use('/protected', (req, res) => {
      const r = req as IncomingMessage & { user?: unknown; session?: { returnTo?: string }; originalUrl?: string };
      if (r.user) return sendJson(res, { ok: true });
      if (r.session) r.session.returnTo = r.originalUrl;
      res.statusCode = 302;
      res.setHeader('Location', '/login/');
      res.end();
    });
    app.use(((error: unknown, _req: IncomingMessage, res: ServerResponse, _next: connect.NextFunction) => {
      serverErrors.push(error);
      sendJson(res, { error: 'internal' }, 500);
    }) as connect.ErrorHandleFunction);
    listening = await listenLoopback(app as unknown as Parameters<typeof listenLoopback>[0]);
  } else {
    const ex = options.express ?? (framework === 'express4' ? (await import('express4')).default as unknown as typeof express : express);
    const app = ex();
    app.use(sessions as express.RequestHandler);
    app.use(auth.initialize() as express.RequestHandler);
    app.use(auth.session() as express.RequestHandler);
    app.use('/login', routes, routes.storeErrors); // as the README mounts it
    app.get('/me', (req, res) => {
      res.json({ user: req.user ?? null, returnTo: (req.session as { returnTo?: string }).returnTo ?? null });
    });
    app.get('/protected', (req, res) => {
      if (req.user) return void res.json({ ok: true });
      (req.session as { returnTo?: string }).returnTo = req.originalUrl;
      res.redirect('/login/');
    });
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      serverErrors.push(error);
      res.status(500).json({ error: 'internal' });
    });
    listening = await listenLoopback(app);
  }
  return {
    url: listening.url,
    strategy,
    serverErrors,
    async close() {
      await listening.close();
      await strategy.close();
    },
  };
}

function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
