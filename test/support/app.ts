/**
 * A real Express app (express-session, passport, the strategy and its router) on a
 * loopback port, for the tests. The step pages render their locals as JSON inside HTML
 * so HTML-mode tests can read them.
 */
import './log-capture.js';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { listenLoopback } from './listen.js';
import { MultiStepStrategy, cyberark, type MultiStepStrategyOptions, type Provider, type RouterOptions, type PageLocals, type Profile, type UpstreamTokens } from '../../lib/index.js';
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
}

/** Renders locals as `<script id="locals" type="application/json">`. */
export function testRender(_req: express.Request, res: express.Response, locals: PageLocals): void {
  const json = JSON.stringify(locals).replace(/</g, '\\u003c');
  res.type('html').send(`<!doctype html><title>${locals.page}</title><script id="locals" type="application/json">${json}</script>`);
}

/** Reads the locals back out of a page rendered by testRender. */
export function pageLocals(html: string): PageLocals {
  const match = /<script id="locals" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error(`not a rendered page: ${html.slice(0, 200)}`);
  return JSON.parse(match[1]!) as PageLocals;
}

/** A Passport instance of its own that keeps the whole (small) user object in the session. */
export function newPassport(): passport.PassportStatic {
  const auth = new passport.Passport();
  auth.serializeUser((user, done) => done(null, user));
  auth.deserializeUser((user: Express.User, done) => done(null, user));
  return auth as passport.PassportStatic;
}

export async function startApp(options: TestAppOptions): Promise<TestApp> {
  const ex = options.express ?? express;
  const app = ex();
  const auth = newPassport();
  const strategy = new MultiStepStrategy({
    ...(options.strategy as object),
    provider: options.providerInstance ?? cyberark({ url: options.upstreamUrl!, ...options.provider }),
    verify: async (profile, tokens) => {
      options.onVerify?.(profile, tokens);
      return { id: profile.id, username: profile.username, displayName: profile.displayName };
    },
  } as MultiStepStrategyOptions);
  auth.use(strategy);
  const serverErrors: unknown[] = [];

  app.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false, name: 'connect.sid' }) as express.RequestHandler);
  app.use(auth.initialize() as express.RequestHandler);
  app.use(auth.session() as express.RequestHandler);
  app.use('/login', strategy.router({ successReturnToOrRedirect: '/me', render: testRender, ...options.router }));
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

  const listening = await listenLoopback(app);
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
