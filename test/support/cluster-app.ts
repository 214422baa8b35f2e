/**
 * One app instance of the scale-out tests, run as a CHILD PROCESS:
 *
 *   node --import tsx/esm test/support/cluster-app.ts
 *
 * Express 5 + express-session with connect-redis (RedisStore) + passport + three
 * strategies, each with `redisLocks(client)`: CyberArk at /login, IDCS at /idcs/login,
 * OAA at /oaa/login. Several of these share one Redis and the same cookie name and
 * secret, so a browser can alternate between them on every request.
 *
 * Configuration (env):
 *   REDIS_URL                         required, e.g. redis://127.0.0.1:6379
 *   SESSION_SECRET                    required, the same on every instance
 *   PORT (default 0), HOST (default 127.0.0.1), INSTANCE (a name shown by /me and /_stats)
 *   SESSION_COOKIE (default pm.sid), SESSION_PREFIX (default pm:sess:), SESSION_TTL_SECONDS (default 900)
 *   TRANSACTION_TTL_MS (default 300000), POLL_INTERVAL_MS (default 20)
 *   LOCK_TTL_MS, LOCK_WAIT_MS         redisLocks' ttlMs and waitMs (default theirs: 30000, 15000)
 *   REDIS_RECONNECT_MAX_MS            longest wait between two reconnect attempts (default 1000)
 *   CYBERARK_URL                      the CyberArk tenant (or simulator)
 *   IDCS_URL, IDCS_CLIENT_ID, IDCS_CLIENT_SECRET, IDCS_APP_NAME
 *   OAA_URL, OAA_API_USERNAME, OAA_API_KEY, OAA_CLIENT_ID, OAA_CLIENT_SECRET, OAA_ASSURANCE_LEVEL
 *     (OAA's first factor is a demo directory: the password of every user is `<name>-pw`,
 *      as in the OAA simulator's default)
 * A provider whose URL is not set is not mounted.
 *
 * It prints `listening http://127.0.0.1:PORT` on stdout once it accepts requests, and
 * exits on SIGTERM / SIGINT (and, with EXIT_WITH_STDIN=1, when its stdin closes). `GET /me` → `{ user, instance }`; `GET /_stats` →
 * `{ instance, serverErrors, redisReady }` (errors that reached the final error handler; whether the Redis client is connected).
 */
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import {
  MultiStepStrategy, cyberark, idcs, oaa, redisLocks, type PageLocals, type Profile, type RouterOptions,
} from '../../lib/index.js';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name]?.trim();
  if (value) return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`cluster-app: ${name} is required`);
};

const instance = env('INSTANCE', `pid-${process.pid}`);
const redisUrl = env('REDIS_URL');
const sessionSecret = env('SESSION_SECRET');
const sessionTtlSeconds = Number(env('SESSION_TTL_SECONDS', '900'));
const transactionTtlMs = Number(env('TRANSACTION_TTL_MS', '300000'));
const pollIntervalMs = Number(env('POLL_INTERVAL_MS', '20'));

// The Redis client as examples/redis/server.ts sets it up: fail fast while Redis is away, reconnect forever.
const client = createClient({
  url: redisUrl,
  disableOfflineQueue: true,
  commandOptions: { timeout: 2_000 },
  pingInterval: 10_000,
  socket: {
    connectTimeout: 2_000,
    reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, Number(env('REDIS_RECONNECT_MAX_MS', '1000'))) + Math.floor(Math.random() * 50),
  },
});
client.on('error', (error: unknown) => console.error(`[${instance}] redis client error:`, error instanceof Error ? `${error.constructor.name} ${error.message}` : error));
await client.connect();

const locks = redisLocks(client, {
  ...(process.env.LOCK_TTL_MS ? { ttlMs: Number(process.env.LOCK_TTL_MS) } : {}),
  ...(process.env.LOCK_WAIT_MS ? { waitMs: Number(process.env.LOCK_WAIT_MS) } : {}),
});
/**
 * Limits in the shared Redis: LIMITS (JSON of LimitsOptions' windows, e.g. `{"guesses":{"perUserAndClient":{"points":3,"durationMs":60000}}}`)
 * for the limits test; otherwise windows no suite reaches. The client key is the `X-Test-Client` header when sent (tests only), else the IP.
 */
const generous = { points: 1_000_000, durationMs: 60_000 };
const limitWindows = process.env.LIMITS ? JSON.parse(process.env.LIMITS) as object : {
  sends: { perUser: generous, perClient: generous }, guesses: { perUserAndClient: generous, perUser: generous }, starts: { perClient: generous },
};
const limits = {
  ...limitWindows, redis: client,
  clientKey: (req: { headers: Record<string, unknown>; ip?: string }) => (typeof req.headers['x-test-client'] === 'string' ? req.headers['x-test-client'] : req.ip),
};
const common = { locks, limits, transactionTtlMs, pollIntervalMs, resendCooldownMs: 0 };

type ProviderKey = 'cyberark' | 'idcs' | 'oaa';
const verifyFor = (provider: ProviderKey) => async (profile: Profile) => ({ id: profile.id, username: profile.username, provider });

const strategies: Array<{ mount: string; strategy: MultiStepStrategy }> = [];

const cyberarkUrl = process.env.CYBERARK_URL?.trim();
if (cyberarkUrl) {
  strategies.push({
    mount: '/login',
    strategy: new MultiStepStrategy({
      ...common, name: 'cyberark', sessionKey: 'pm-cyberark', provider: cyberark({ url: cyberarkUrl }), verify: verifyFor('cyberark'),
    }),
  });
}

const idcsUrl = process.env.IDCS_URL?.trim();
if (idcsUrl) {
  strategies.push({
    mount: '/idcs/login',
    strategy: new MultiStepStrategy({
      ...common,
      name: 'idcs',
      sessionKey: 'pm-idcs',
      provider: idcs({ url: idcsUrl, clientId: env('IDCS_CLIENT_ID'), clientSecret: env('IDCS_CLIENT_SECRET'), appName: env('IDCS_APP_NAME') }),
      verify: verifyFor('idcs'),
    }),
  });
}

const oaaUrl = process.env.OAA_URL?.trim();
if (oaaUrl) {
  strategies.push({
    mount: '/oaa/login',
    strategy: new MultiStepStrategy({
      ...common,
      name: 'oaa',
      sessionKey: 'pm-oaa',
      provider: oaa({
        url: oaaUrl,
        auth: { username: env('OAA_API_USERNAME'), password: env('OAA_API_KEY') },
        clientId: env('OAA_CLIENT_ID'),
        clientSecret: env('OAA_CLIENT_SECRET'),
        assuranceLevel: env('OAA_ASSURANCE_LEVEL', 'PassportAL1'),
        // The demo directory: every user's password is <name>-pw.
        firstFactor: { verifyPassword: (username, password) => password === `${username}-pw` },
      }),
      verify: verifyFor('oaa'),
    }),
  });
}

const auth = new passport.Passport();
auth.serializeUser((user, done) => done(null, user));
auth.deserializeUser((user: Express.User, done) => done(null, user));
for (const { strategy } of strategies) auth.use(strategy);

const serverErrors: string[] = [];
const app = express();
app.disable('x-powered-by');
app.use(session({
  store: new RedisStore({ client, prefix: env('SESSION_PREFIX', 'pm:sess:'), ttl: sessionTtlSeconds }),
  name: env('SESSION_COOKIE', 'pm.sid'),
  secret: sessionSecret,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, sameSite: 'lax' },
}) as express.RequestHandler);
app.use(auth.initialize() as express.RequestHandler);
app.use(auth.session() as express.RequestHandler);

/** The tests drive the routes in JSON mode; HTML requests get the locals as JSON in a page. */
const render: RouterOptions['render'] = (_req, res, locals: PageLocals) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><title>${locals.page}</title><pre>${JSON.stringify(locals).replace(/</g, '\\u003c')}</pre>`);
};
for (const { mount, strategy } of strategies) {
  // As examples/redis/server.ts mounts them: the routes, then their handler for session store failures.
  const routes = strategy.router({ successRedirect: '/me', render });
  app.use(mount, routes, routes.storeErrors);
}

app.get('/me', (req, res) => {
  res.set('Cache-Control', 'no-store').json({ user: req.user ?? null, instance });
});
app.get('/_stats', (_req, res) => {
  res.json({ instance, serverErrors, redisReady: client.isReady });
});
app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
  serverErrors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  console.error(`[${instance}] server error:`, error);
  if (!res.headersSent) res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } });
});

const server = app.listen(Number(env('PORT', '0')), env('HOST', '127.0.0.1'));
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve);
  server.once('error', reject);
});
const { address, port } = server.address() as AddressInfo;
console.log(`listening http://${address}:${port}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all(strategies.map(({ strategy }) => strategy.close()));
  await client.close().catch(() => client.destroy());
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// Started with a stdin pipe by the tests: when the test process goes away (even killed), so does this one.
if (process.env.EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', () => void stop()).on('close', () => void stop()).resume();
}
