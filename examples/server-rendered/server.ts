/**
 * Server-rendered demo of passport-multistep: Express 5, express-session, Passport, and
 * two strategies with their companion routes, plain HTML pages (views.ts):
 *
 *   /login/        CyberArk Identity  (strategy "multistep")
 *   /idcs/login/   Oracle IDCS        (strategy "idcs")
 *
 * Each runs against its bundled simulator unless real endpoints are configured:
 *
 *   npm start                      # both simulators
 *   CYBERARK_URL=https://abc1234.id.cyberark.cloud npm start
 *   IDCS_URL=https://idcs-….identity.oraclecloud.com IDCS_CLIENT_ID=… IDCS_CLIENT_SECRET=… npm start
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import {
  MultiStepStrategy, cyberark, idcs, type CyberArkOptions, type IdcsOptions, type PageLocals, type Profile,
} from '../../lib/index.js';
import { CyberArkSimulator, IdcsSimulator, demoUsers, idcsDemoUsers } from '../../lib/testing/index.js';
import { type DemoUser, type ProviderInfo, type SimulatorInfo, type ViewContext, errorPage, homePage, loginPage, privatePage } from './views.js';

/** What each demo user of the CyberArk simulator exercises. */
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

/** What each demo user of the IDCS simulator exercises. */
const idcsUserDescriptions: Record<string, string> = {
  ann: 'password only',
  ben: 'authenticator app (TOTP) code; “Try another way”: e-mail, bypass code 12345678, security questions (Rex / Leeds)',
  cora: 'SMS code, already sent (“Send a new code” resends it)',
  dan: 'push notification (approve it on the control page)',
  eve: 'security questions (Rex / Leeds)',
  fay: 'password, then an e-mail code',
  gus: 'no method yet: must set one up (authenticator app with QR code, SMS or e-mail)',
  hal: 'may set up a method, or choose “Not now”',
  ida: 'terms of use to accept',
  jo: 'account locked: refused',
  kim: 'password expired: refused',
  lea: 'a choice of SMS, e-mail or push, and “Remember this device” (the next sign-in needs only the password)',
};

/** Optional number from the environment (e.g. RESEND_COOLDOWN_MS); unset or empty means the library default. */
function envNumber(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number`);
  return value;
}
const resendCooldownMs = envNumber('RESEND_COOLDOWN_MS');
const commonStrategyOptions = resendCooldownMs === undefined ? {} : { resendCooldownMs };

// ------------------------------------------------------------------ CyberArk Identity

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
    controlPurpose: 'approve pushes and phone calls and read SMS / e-mail codes',
    users: demoUsers.map((u) => ({
      username: u.username,
      password: u.password,
      ...(demoUserDescriptions[u.username] ? { description: demoUserDescriptions[u.username] } : {}),
    })),
  };
}

/** Keep the session small: only what the pages show, and which provider (logout goes through its router). Upstream tokens are not stored. */
const toDemoUser = (provider: string) => async (profile: Profile): Promise<DemoUser> => ({
  id: profile.id,
  username: profile.username,
  name: profile.displayName ?? profile.username,
  ...(profile.emails?.[0]?.value ? { email: profile.emails[0].value } : {}),
  provider,
});

const strategy = new MultiStepStrategy({
  ...commonStrategyOptions,
  provider: cyberark(providerOptions),
  verify: toDemoUser('cyberark'),
});

// ------------------------------------------------------------------ Oracle IDCS

let idcsSim: IdcsSimulator | undefined;
let idcsOptions: IdcsOptions;
let idcsSimulatorInfo: SimulatorInfo | undefined;

const realIdcs = process.env.IDCS_URL?.trim();
if (realIdcs) {
  const clientId = process.env.IDCS_CLIENT_ID?.trim();
  const clientSecret = process.env.IDCS_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) throw new TypeError('IDCS_URL needs IDCS_CLIENT_ID and IDCS_CLIENT_SECRET (a confidential app with the authentication API role)');
  const appName = process.env.IDCS_APP_NAME?.trim();
  idcsOptions = { url: realIdcs, clientId, clientSecret, ...(appName ? { appName } : {}) };
} else {
  // "User name first" (a tenant setting): the library sends the typed name on its own, so users see no difference.
  idcsSim = await IdcsSimulator.start({ port: Number(process.env.IDCS_SIM_PORT ?? 0), switches: { usernameFirst: true } });
  idcsOptions = { url: idcsSim.url, clientId: idcsSim.clientId, clientSecret: idcsSim.clientSecret, appName: idcsSim.appName };
  idcsSimulatorInfo = {
    controlUrl: idcsSim.controlUrl,
    controlPurpose: 'approve pushes and read SMS / e-mail and authenticator app codes',
    users: idcsDemoUsers.map((u) => ({
      username: u.username,
      password: u.password,
      ...(idcsUserDescriptions[u.username] ? { description: idcsUserDescriptions[u.username] } : {}),
    })),
  };
}

const idcsStrategy = new MultiStepStrategy({
  ...commonStrategyOptions,
  name: 'idcs',
  provider: idcs(idcsOptions),
  // Its own corner of the session (transactions, CSRF token, messages, logout handle).
  sessionKey: 'passport-multistep-idcs',
  // "Remember this device": trusted-device tokens in an encrypted cookie. A random secret
  // forgets every device on restart; set DEVICE_COOKIE_SECRET (32+ bytes) to keep them.
  rememberDevice: { secret: process.env.DEVICE_COOKIE_SECRET || randomBytes(32) },
  verify: toDemoUser('idcs'),
});

passport.use(strategy);
passport.use(idcsStrategy);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user: DemoUser, done) => done(null, user));

/** The providers the demo offers: where each one's pages are, and its router's strategy. */
const providers: Array<ProviderInfo & { strategy: MultiStepStrategy }> = [
  { key: 'cyberark', name: 'CyberArk Identity', loginUrl: '/login/', strategy, ...(simulatorInfo ? { simulator: simulatorInfo } : {}) },
  { key: 'idcs', name: 'Oracle IDCS', loginUrl: '/idcs/login/', strategy: idcsStrategy, ...(idcsSimulatorInfo ? { simulator: idcsSimulatorInfo } : {}) },
];
const providerInfos: ProviderInfo[] = providers.map(({ strategy: _s, ...info }) => info);

// ------------------------------------------------------------------ app

const app = express();
app.disable('x-powered-by');
const trustProxy = process.env.TRUST_PROXY;
if (trustProxy !== undefined && trustProxy !== '') app.set('trust proxy', parseTrustProxy(trustProxy));

// Security headers; the CSP nonce lets the pages' inline <style> and <script> run and nothing else.
// `img-src data:` is for the QR code of an authenticator app enrollment (a data:image/png URL from IDCS).
app.use((_req, res, next) => {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'", `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, "connect-src 'self'",
      "img-src 'self' data:", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
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

const viewContext = (res: Response, provider?: ProviderInfo): ViewContext => ({
  nonce: String(res.locals.cspNonce),
  providers: providerInfos,
  ...(provider ? { provider } : {}),
});
const sendHtml = (res: Response, html: string, status = 200): void => {
  res.status(status).type('html').send(html);
};

// One router per provider; the same views render both (with that provider's context).
for (const provider of providers) {
  const mount = provider.loginUrl.replace(/\/$/, '');
  const info = providerInfos.find((p) => p.key === provider.key)!;
  app.use(mount, provider.strategy.router({
    successReturnToOrRedirect: '/',
    render: (_req: Request, res: Response, locals: PageLocals) => sendHtml(res, loginPage(locals, viewContext(res, info))),
  }));
}

/** The provider the signed-in user came from (its router logs them out). */
const providerOf = (user: DemoUser) => providers.find((p) => p.key === user.provider) ?? providers[0]!;

app.get('/', (req, res) => {
  res.set('Cache-Control', 'no-store');
  const user = req.user as DemoUser | undefined;
  // The logout form needs the session's CSRF token of the provider's strategy; only create one (and a session) for signed-in users.
  const provider = user ? providerOf(user) : undefined;
  const csrf = provider ? provider.strategy.csrfToken(req) : '';
  const logoutAction = provider ? `${provider.loginUrl}logout` : '';
  sendHtml(res, homePage(viewContext(res), user, csrf, logoutAction));
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
console.log(`  CyberArk Identity: http://${shownHost}:${address.port}/login/   Oracle IDCS: http://${shownHost}:${address.port}/idcs/login/`);
if (sim && simulatorInfo) {
  console.log(`CyberArk simulator:      ${sim.url}`);
  console.log(`Simulator control page:  ${simulatorInfo.controlUrl}  (approve pushes, read SMS / e-mail codes)`);
  console.log('Demo users (password <name>-pw):');
  for (const u of simulatorInfo.users) console.log(`  ${u.username.padEnd(6)} ${u.password.padEnd(9)} ${u.description ?? ''}`);
} else {
  console.log(`CyberArk tenant:         ${realTenant}`);
}
if (idcsSim && idcsSimulatorInfo) {
  console.log(`IDCS simulator:          ${idcsSim.url}`);
  console.log(`IDCS control page:       ${idcsSimulatorInfo.controlUrl}  (approve pushes, read SMS / e-mail / authenticator codes)`);
  console.log('IDCS demo users (password <name>-pw):');
  for (const u of idcsSimulatorInfo.users) console.log(`  ${u.username.padEnd(6)} ${u.password.padEnd(9)} ${u.description ?? ''}`);
} else {
  console.log(`IDCS identity domain:    ${realIdcs}`);
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
  await idcsStrategy.close();
  await sim?.close();
  await idcsSim?.close();
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
