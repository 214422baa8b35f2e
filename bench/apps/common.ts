/**
 * What the three benchmarked apps share, so that only the login code differs:
 * express 5, express-session with its MemoryStore, a Passport instance of their own
 * that keeps the small user object in the session, a loopback port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';

export interface BenchUserObject {
  id: string;
  username: string;
  displayName?: string;
}

export interface BenchApp {
  /** `(a) passport-multistep` … */
  label: string;
  url: string;
  /** The app's session store, to read a session by id and to empty it between runs. */
  store: session.MemoryStore;
  /** Key of the login state in the session (for the session-size figures). */
  loginKey: string;
  close(): Promise<void>;
}

export const SESSION_SECRET = 'bench-session-secret-0123456789abcdef';

/** An express app with sessions and passport mounted, and its store. */
export function baseApp(): { app: express.Express; store: session.MemoryStore; auth: passport.PassportStatic } {
  const app = express();
  app.set('x-powered-by', false);
  const store = new session.MemoryStore();
  const auth = new passport.Passport() as passport.PassportStatic;
  auth.serializeUser((user, done) => done(null, user));
  auth.deserializeUser((user: Express.User, done) => done(null, user));
  app.use(session({ secret: SESSION_SECRET, resave: false, saveUninitialized: false, name: 'connect.sid', store }) as express.RequestHandler);
  app.use(auth.initialize() as express.RequestHandler);
  app.use(auth.session() as express.RequestHandler);
  return { app, store, auth };
}

/** Listens on 127.0.0.1 and a free port; `close` drops keep-alive connections too. */
export async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // The load generator keeps its connections for the whole run.
  server.keepAliveTimeout = 60_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Empties a MemoryStore (between runs, so every run starts from the same store size). */
export function clearStore(store: session.MemoryStore): Promise<void> {
  return new Promise((resolve, reject) => store.clear?.((error?: unknown) => (error ? reject(error) : resolve())) ?? resolve());
}

/** Reads a session from the store by id. */
export function readSession(store: session.MemoryStore, sid: string): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) =>
    store.get(sid, (error, data) => (error ? reject(error) : resolve((data ?? undefined) as Record<string, unknown> | undefined))));
}
