/**
 * Production setup for several app instances behind a load balancer (no sticky sessions):
 * sessions in Redis through connect-redis, login locks in the same Redis (`redisLocks`),
 * the same cookie name and secret on every instance, explicit lifetimes.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 SESSION_SECRET=… CYBERARK_URL=https://abc1234.id.cyberark.cloud \
 *     npx tsx examples/redis/server.ts
 *
 * Without CYBERARK_URL it starts the bundled CyberArk simulator (demo users, password `<name>-pw`)
 * and prints its URL: start a second instance (PORT=3001) with CYBERARK_URL set to it, and
 * alternate between the two in one browser: the login goes on wherever the next request
 * lands. See docs/scale-out.md.
 *
 * The login pages are the library's built-in ones. When Redis is down, the login routes answer
 * 503 SESSION_STORE_UNAVAILABLE (JSON or the error page) and recover on their own once it is back
 * (docs/scale-out.md, "When Redis fails").
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { MultiStepStrategy, cyberark, redisLocks } from '../../lib/index.js'; // in an app: 'passport-multistep'
import { CyberArkSimulator } from '../../lib/testing/index.js';

// Lifetimes (docs/scale-out.md, "What the TTLs mean").
/** Idle lifetime of a session in Redis; every request extends it (express-session `touch`). */
const SESSION_TTL_SECONDS = 30 * 60;
/** A login must finish within this, counted from its start (CyberArk's own limit is 5 minutes). */
const LOGIN_TTL_MS = 5 * 60_000;

const required = (name: string): string => {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is required (the same value on every instance)`);
  return value;
};

// One Redis connection per process serves both the sessions and the locks. If Redis goes
// away, requests must fail fast (the routes then answer 503 SESSION_STORE_UNAVAILABLE) rather
// than queue until Redis is back, and the client must keep reconnecting on its own.
const redis = createClient({
  url: required('REDIS_URL'),
  // While reconnecting, commands fail at once (ClientOfflineError) instead of waiting in a queue.
  disableOfflineQueue: true,
  // A command Redis does not answer fails after this long (TimeoutError), e.g. a frozen or partitioned Redis.
  commandOptions: { timeout: 2_000 },
  // Keep the connection checked while idle (connections that die silently behind a NAT or load balancer).
  pingInterval: 10_000,
  socket: {
    connectTimeout: 2_000,
    // Never give up (the default strategy stops after a socket timeout, and a client that has
    // given up stays closed until the process restarts): retry after 50 ms, 100 ms … at most 1 s.
    reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1_000) + Math.floor(Math.random() * 100),
  },
});
redis.on('error', (error: unknown) => console.error('redis:', error instanceof Error ? `${error.constructor.name} ${error.message}` : error));
await redis.connect();

let tenantUrl = process.env.CYBERARK_URL?.trim();
if (!tenantUrl) {
  tenantUrl = (await CyberArkSimulator.start()).url;
  console.log(`CyberArk simulator: ${tenantUrl} (start more instances with CYBERARK_URL=${tenantUrl}; control page: ${tenantUrl}/_sim)`);
}

const multistep = new MultiStepStrategy({
  provider: cyberark({ url: tenantUrl }),
  // Serializes the login requests of one session across every instance. ttlMs: how long a lock
  // outlives a crashed holder (longer than the slowest request); waitMs: how long a request queues.
  locks: redisLocks(redis, { prefix: 'myapp:lock:', ttlMs: 30_000, waitMs: 15_000 }),
  transactionTtlMs: LOGIN_TTL_MS,
  verify: async (profile) => ({ id: profile.id, username: profile.username, name: profile.displayName }),
});
passport.use(multistep);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user: Express.User, done) => done(null, user));

const app = express();
if (process.env.TRUST_PROXY) app.set('trust proxy', Number(process.env.TRUST_PROXY) || process.env.TRUST_PROXY); // TLS ends at the load balancer

app.use(session({
  store: new RedisStore({ client: redis, prefix: 'myapp:sess:', ttl: SESSION_TTL_SECONDS }),
  name: 'myapp.sid', // the same on every instance
  // The same on every instance; a comma-separated list rotates keys (the first one signs).
  secret: required('SESSION_SECRET').split(','),
  resave: false, // the library saves under its lock; never write back unchanged sessions
  saveUninitialized: false, // no session (and no Redis key) before someone starts a login
  cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto' }, // no maxAge: the Redis TTL decides
}));
app.use(passport.initialize());
app.use(passport.session());

// The login routes, then their error handler for the same path: a session store that fails
// before the routes run (express-session cannot load the session) gets the routes' own answer,
// 503 SESSION_STORE_UNAVAILABLE with Retry-After, as JSON or the error page.
const login = multistep.router({ successReturnToOrRedirect: '/' });
app.use('/login', login, login.storeErrors);
app.get('/', (req, res) => {
  res.json({ user: req.user ?? null, instance: port });
});
// The app's own pages: no stack trace to the browser. No session means express-session could not load it.
app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
  console.error('request failed:', error instanceof Error ? `${error.constructor.name} ${error.message}` : error);
  if (res.headersSent) return;
  res.status(req.session ? 500 : 503).json({ error: req.session ? 'internal error' : 'service unavailable' });
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '127.0.0.1';
const server = app.listen(port, host, () => console.log(`listening on http://${host}:${(server.address() as AddressInfo).port}/`));

// Graceful shutdown: finish the requests in flight (they hold locks), then close Redis.
const stop = () => {
  server.close(async () => {
    await multistep.close();
    await redis.close().catch(() => redis.destroy()); // Redis may be down: do not wait for it
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
