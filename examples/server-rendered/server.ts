/**
 * Server-rendered demo of passport-multistep: Express 5, express-session, Passport, and
 * four strategies with their companion routes and the library's built-in login pages (the
 * demo adds its simulator hints to them; its own pages are in app-pages.ts):
 *
 *   /login/        CyberArk Identity                        (strategy "multistep")
 *   /idcs/login/   Oracle IDCS                              (strategy "idcs")
 *   /oaa/login/    Oracle Advanced Authentication (2nd factor after the app's password check, strategy "oaa")
 *   /cognito/login/ AWS Cognito user pool                  (strategy "cognito"; cognito-local, started in process)
 *   /spa/          the single-page app of examples/spa: the same logins through the routes' JSON mode
 *                  (it reads the providers from /spa/providers.json: Cognito joins once it is up)
 *
 * Each runs against its bundled simulator unless real endpoints are configured:
 *
 *   npm start                      # the CyberArk, IDCS and OAA simulators, and cognito-local for Cognito
 *   CYBERARK_URL=https://abc1234.id.cyberark.cloud npm start
 *   IDCS_URL=https://idcs-….identity.oraclecloud.com IDCS_CLIENT_ID=… IDCS_CLIENT_SECRET=… npm start
 *   OAA_URL=https://oaa.example.com/oaa/runtime OAA_API_USERNAME=… OAA_API_KEY=… OAA_CLIENT_ID=… \
 *     OAA_CLIENT_SECRET=… OAA_ASSURANCE_LEVEL=… DEMO_PASSWORDS='alice:secret' npm start
 *   COGNITO_USER_POOL_ID=eu-west-1_AbCdEfGhI COGNITO_CLIENT_ID=… [COGNITO_CLIENT_SECRET=…] npm start
 *
 * cognito-local starts after the demo is listening (the Cognito button appears once it is up,
 * about half a second later), behind the demo's own front for the MFA_SETUP challenge it lacks
 * (cognito-mfa-setup.ts); when it cannot start, Cognito is left out with one log line.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import {
  MultiStepStrategy, cognito, cyberark, idcs, oaa, type CognitoOptions, type CyberArkOptions, type FirstFactorUser, type IdcsOptions, type OaaOptions,
  type PasswordFirstFactor, type Profile,
} from '../../lib/index.js';
import { CyberArkSimulator, IdcsSimulator, OaaSimulator, demoUsers, idcsDemoUsers, oaaDemoUsers } from '../../lib/testing/index.js';
import { jsonLines } from '../audit-log/audit-log.js';
import { type DemoUser, type ProviderInfo, type SimulatorInfo, errorPage, homePage, loginFooter, privatePage } from './app-pages.js';
import type { CognitoDemo } from './cognito-demo.js';

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
  ben: 'authenticator app (TOTP) code; “Try another way”: e-mail, bypass code 12345678, security question (Rex)',
  cora: 'SMS code, already sent (“Send a new code” resends it)',
  dan: 'push notification (approve or deny it on the control page); “Try another way”: e-mail',
  eve: 'a security question (Rex; a wrong answer brings the next question, Leeds)',
  fay: 'password, then an e-mail code',
  gus: 'no method yet: must set one up (authenticator app: “Scan QR code” on the control page; push, SMS, e-mail or security questions)',
  hal: 'may set up a method (e.g. e-mail), or choose “Not now”',
  ida: 'terms of use to accept (or decline)',
  jo: 'account locked: refused',
  kim: 'password expired: refused',
  lea: 'SMS code and “Remember this device” (the next sign-in in this browser needs only the password); “Try another way”: push, e-mail',
};

/** What each demo user of the OAA simulator exercises (after the password, which the app checks itself). */
const oaaUserDescriptions: Record<string, string> = {
  olga: 'password, then an e-mail code',
  pete: 'password, then an SMS code',
  quinn: 'password, then an authenticator app (TOTP) code (the control page shows it)',
  rosa: 'password, then a push (approve it on the control page; the page polls)',
  sam: 'password, then a choice of e-mail, SMS or authenticator app (TOTP)',
  tess: 'password, then a YubiKey OTP (“Touch key” on the control page shows one to paste)',
  uma: 'no factor registered: sent to the OAA enrolment page',
  vic: 'FIDO2 security key only: cannot be used here (refused with a message)',
  walt: 'no challenge needed (a low-risk rule): the password is enough',
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
// AUDIT_LOG=1: audit events as JSON lines on stdout; AUDIT_LOG=<file>: appended to that file (examples/audit-log/).
const auditLog = process.env.AUDIT_LOG?.trim();
const commonStrategyOptions = {
  ...(resendCooldownMs === undefined ? {} : { resendCooldownMs }),
  ...(auditLog && auditLog !== '0' ? { onEvent: jsonLines(auditLog === '1' ? undefined : auditLog) } : {}),
};

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
  // A tenant with a social and a SAML identity provider configured, as many are: the password path is unchanged.
  idcsSim = await IdcsSimulator.start({ port: Number(process.env.IDCS_SIM_PORT ?? 0), switches: { socialIdps: true } });
  idcsOptions = {
    url: idcsSim.url, clientId: idcsSim.clientId, clientSecret: idcsSim.clientSecret, appName: idcsSim.appName,
    // UNVERIFIED against a real domain (see the README); the simulator honours it, so the demo shows "remember this device".
    sendTrustToken: true,
  };
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

// ------------------------------------------------------------------ Oracle Advanced Authentication

// OAA is a second factor: it never sees passwords. The first factor is the app's own
// password check (`verifyPassword`; LDAP, a database …). Against the simulator, the
// simulator's demo directory plays that part; against a real deployment the demo has no
// directory, so it accepts only the users listed in DEMO_PASSWORDS (for trying it out).

let oaaSim: OaaSimulator | undefined;
let oaaOptions: OaaOptions;
let oaaSimulatorInfo: SimulatorInfo | undefined;
/** Origins the OAA login pages may send the browser to after a form post (the enrolment page). */
let oaaFormTargets: string[] = [];
let demoPasswordCount = 0;

const realOaa = process.env.OAA_URL?.trim();
if (realOaa) {
  const required = ['OAA_API_USERNAME', 'OAA_API_KEY', 'OAA_CLIENT_ID', 'OAA_CLIENT_SECRET', 'OAA_ASSURANCE_LEVEL'] as const;
  const missing = required.filter((name) => !process.env[name]?.trim());
  if (missing.length) throw new TypeError(`OAA_URL needs ${missing.join(', ')} (the runtime API user and key, the integration agent and its assurance level)`);
  const env = (name: (typeof required)[number]) => process.env[name]!.trim();
  const registrationUrl = process.env.OAA_REGISTRATION_URL?.trim();
  const demoPasswords = parseDemoPasswords(process.env.DEMO_PASSWORDS ?? '');
  demoPasswordCount = demoPasswords.size;
  oaaOptions = {
    url: realOaa,
    auth: { username: env('OAA_API_USERNAME'), password: env('OAA_API_KEY') },
    clientId: env('OAA_CLIENT_ID'),
    clientSecret: env('OAA_CLIENT_SECRET'),
    assuranceLevel: env('OAA_ASSURANCE_LEVEL'),
    ...(registrationUrl ? { registrationUrl } : {}),
    firstFactor: demoPasswordCheck(demoPasswords),
  };
  if (registrationUrl) oaaFormTargets = [new URL(registrationUrl).origin];
} else {
  oaaSim = await OaaSimulator.start({ port: Number(process.env.OAA_SIM_PORT ?? 0) });
  const directory = oaaSim;
  // The simulator's state names every user (display name, e-mail); read once, it does not change.
  const known = new Map(directory.state().users.map((u) => [u.username.toLowerCase(), u]));
  oaaOptions = {
    url: directory.url,
    auth: { username: directory.apiUsername, password: directory.apiKey },
    clientId: directory.clientId,
    clientSecret: directory.clientSecret,
    assuranceLevel: directory.assuranceLevels[0] ?? 'PassportAL1',
    registrationUrl: directory.registrationUrl,
    firstFactor: {
      // The demo "LDAP": passwords are <name>-pw. Return who the user is, so the home page can greet them.
      verifyPassword: (username, password): boolean | FirstFactorUser => {
        if (!directory.verifyPassword(username, password)) return false;
        const user = known.get(username.trim().toLowerCase());
        return user ? { username: user.username, displayName: user.displayName, email: user.email } : true;
      },
    },
  };
  oaaFormTargets = [new URL(directory.registrationUrl).origin];
  oaaSimulatorInfo = {
    controlUrl: directory.controlUrl,
    controlPurpose: 'approve pushes, read e-mail / SMS and authenticator app codes, and touch the YubiKey',
    users: oaaDemoUsers.map((u) => ({
      username: u.username,
      password: u.password ?? `${u.username}-pw`,
      ...(oaaUserDescriptions[u.username] ? { description: oaaUserDescriptions[u.username] } : {}),
    })),
  };
}

const oaaStrategy = new MultiStepStrategy({
  ...commonStrategyOptions,
  name: 'oaa',
  provider: oaa(oaaOptions),
  sessionKey: 'passport-multistep-oaa',
  verify: toDemoUser('oaa'),
});

passport.use(strategy);
passport.use(idcsStrategy);
passport.use(oaaStrategy);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user: DemoUser, done) => done(null, user));

/** The providers the demo offers: where each one's pages are, and its router's strategy. */
const providers: Array<ProviderInfo & { strategy: MultiStepStrategy; formTargets?: string[] }> = [
  { key: 'cyberark', name: 'CyberArk Identity', loginUrl: '/login/', strategy, ...(simulatorInfo ? { simulator: simulatorInfo } : {}) },
  { key: 'idcs', name: 'Oracle IDCS', loginUrl: '/idcs/login/', strategy: idcsStrategy, ...(idcsSimulatorInfo ? { simulator: idcsSimulatorInfo } : {}) },
  {
    key: 'oaa', name: 'Oracle Advanced Authentication', loginUrl: '/oaa/login/', strategy: oaaStrategy, formTargets: oaaFormTargets,
    ...(oaaSimulatorInfo ? { simulator: oaaSimulatorInfo } : {}),
  },
];
const providerInfos: ProviderInfo[] = providers.map(({ strategy: _s, formTargets: _f, ...info }) => info);

// ------------------------------------------------------------------ app

const app = express();
app.disable('x-powered-by');
const trustProxy = process.env.TRUST_PROXY;
if (trustProxy !== undefined && trustProxy !== '') app.set('trust proxy', parseTrustProxy(trustProxy));

// Security headers of the demo's own pages (home, /private, the SPA's files): no inline code, only
// same-origin files. The login pages are the library's built-in ones, which send their own
// (equally strict) headers; `form-action` there also allows OAA's enrolment page, where the OAA
// routes send a user without a registered factor (the router's `pages.formActionOrigins`).
app.use((_req, res, next) => {
  res.set({
    'Content-Security-Policy': [
      "default-src 'none'", "style-src 'self'", "script-src 'self'", "connect-src 'self'",
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

const sendHtml = (res: Response, html: string, status = 200): void => {
  res.status(status).type('html').send(html);
};

// One router per provider, each with the library's built-in pages: its own start heading, and
// the demo's simulator hints (which users exist, where the simulated phone is) as their footer.
const routerOf = (provider: (typeof providers)[number]) => provider.strategy.router({
  successReturnToOrRedirect: '/',
  pages: {
    productName: 'passport-multistep demo',
    strings: { 'start.heading': `Sign in with ${provider.name}` },
    footerHtml: loginFooter(providerInfos.find((p) => p.key === provider.key)!, providerInfos),
    ...(provider.formTargets?.length ? { formActionOrigins: provider.formTargets } : {}),
  },
});
for (const provider of providers) app.use(provider.loginUrl.replace(/\/$/, ''), routerOf(provider));

// AWS Cognito: its router (and the cognito-local phone page) once the pool is there (see the end of this file).
let cognitoRouter: express.RequestHandler | undefined;
let cognitoState: 'starting' | 'ready' | 'unavailable' = 'starting';
let cognitoDemo: CognitoDemo | undefined;
let cognitoStrategy: MultiStepStrategy | undefined;
app.use('/cognito/login', (req, res, next) => {
  if (cognitoRouter) return cognitoRouter(req, res, next);
  if (cognitoState === 'starting') return sendHtml(res, errorPage(503, 'AWS Cognito (cognito-local) is still starting: try again in a moment.'), 503);
  next();
});
app.get('/cognito/_sim', (_req, res, next) => {
  if (!cognitoDemo) return next();
  res.set('Cache-Control', 'no-store');
  sendHtml(res, cognitoDemo.phonePage());
});

/** The provider the signed-in user came from (its router logs them out). */
const providerOf = (user: DemoUser) => providers.find((p) => p.key === user.provider) ?? providers[0]!;

app.get('/', (req, res) => {
  res.set('Cache-Control', 'no-store');
  const user = req.user as DemoUser | undefined;
  // The logout form needs the session's CSRF token of the provider's strategy; only create one (and a session) for signed-in users.
  const provider = user ? providerOf(user) : undefined;
  const csrf = { field: '_csrf', token: provider ? provider.strategy.csrfToken(req) : '' };
  const logoutAction = provider ? `${provider.loginUrl}logout` : '';
  sendHtml(res, homePage(providerInfos, user, csrf, logoutAction));
});

app.get('/private', (req, res) => {
  const user = req.user as DemoUser | undefined;
  if (!user) {
    (req.session as typeof req.session & { returnTo?: string }).returnTo = req.originalUrl;
    res.redirect('/login/');
    return;
  }
  res.set('Cache-Control', 'no-store');
  sendHtml(res, privatePage(user));
});

// The demo's one stylesheet (examples/style.css), linked by the server-rendered pages and the single-page app.
const stylesheet = fileURLToPath(new URL('../style.css', import.meta.url));
app.get('/style.css', (_req, res, next) => {
  res.set('Cache-Control', 'no-cache');
  res.sendFile(stylesheet, (error) => {
    if (error) next(error);
  });
});

// The single-page app's list of providers (index.html's spa-config names this URL): the routers
// mounted now, and `pending` while cognito-local is still starting (the app asks again then).
app.get('/spa/providers.json', (_req, res) => {
  res.set('Cache-Control', 'no-store');
  res.json({
    providers: providerInfos.map((p) => ({ key: p.key, name: p.name, base: p.loginUrl.replace(/\/$/, '') })),
    ...(cognitoState === 'starting' ? { pending: ['cognito'] } : {}),
  });
});

// The single-page app (examples/spa): static files, same origin as the JSON routes it talks to.
// Only these two files are served (not the folder: it also holds the SPA's tsconfig.json).
const spaDir = fileURLToPath(new URL('../spa/', import.meta.url));
const spaFiles = new Map([['/spa/', 'index.html'], ['/spa/app.js', 'app.js']]);
app.get(['/spa', '/spa/', '/spa/:file'], (req, res, next) => {
  // index.html links its files relatively: it must be loaded as /spa/.
  if (req.path === '/spa') {
    res.redirect(301, '/spa/');
    return;
  }
  const file = spaFiles.get(req.path);
  if (!file) {
    next();
    return;
  }
  res.set('Cache-Control', 'no-cache');
  res.sendFile(file, { root: spaDir }, (error) => {
    if (error) next(error);
  });
});

app.use((_req, res) => sendHtml(res, errorPage(404, 'There is nothing at this address.'), 404));

// Errors the login routes pass on (e.g. a misconfiguration), and any other failure: no stack traces to the browser.
app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
  const status = statusOf(error);
  if (status >= 500) console.error(error);
  if (res.headersSent) return;
  const message = status < 500 && error instanceof Error ? error.message : 'The server could not handle this request.';
  if (req.accepts(['html', 'json']) === 'json') res.status(status).json({ error: { code: 'ERROR', message } });
  else sendHtml(res, errorPage(status, message), status);
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
// Cognito: a real pool (COGNITO_USER_POOL_ID), none (COGNITO_LOCAL=0), or cognito-local, which starts below, after listening.
const cognitoMode = process.env.COGNITO_USER_POOL_ID?.trim() ? 'pool' : process.env.COGNITO_LOCAL === '0' ? 'off' : 'local';
console.log(`  Oracle Advanced Authentication: http://${shownHost}:${address.port}/oaa/login/`
  + (cognitoMode === 'off' ? '' : `   AWS Cognito: http://${shownHost}:${address.port}/cognito/login/${cognitoMode === 'local' ? ' (once cognito-local is up)' : ''}`));
console.log(`  Single-page app (JSON mode, ${cognitoMode === 'off' ? 'all three' : cognitoMode === 'pool' ? 'all four' : 'all four; Cognito once it is up'}): http://${shownHost}:${address.port}/spa/`);
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
if (oaaSim && oaaSimulatorInfo) {
  console.log(`OAA simulator:           ${oaaSim.url}`);
  console.log(`OAA control page:        ${oaaSimulatorInfo.controlUrl}  (approve pushes, read codes, touch the YubiKey)`);
  console.log(`OAA enrolment page:      ${oaaSim.registrationUrl}`);
  console.log('OAA demo users (password <name>-pw, checked by the app before OAA is asked):');
  for (const u of oaaSimulatorInfo.users) console.log(`  ${u.username.padEnd(6)} ${u.password.padEnd(9)} ${u.description ?? ''}`);
} else {
  console.log(`OAA deployment:          ${realOaa}`);
  console.log(demoPasswordCount
    ? `  OAA first factor: the ${demoPasswordCount} user(s) of DEMO_PASSWORDS (for trying it out only; use your directory in an app)`
    : '  OAA first factor: DEMO_PASSWORDS is not set, so no one can pass the password step (set e.g. DEMO_PASSWORDS=alice:secret)');
}

// ------------------------------------------------------------------ AWS Cognito (after listening: it does not delay start-up)

/** Adds the Cognito strategy, its router and its home-page button. */
function addCognito(options: CognitoOptions, simulator?: SimulatorInfo): void {
  cognitoStrategy = new MultiStepStrategy({ ...commonStrategyOptions, name: 'cognito', provider: cognito(options), sessionKey: 'passport-multistep-cognito', verify: toDemoUser('cognito') });
  passport.use(cognitoStrategy);
  const provider = { key: 'cognito', name: 'AWS Cognito', loginUrl: '/cognito/login/', strategy: cognitoStrategy, ...(simulator ? { simulator } : {}) };
  providers.push(provider);
  providerInfos.push({ key: provider.key, name: provider.name, loginUrl: provider.loginUrl, ...(simulator ? { simulator } : {}) });
  cognitoRouter = routerOf(provider);
  cognitoState = 'ready';
}

const realCognitoPool = process.env.COGNITO_USER_POOL_ID?.trim();
if (realCognitoPool) {
  const clientId = process.env.COGNITO_CLIENT_ID?.trim();
  if (!clientId) throw new TypeError('COGNITO_USER_POOL_ID needs COGNITO_CLIENT_ID (an app client with ALLOW_USER_SRP_AUTH)');
  const clientSecret = process.env.COGNITO_CLIENT_SECRET?.trim();
  addCognito({
    region: process.env.COGNITO_REGION?.trim() || realCognitoPool.split('_')[0]!, userPoolId: realCognitoPool, clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...(process.env.COGNITO_AUTH_FLOW === 'USER_PASSWORD_AUTH' ? { authFlow: 'USER_PASSWORD_AUTH' as const } : {}),
  });
  console.log(`AWS Cognito user pool:   ${realCognitoPool}   http://${shownHost}:${address.port}/cognito/login/`);
} else if (process.env.COGNITO_LOCAL === '0') {
  cognitoState = 'unavailable';
} else {
  // cognito-local is a devDependency: loaded here only, so the demo runs (without Cognito) where it is missing.
  import('./cognito-demo.js')
    .then(({ startCognitoDemo }) => startCognitoDemo({ port: Number(process.env.COGNITO_LOCAL_PORT ?? 0) }))
    .then((demo) => {
      if (stopping) return void demo.close();
      cognitoDemo = demo;
      const phone = `http://${shownHost}:${address.port}/cognito/_sim`;
      addCognito(demo.options, { controlUrl: phone, controlPurpose: 'read SMS codes and authenticator app codes', users: demo.users });
      console.log(`AWS Cognito (cognito-local): ${demo.url}   sign in: http://${shownHost}:${address.port}/cognito/login/   phone: ${phone}`);
      console.log(`  (through the demo's MFA_SETUP front at ${demo.frontUrl}, examples/server-rendered/cognito-mfa-setup.ts)`);
      console.log('Cognito demo users:');
      for (const u of demo.users) console.log(`  ${u.username.padEnd(6)} ${u.password.padEnd(9)} ${u.description}`);
    })
    .catch((error: unknown) => {
      cognitoState = 'unavailable';
      console.log(`AWS Cognito: skipped (cognito-local could not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
    });
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
  await oaaStrategy.close();
  await cognitoStrategy?.close();
  await cognitoDemo?.close();
  await sim?.close();
  await idcsSim?.close();
  await oaaSim?.close();
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

/**
 * `DEMO_PASSWORDS=alice:secret,bob:pw2`: user → password (names compared ignoring case).
 * Each entry is split at its first ':'; a password cannot contain ','.
 */
function parseDemoPasswords(value: string): Map<string, string> {
  const passwords = new Map<string, string>();
  for (const entry of value.split(',')) {
    if (!entry.trim()) continue;
    const colon = entry.indexOf(':');
    const name = colon < 0 ? '' : entry.slice(0, colon).trim().toLowerCase();
    const password = colon < 0 ? '' : entry.slice(colon + 1);
    if (!name || !password) throw new TypeError('DEMO_PASSWORDS must look like alice:secret,bob:pw2');
    passwords.set(name, password);
  }
  return passwords;
}

/**
 * The first factor in front of a real OAA deployment: only the DEMO_PASSWORDS users, no one
 * when it is empty. A stand-in for your directory (e.g. an LDAP bind), for trying the demo out.
 */
function demoPasswordCheck(passwords: ReadonlyMap<string, string>): PasswordFirstFactor {
  // Compare digests, so the comparison takes the same time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return {
    verifyPassword: (username, password) => {
      const expected = passwords.get(username.trim().toLowerCase());
      if (expected === undefined) return false;
      return timingSafeEqual(digest(expected), digest(password));
    },
  };
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
