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
 * The login pages are the library's built-in ones.
 */
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

// One Redis connection per process serves both the sessions and the locks.
const redis = createClient({ url: required('REDIS_URL') });
redis.on('error', (error: unknown) => console.error('redis:', error));
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

app.use('/login', multistep.router({ successReturnToOrRedirect: '/' }));
app.get('/', (req, res) => {
  res.json({ user: req.user ?? null, instance: port });
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST || '127.0.0.1';
const server = app.listen(port, host, () => console.log(`listening on http://${host}:${port}/`));

// Graceful shutdown: finish the requests in flight (they hold locks), then close Redis.
const stop = () => {
  server.close(async () => {
    await multistep.close();
    await redis.quit();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
