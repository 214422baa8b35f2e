/**
 * Server-rendered demo of passport-multistep: Express 5, express-session, Passport,
 * and the strategy's companion routes under /login, with plain HTML pages (views.ts).
 *
 * Runs against the bundled CyberArk simulator unless CYBERARK_URL names a real tenant.
 *
 *   npm start                      # simulator
 *   CYBERARK_URL=https://abc1234.id.cyberark.cloud npm start
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import { MultiStepStrategy, cyberark, type CyberArkOptions, type PageLocals } from '../../lib/index.js';
import { CyberArkSimulator, demoUsers } from '../../lib/testing/index.js';
import { type DemoUser, type SimulatorInfo, type ViewContext, errorPage, homePage, loginPage, privatePage } from './views.js';

/** What each demo user of the simulator exercises. */
const demoUserDescriptions: Record<string, string> = {
  alice: 'password only',
  bob: 'password + SMS code',
  carol: 'password + push',
  dave: 'password + e-mail or security questions (Rex / Leeds)',
  erin: 'password + a choice of methods',
  frank: 'expired password (choose a new one)',
  grace: 'phone call (placed when you choose it), then password',
  hank: 'federated: sign in at the IdP, then enter its PIN',
  ivy: 'federated without a PIN: refused unless allowFederatedWithoutPin (phishing risk)',
};

// ------------------------------------------------------------------ identity provider

let sim: CyberArkSimulator | undefined;
let providerOptions: CyberArkOptions;
let simulatorInfo: SimulatorInfo | undefined;

const realTenant = process.env.CYBERARK_URL?.trim();
if (realTenant) {
  const allowlist = process.env.CYBERARK_POD_ALLOWLIST?.split(',').map((h) => h.trim()).filter(Boolean);
  providerOptions = {
    url: realTenant,
    ...(process.env.CYBERARK_TENANT_ID ? { tenantId: process.env.CYBERARK_TENANT_ID } : {}),
    ...(allowlist?.length ? { podAllowlist: allowlist } : {}),
    federatedLogin: process.env.CYBERARK_FEDERATED === 'true',
  };
} else {
  sim = await CyberArkSimulator.start({ port: Number(process.env.SIM_PORT ?? 0) });
  providerOptions = { url: sim.url, federatedLogin: true };
  simulatorInfo = {
    controlUrl: sim.controlUrl,
    users: demoUsers.map((u) => ({
      username: u.username,
      password: u.password,
      ...(demoUserDescriptions[u.username] ? { description: demoUserDescriptions[u.username] } : {}),
    })),
  };
}

const strategy = new MultiStepStrategy({
  provider: cyberark(providerOptions),
  // Keep the session small: only what the pages show. Upstream tokens are not stored.
  verify: async (profile): Promise<DemoUser> => ({
    id: profile.id,
    username: profile.username,
    name: profile.displayName ?? profile.username,
    ...(profile.emails?.[0]?.value ? { email: profile.emails[0].value } : {}),
  }),
});
passport.use(strategy);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user: DemoUser, done) => done(null, user));

// ------------------------------------------------------------------ app

const app = express();
app.disable('x-powered-by');
const trustProxy = process.env.TRUST_PROXY;
if (trustProxy !== undefined && trustProxy !== '') app.set('trust proxy', parseTrustProxy(trustProxy));

// Security headers; the CSP nonce lets the pages' inline <style> and <script> run and nothing else.
app.use((_req, res, next) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'", `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, "connect-src 'self'",
      "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  });
  next();
});

app.use(session({
  name: 'demo.sid',
  secret: process.env.SESSION_SECRET || randomBytes(32).toString('hex'),
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto' },
}));
app.use(passport.initialize());
app.use(passport.session());

const viewContext = (res: Response): ViewContext => ({
  nonce: String(res.locals.cspNonce),
  ...(simulatorInfo ? { simulator: simulatorInfo } : {}),
});
const sendHtml = (res: Response, html: string, status = 200): void => {
  res.status(status).type('html').send(html);
};

app.use('/login', strategy.router({
  successReturnToOrRedirect: '/',
  render: (_req: Request, res: Response, locals: PageLocals) => sendHtml(res, loginPage(locals, viewContext(res))),
}));

app.get('/', (req, res) => {
  res.set('Cache-Control', 'no-store');
  const user = req.user as DemoUser | undefined;
  // The logout form needs the session's CSRF token; only create one (and a session) for signed-in users.
  const csrf = user ? strategy.csrfToken(req) : '';
  sendHtml(res, homePage(viewContext(res), user, csrf, '/login/logout'));
});

app.get('/private', (req, res) => {
  const user = req.user as DemoUser | undefined;
  if (!user) {
    (req.session as typeof req.session & { returnTo?: string }).returnTo = req.originalUrl;
    res.redirect('/login/');
    return;
  }
  res.set('Cache-Control', 'no-store');
  sendHtml(res, privatePage(viewContext(res), user));
});

app.use((_req, res) => sendHtml(res, errorPage(viewContext(res), 404, 'There is nothing at this address.'), 404));

// Errors the login routes pass on (e.g. a misconfiguration), and any other failure: no stack traces to the browser.
app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
  const status = statusOf(error);
  if (status >= 500) console.error(error);
  if (res.headersSent) return;
  const message = status < 500 && error instanceof Error ? error.message : 'The server could not handle this request.';
  if (req.accepts(['html', 'json']) === 'json') res.status(status).json({ error: { code: 'ERROR', message } });
  else sendHtml(res, errorPage(viewContext(res), status, message), status);
});

// ------------------------------------------------------------------ start and stop

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, host);
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve);
  server.once('error', reject);
});

const address = server.address() as AddressInfo;
const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
console.log(`passport-multistep demo: http://${shownHost}:${address.port}/`);
if (sim && simulatorInfo) {
  console.log(`CyberArk simulator:      ${sim.url}`);
  console.log(`Simulator control page:  ${simulatorInfo.controlUrl}  (approve pushes, read SMS / e-mail codes)`);
  console.log('Demo users (password <name>-pw):');
  for (const u of simulatorInfo.users) console.log(`  ${u.username.padEnd(6)} ${u.password.padEnd(9)} ${u.description ?? ''}`);
} else {
  console.log(`CyberArk tenant:         ${realTenant}`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Give requests in flight a moment, then drop what is left (e.g. keep-alive connections).
  const force = setTimeout(() => server.closeAllConnections(), 3_000);
  force.unref();
  await closed;
  await strategy.close();
  await sim?.close();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    shutdown(signal).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}

// ------------------------------------------------------------------ helpers

/** `TRUST_PROXY`: `true`/`false`, a hop count, or Express's strings (`loopback`, a CIDR list …). */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
