/**
 * The companion routes of a login engine, as one framework-neutral middleware
 * `(req, res, next)`: it runs in Express 4 and 5, Connect 3 and a plain `http` server.
 * Each state-changing route is a POST protected by CSRF. Browsers get Post/Redirect/Get to
 * a step page; clients that ask for JSON (Accept or Content-Type) get `{ step }` and real
 * status codes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MultiStepError } from '../errors.js';
import { actionNames, type ActionName } from '../input.js';
import { bindResponse, type LoginRequest, type PassportRequest } from '../request.js';
import type { RunOutcome } from '../run-outcome.js';
import { peekArea, sessionArea, sessionOf } from '../session-data.js';
import { isStoreOutage, storeFailureFields, storeUnavailable } from '../store-failure.js';
import type { Transaction } from '../transaction.js';
import { bodyError, createBodyParser } from './body.js';
import { csrfToken, peekCsrf, verifyCsrf } from './csrf.js';
import { warnIfCookieCannotWork } from './insecure-cookie.js';
import { sendJson } from './json-reply.js';
import { logIn, logOut } from './log-in.js';
import type { LoginEngine } from './login-engine.js';
import { routedUrl } from './mount.js';
import { checkBody, wantsJson } from './negotiation.js';
import type { PageActions, PageFlash, PageLocals } from './page-locals.js';
import { createPages } from './pages/index.js';
import { redirect, sendHtml } from './response.js';
import type { RouterOptions } from './router-options.js';

/** `next` as Express and Connect pass it. */
export type NextFunction = (error?: unknown) => void;

/** An error-handling middleware `(err, req, res, next)`, as Express and Connect call it. */
export type ErrorMiddleware = (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

/**
 * The companion routes: mount with `app.use('/login', strategy.router())` in Express or
 * Connect. Called without `next` (a bare `http.createServer(routes)`), unknown paths get 404.
 */
export type LoginRoutes = ((req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void) & {
  /**
   * Error-handling middleware for the same mount path, mounted after the routes:
   * `app.use('/login', routes, routes.storeErrors)`. A session store that fails before the
   * routes run (express-session could not load the session and called `next(err)`) is answered
   * as the routes answer it: 503 `SESSION_STORE_UNAVAILABLE` with `Retry-After`, JSON or the
   * error page. A store failure reported after the answer was sent (express-session's save or
   * touch at the end of the response) is logged and dropped. Every other error goes on to
   * `next(err)`.
   */
  readonly storeErrors: ErrorMiddleware;
};

/** One request as the handlers see it. */
interface Exchange {
  req: LoginRequest & PassportRequest;
  res: ServerResponse;
  next: NextFunction;
  /** Mount path, e.g. `/login`. */
  base: string;
  query: URLSearchParams;
  json: boolean;
  /** The login name of the transaction a failed action named, to prefill the start page. */
  username?: string;
}

type Handler = (x: Exchange) => Promise<void>;

/** Builds the companion routes for `engine`. */
// RouterOptions<any, any>: the app's own request/response types reach only its `render`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createRouter(engine: LoginEngine, options: RouterOptions<any, any> = {}): LoginRoutes {
  const key = engine.sessionKey;
  const pages = createPages(options.pages);
  const parseBody = createBodyParser(options.bodyLimit ?? '16kb');
  const csrfNames = { field: options.csrf?.field ?? '_csrf', header: (options.csrf?.header ?? 'x-csrf-token').toLowerCase() };
  const appCsrf = options.csrf?.useAppMiddleware === true;

  // One frozen set of paths per mount point (a router is mounted at a handful of paths at most).
  const actionsByBase = new Map<string, PageActions>();
  const actions = (base: string): PageActions => {
    let paths = actionsByBase.get(base);
    if (!paths) {
      paths = Object.freeze({
        start: `${base}/start`, step: `${base}/step`, select: `${base}/select`, answer: `${base}/answer`,
        poll: `${base}/poll`, resend: `${base}/resend`, alternatives: `${base}/alternatives`, cancel: `${base}/cancel`, logout: `${base}/logout`,
      });
      if (actionsByBase.size < 32) actionsByBase.set(base, paths);
    }
    return paths;
  };
  const startPage = (x: Exchange) => options.failureRedirect ?? `${x.base}/`;
  const stepUrl = (x: Exchange, tx: Transaction) => `${x.base}/step?tx=${encodeURIComponent(tx.id)}`;

  /** The token forms and JSON clients send back: the session's own, or the app's with `useAppMiddleware`. */
  const token = (x: Exchange): string => {
    if (!appCsrf) return csrfToken(x.req, key);
    const fromApp = options.csrf?.appToken?.(x.req, x.res)
      ?? (x.req as { csrfToken?: () => unknown }).csrfToken?.()
      ?? (x.res as { locals?: { _csrf?: unknown } }).locals?._csrf;
    if (typeof fromApp !== 'string' || !fromApp) {
      throw new MultiStepError('CONFIGURATION', {
        message: 'csrf.useAppMiddleware is set but no CSRF token was found: mount your CSRF middleware (csurf, lusca, csrf-csrf) before the login routes, or pass csrf.appToken.',
      });
    }
    return fromApp;
  };
  /** The token if there is one already (never creates session state). */
  const existingToken = (x: Exchange): string | undefined => {
    if (!appCsrf) return peekCsrf(x.req, key);
    try {
      return token(x);
    } catch {
      return undefined;
    }
  };
  const checkCsrf = (x: Exchange): void => {
    if (!appCsrf) verifyCsrf(x.req, key, csrfNames);
  };

  const pageBase = (x: Exchange, csrf: string) => ({ csrfToken: csrf, csrfField: csrfNames.field, actions: actions(x.base) });

  const render = async (x: Exchange, locals: PageLocals, status = 200): Promise<void> => {
    x.res.statusCode = status;
    if (options.render) {
      x.res.setHeader('Cache-Control', 'no-store');
      await options.render(x.req, x.res, locals);
      return;
    }
    const view = options.views?.[locals.page];
    const appRender = (x.res as { render?: (view: string, locals: object) => void }).render;
    if (view && typeof appRender === 'function') {
      x.res.setHeader('Cache-Control', 'no-store');
      appRender.call(x.res, view, locals);
      return;
    }
    const page = pages.render(locals, { assetBase: `${x.base}/assets/`, status });
    sendHtml(x.res, page.html, page.headers, status);
  };

  const stepBody = (x: Exchange, tx: Transaction) => ({
    transactionId: tx.id, username: tx.username, step: tx.step, csrfToken: token(x), actions: actions(x.base),
  });

  /** The transaction the request names, if it is still alive. */
  const liveTransaction = (x: Exchange): Transaction | undefined => {
    const id = (x.req.body as Record<string, unknown> | undefined)?.tx ?? x.query.get('tx') ?? undefined;
    return engine.store.peek(x.req, id);
  };

  /** Answers a failure: JSON error, back to the step page with a notice, the start page, or an error page. */
  const fail = async (x: Exchange, error: unknown): Promise<void> => {
    const { req, res } = x;
    if (!MultiStepError.is(error) || error.code === 'CONFIGURATION') return x.next(error);
    // A session detached because a concurrent login replaced it must not be written to.
    const hasSession = Boolean(req.session);
    const storeDown = error.code === 'SESSION_STORE_UNAVAILABLE';
    // After `details.restart` the login cannot go on: its step is not offered again.
    const tx = hasSession && !error.details.restart ? liveTransaction(x) : undefined;
    engine.log('request failed', {
      errorCode: error.code, status: error.status, json: x.json, inProgress: tx !== undefined, ...(storeDown ? storeFailureFields(error) : {}),
    });
    engine.audit?.unreported(req, undefined, error); // e.g. a rate limit applied by the routes themselves
    if (options.failWithError) return x.next(error);
    if (error.details.retryAfterSeconds) res.setHeader('Retry-After', String(error.details.retryAfterSeconds));
    if (x.json) {
      const csrf = hasSession ? existingToken(x) : undefined;
      sendJson(res, { error: error.toJSON(), ...(tx ? { transactionId: tx.id, step: tx.step } : {}), ...(csrf ? { csrfToken: csrf } : {}) }, error.status);
      return;
    }
    if (storeDown) {
      // Nothing can be written (no one-shot message, no redirect to a page that would need one):
      // the step again with the message when the login goes on, else the error page.
      const csrf = tx ? existingToken(x) : undefined;
      const flash: PageFlash = { code: error.code, message: error.message };
      if (tx && csrf) {
        await render(x, { page: 'step', step: tx.step, transactionId: tx.id, username: tx.username, ...pageBase(x, csrf), flash }, error.status);
      } else {
        await render(x, { page: 'error', error: flash, status: error.status, ...pageBase(x, '') }, error.status);
      }
      return;
    }
    if (error.details.registrationUrl) {
      // Nothing to sign in with yet: straight to the (configured) enrolment page.
      redirect(res, error.details.registrationUrl);
      return;
    }
    // A session without any login state of ours (no session cookie came back, e.g. a `secure`
    // cookie over plain HTTP, or the cookie of a session a login just replaced) is not written
    // to: saving it would send a cookie that logs the browser out. It gets a page saying what failed.
    if (!hasSession || !peekArea(req, key)) {
      await render(x, { page: 'error', error: { code: error.code, message: error.message }, status: error.status, ...pageBase(x, '') }, error.status);
      return;
    }
    // Prefill the start page with the login name of the attempt that just ended.
    // Never from a request that failed the CSRF check: a forged form must not write into the session.
    const fromBody = error.code === 'CSRF_INVALID' ? undefined : (req.body as Record<string, unknown> | undefined)?.username;
    const username = typeof fromBody === 'string' ? fromBody.slice(0, 256) : x.username;
    // The message is written under the session's lock, like every other change of login state.
    let target: string;
    try {
      target = await writeNotice(x, error, username);
    } catch (failure) {
      if (MultiStepError.is(failure) && failure.code === 'SESSION_STORE_UNAVAILABLE') return fail(x, failure);
      throw failure;
    }
    redirect(res, target);
  };

  /** Leaves the failure's message for the page the browser is sent to; returns that page. */
  const writeNotice = (x: Exchange, error: MultiStepError, username: string | undefined): Promise<string> => {
    const { req } = x;
    return engine.mutateSession(req, async () => {
      const live = liveTransaction(x);
      if (live) {
        // The login goes on: show the same step again with the message.
        live.flash = { code: error.code, message: error.message };
        engine.store.save(req, live);
        return stepUrl(x, live);
      }
      sessionArea(req, key).flash = { code: error.code, message: error.message, ...(username ? { username } : {}) };
      if (options.failureMessage) {
        const session = sessionOf(req) as { messages?: string[] };
        session.messages = [...(session.messages ?? []), typeof options.failureMessage === 'string' ? options.failureMessage : error.message];
      }
      return startPage(x);
    }, true);
  };

  /** Reads a one-shot message and clears it, under the session's lock (only when there is one to clear). */
  const takeOnce = async <T>(req: LoginRequest, present: boolean, take: () => T | undefined): Promise<T | undefined> =>
    (present ? engine.mutateSession(req, async () => take(), true) : undefined);

  const respond = async (x: Exchange, outcome: RunOutcome): Promise<void> => {
    const { req, res, json } = x;
    if (outcome.type === 'step') {
      if (json) sendJson(res, stepBody(x, outcome.tx));
      else redirect(res, stepUrl(x, outcome.tx));
      return;
    }
    if (outcome.type === 'cancelled') {
      if (json) sendJson(res, { cancelled: true, csrfToken: token(x) });
      else redirect(res, startPage(x));
      return;
    }
    const returnTo = outcome.tx.returnTo;
    try {
      await logIn(req, outcome.user);
    } catch (error) {
      // The store failed at login: the upstream session is ended, the user starts again.
      if (MultiStepError.is(error) && error.code === 'SESSION_STORE_UNAVAILABLE') engine.loginNotKept(req, outcome, error);
      throw error;
    }
    // The session was regenerated: only what is set here survives from the login.
    const area = sessionArea(req, key);
    if (outcome.logoutHandle) area.logout = { strategy: engine.name, handle: outcome.logoutHandle };
    let target = options.successRedirect ?? '/';
    if (options.successReturnToOrRedirect !== undefined) target = returnTo ?? options.successReturnToOrRedirect;
    else if (returnTo) (sessionOf(req) as { returnTo?: string }).returnTo = returnTo;
    if (json) sendJson(res, { step: { kind: 'done', mechanisms: [], sequence: outcome.tx.step.sequence + 1 }, redirect: target, csrfToken: token(x) });
    else redirect(res, target);
  };

  const startRoute: Handler = async (x) => {
    const flash = await takeOnce(x.req, peekArea(x.req, key)?.flash !== undefined, () => engine.takeFlash(x.req));
    // A first token changes the session: under the lock, like every other change.
    const csrf = existingToken(x) ?? await engine.mutateSession(x.req, async () => token(x), true);
    if (x.json) {
      sendJson(x.res, { csrfToken: csrf, ...(flash ? { flash } : {}) });
      return;
    }
    await render(x, {
      page: 'start', ...pageBase(x, csrf),
      ...(flash ? { flash: { code: flash.code, message: flash.message } as PageFlash } : {}),
      ...(flash?.username ? { username: flash.username } : {}),
    });
  };

  const csrfRoute: Handler = async (x) => {
    // Creating the token changes the session: under the lock, like every other change.
    const csrf = existingToken(x) ?? await engine.mutateSession(x.req, async () => token(x), true);
    sendJson(x.res, { csrfToken: csrf });
  };

  const stepRoute: Handler = async (x) => {
    const tx = engine.store.get(x.req, x.query.get('tx') ?? undefined);
    if (x.json) {
      sendJson(x.res, stepBody(x, tx));
      return;
    }
    const flash = await takeOnce(x.req, tx.flash !== undefined, () => {
      const live = engine.store.peek(x.req, tx.id);
      const once = live?.flash;
      if (live && once) {
        delete live.flash;
        engine.store.save(x.req, live);
      }
      return once;
    });
    await render(x, {
      page: 'step', step: tx.step, transactionId: tx.id, username: tx.username, ...pageBase(x, token(x)),
      ...(flash ? { flash: flash as PageFlash } : {}),
    });
  };

  const actionRoute = (action: ActionName): Handler => async (x) => {
    checkBody(x.req);
    warnIfCookieCannotWork(x.req);
    const username = liveTransaction(x)?.username;
    if (username !== undefined) x.username = username;
    checkCsrf(x);
    await respond(x, await engine.run(x.req, action));
  };

  const logoutRoute: Handler = async (x) => {
    checkBody(x.req);
    checkCsrf(x);
    const handleInfo = sessionArea(x.req, key).logout;
    // Local logout first, and never held up by the upstream; the upstream session is ended in the background.
    await logOut(x.req);
    if (handleInfo && handleInfo.strategy === engine.name) engine.logoutUpstream(handleInfo.handle);
    const target = options.logoutRedirect ?? '/';
    if (x.json) sendJson(x.res, { loggedOut: true, redirect: target });
    else redirect(x.res, target);
  };

  const routes = new Map<string, Handler>([
    ['GET /', startRoute],
    ['GET /csrf', csrfRoute],
    ['GET /step', stepRoute],
    ['POST /logout', logoutRoute],
    ['POST /start-oob', actionRoute('select')], // selecting an out-of-band method starts it
    ...actionNames.map((action): [string, Handler] => [`POST /${action}`, actionRoute(action)]),
  ]);

  const run = (handler: Handler, x: Exchange): void => {
    if ((x.req as { session?: unknown }).session === undefined && (x.req as { sessionStore?: unknown }).sessionStore !== undefined) {
      // express-session is mounted (it exposed its store) but gave this request no session: its store failed.
      fail(x, storeUnavailable(undefined, 'session load')).catch(x.next);
      return;
    }
    handler(x).catch((error: unknown) => fail(x, error)).catch(x.next);
  };

  /** The request as the handlers see it. */
  const exchange = (req: IncomingMessage, res: ServerResponse, next: NextFunction, url = routedUrl(req)): Exchange =>
    ({ req: req as LoginRequest & PassportRequest, res, next, base: url.base, query: url.query, json: wantsJson(req) });

  const storeErrors: ErrorMiddleware = (error, req, res, next) => {
    const done: NextFunction = typeof next === 'function' ? next : (e) => finalHandler(res, e);
    const session = (req as { session?: unknown }).session;
    // express-session's load failed: it exposed its store but set no session. Else only an outage by its looks.
    const loadFailed = session === undefined && (req as { sessionStore?: unknown }).sessionStore !== undefined;
    if (MultiStepError.is(error) || !(loadFailed || isStoreOutage(error))) return done(error);
    if (res.headersSent) {
      // express-session's save or touch at the end of a response already sent: nothing to answer.
      if (!res.writableEnded) return done(error);
      engine.log('session store failed after the answer', storeFailureFields(storeUnavailable(error, 'session save')));
      return;
    }
    bindResponse(req, res);
    fail(exchange(req, res, done), storeUnavailable(error, 'session load')).catch(done);
  };

  const multistepRoutes = function multistepRoutes(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void {
    const done: NextFunction = next ?? ((error) => finalHandler(res, error));
    const url = routedUrl(req);
    const path = url.path.length > 1 && url.path.endsWith('/') ? url.path.slice(0, -1) : url.path;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (method === 'GET' && path.startsWith('/assets/')) {
      const asset = pages.asset(path.slice('/assets/'.length));
      if (!asset) return done();
      sendHtml(res, asset.body, asset.headers);
      return;
    }
    const handler = routes.get(`${method} ${path}`);
    if (!handler) return done();
    bindResponse(req, res);
    const x = exchange(req, res, done, url);
    if (method !== 'POST') return run(handler, x);
    parseBody(req, res, (error?: unknown) => {
      if (!error) return run(handler, x);
      const mapped = bodyError(error);
      if (!mapped) return done(error);
      fail(x, mapped).catch(done);
    });
  };
  return Object.assign(multistepRoutes, { storeErrors });
}

/** Without a framework around the routes: 404 for other paths, 500 (no details) for errors. */
function finalHandler(res: ServerResponse, error?: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = error === undefined ? 404 : 500;
  const body = status === 404 ? 'Not Found' : 'Internal Server Error';
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
