/**
 * The companion routes of a MultiStepStrategy. Each state-changing route is a POST
 * protected by the session's CSRF token. Browsers get Post/Redirect/Get to a step page;
 * clients that ask for JSON (Accept or Content-Type) get `{ step }` and real status codes.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { csrfToken, peekCsrf, verifyCsrf } from './csrf.js';
import { type ErrorCode, MultiStepError } from './errors.js';
import { actionNames, type ActionName } from './input.js';
import { sendJson } from './json-reply.js';
import { peekArea, sessionArea, sessionOf } from './session-data.js';
import type { Step } from './step.js';
import type { MultiStepStrategy, RunOutcome } from './strategy.js';
import type { Transaction } from './transaction.js';

/** What the login pages are rendered with. */
export interface PageLocals {
  /** `start`: the username page; `step`: a step of a login in progress. */
  page: 'start' | 'step';
  /** The current step (`page: 'step'`). */
  step?: Step;
  transactionId?: string;
  username?: string;
  csrfToken: string;
  /** A one-shot message: wrong code, expired login, upstream unavailable … */
  flash?: { code: string; message: string };
  /** Absolute paths of the routes, for form actions and polling. */
  actions: Record<'start' | 'step' | 'select' | 'answer' | 'poll' | 'resend' | 'alternatives' | 'cancel' | 'logout', string>;
}

/** Options of `strategy.router()`. Names follow passport.authenticate's options. */
export interface RouterOptions {
  /** Where to go after login. Default `/`. */
  successRedirect?: string;
  /** Go to the login's returnTo (validated local path) if any, else here. */
  successReturnToOrRedirect?: string;
  /** Where to send the browser after a failed login. Default: the router's own start page. */
  failureRedirect?: string;
  /** Push failure messages onto `req.session.messages` (string: a fixed message). */
  failureMessage?: boolean | string;
  /** Pass failures to `next(err)` (a MultiStepError with `code` and `status`) instead of answering. */
  failWithError?: boolean;
  /** Where to go after logout. Default `/`. */
  logoutRedirect?: string;
  /** Renders a page (may be async). Default: `res.render(views[page], locals)`. */
  render?: (req: Request, res: Response, locals: PageLocals) => void | Promise<void>;
  /** View names for the default renderer. Default `{ start: 'login', step: 'login-step' }`. */
  views?: { start: string; step: string };
  /** Largest accepted request body. Default `16kb`. */
  bodyLimit?: string;
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

const bodyErrorCodes: Record<string, ErrorCode> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'parameters.too.many': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'BAD_REQUEST',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'BAD_REQUEST',
  'request.size.invalid': 'BAD_REQUEST',
};

/** Builds the companion router for `strategy`. */
export function createRouter(strategy: MultiStepStrategy, options: RouterOptions = {}): Router {
  const router = express.Router();
  const limit = options.bodyLimit ?? '16kb';
  const key = strategy.sessionKey;
  const parseForm = express.urlencoded({ extended: false, limit, parameterLimit: 50 });
  const parseJson = express.json({ limit, strict: true });
  // A JSON body goes straight to the JSON parser; anything else is offered to both, as before.
  router.use((req, res, next) => {
    if (sentJson(req)) parseJson(req, res, next);
    else parseForm(req, res, (error?: unknown) => (error ? next(error) : parseJson(req, res, next)));
  });

  // One frozen set of paths per mount point (a router is mounted at a handful of paths at most).
  const actionsByBase = new Map<string, PageLocals['actions']>();
  const actions = (req: Request): PageLocals['actions'] => {
    const base = req.baseUrl;
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
  const startPage = (req: Request) => options.failureRedirect ?? `${req.baseUrl}/`;
  const render = async (req: Request, res: Response, locals: PageLocals): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    if (options.render) return options.render(req, res, locals);
    const views = options.views ?? { start: 'login', step: 'login-step' };
    res.render(views[locals.page], locals);
  };
  const stepBody = (req: Request, tx: Transaction) => ({
    transactionId: tx.id, username: tx.username, step: tx.step, csrfToken: csrfToken(req, key), actions: actions(req),
  });
  const stepUrl = (req: Request, tx: Transaction) => `${req.baseUrl}/step?tx=${encodeURIComponent(tx.id)}`;

  /** Answers a failure: JSON error, back to the step page with a notice, or to the start page. */
  const fail = async (req: Request, res: Response, next: NextFunction, error: unknown, json: boolean): Promise<void> => {
    if (!MultiStepError.is(error) || error.code === 'CONFIGURATION') return next(error);
    // A session detached because a concurrent login replaced it must not be written to.
    const hasSession = Boolean((req as unknown as { session?: unknown }).session);
    const tx = hasSession ? liveTransaction(req) : undefined;
    strategy.log('request failed', { errorCode: error.code, status: error.status, json, inProgress: tx !== undefined });
    if (options.failWithError) return next(error);
    if (error.details.retryAfterSeconds) res.set('Retry-After', String(error.details.retryAfterSeconds));
    if (json || !hasSession) {
      sendJson(res, {
        error: error.toJSON(),
        ...(tx ? { transactionId: tx.id, step: tx.step } : {}),
        ...(hasSession && peekCsrf(req, key) ? { csrfToken: peekCsrf(req, key) } : {}),
      }, error.status);
      return;
    }
    if (error.details.registrationUrl) {
      // Nothing to sign in with yet: straight to the (configured) enrolment page.
      res.redirect(303, error.details.registrationUrl);
      return;
    }
    // Prefill the start page with the login name of the attempt that just ended.
    // Never from a request that failed the CSRF check: a forged form must not write into the session.
    const fromBody = error.code === 'CSRF_INVALID' ? undefined : (req.body as Record<string, unknown> | undefined)?.username;
    const username = typeof fromBody === 'string' ? fromBody.slice(0, 256) : (res.locals.multistepUsername as string | undefined);
    // A session without any login state of ours (e.g. a request still carrying the cookie of
    // the session a login just replaced) is not written to: saving it would send a cookie
    // that logs the browser out. The start page then simply shows no message.
    if (!peekArea(req, key)) {
      res.redirect(303, startPage(req));
      return;
    }
    // The message is written under the session's lock, like every other change of login state.
    const target = await strategy.mutateSession(req, async () => {
      const live = liveTransaction(req);
      if (live) {
        // The login goes on: show the same step again with the message.
        live.flash = { code: error.code, message: error.message };
        strategy.store.save(req, live);
        return stepUrl(req, live);
      }
      sessionArea(req, key).flash = { code: error.code, message: error.message, ...(username ? { username } : {}) };
      if (options.failureMessage) {
        const session = sessionOf(req) as { messages?: string[] };
        session.messages = [...(session.messages ?? []), typeof options.failureMessage === 'string' ? options.failureMessage : error.message];
      }
      return startPage(req);
    }, true);
    res.redirect(303, target);
  };

  /** The transaction the request names, if it is still alive. */
  const liveTransaction = (req: Request): Transaction | undefined => {
    const id = (req.body as Record<string, unknown> | undefined)?.tx ?? req.query.tx;
    return strategy.store.peek(req, id);
  };

  const handle = (fn: (req: Request, res: Response, json: boolean) => Promise<void>): Handler => async (req, res, next) => {
    const json = wantsJson(req);
    try {
      await fn(req, res, json);
    } catch (error) {
      await fail(req, res, next, error, json).catch(next);
    }
  };

  /** Reads a one-shot message and clears it, under the session's lock (only when there is one to clear). */
  const takeOnce = async <T>(req: Request, present: boolean, take: () => T | undefined): Promise<T | undefined> =>
    (present ? strategy.mutateSession(req, async () => take(), true) : undefined);

  const respond = async (req: Request, res: Response, json: boolean, outcome: RunOutcome): Promise<void> => {
    if (outcome.type === 'step') {
      if (json) sendJson(res, stepBody(req, outcome.tx));
      else res.redirect(303, stepUrl(req, outcome.tx));
      return;
    }
    if (outcome.type === 'cancelled') {
      if (json) sendJson(res, { cancelled: true, csrfToken: csrfToken(req, key) });
      else res.redirect(303, startPage(req));
      return;
    }
    const returnTo = outcome.tx.returnTo;
    await logIn(req, outcome.user);
    // The session was regenerated: only what is set here survives from the login.
    const area = sessionArea(req, key);
    if (outcome.logoutHandle) area.logout = { strategy: strategy.name, handle: outcome.logoutHandle };
    let target = options.successRedirect ?? '/';
    if (options.successReturnToOrRedirect !== undefined) target = returnTo ?? options.successReturnToOrRedirect;
    else if (returnTo) (sessionOf(req) as { returnTo?: string }).returnTo = returnTo;
    if (json) sendJson(res, { step: { kind: 'done', mechanisms: [], sequence: outcome.tx.step.sequence + 1 }, redirect: target, csrfToken: csrfToken(req, key) });
    else res.redirect(303, target);
  };

  router.get('/', handle(async (req, res, json) => {
    const flash = await takeOnce(req, peekArea(req, key)?.flash !== undefined, () => strategy.takeFlash(req));
    if (json) {
      sendJson(res, { csrfToken: csrfToken(req, key), ...(flash ? { flash } : {}) });
      return;
    }
    await render(req, res, {
      page: 'start', csrfToken: csrfToken(req, key), actions: actions(req),
      ...(flash ? { flash: { code: flash.code, message: flash.message } } : {}),
      ...(flash?.username ? { username: flash.username } : {}),
    });
  }));

  router.get('/csrf', handle(async (req, res) => {
    // Creating the token changes the session: under the lock, like every other change.
    const token = peekCsrf(req, key) ?? await strategy.mutateSession(req, async () => csrfToken(req, key), true);
    sendJson(res, { csrfToken: token });
  }));

  router.get('/step', handle(async (req, res, json) => {
    const tx = strategy.store.get(req, req.query.tx);
    if (json) {
      sendJson(res, stepBody(req, tx));
      return;
    }
    const flash = await takeOnce(req, tx.flash !== undefined, () => {
      const live = strategy.store.peek(req, tx.id);
      const once = live?.flash;
      if (live && once) {
        delete live.flash;
        strategy.store.save(req, live);
      }
      return once;
    });
    await render(req, res, {
      page: 'step', step: tx.step, transactionId: tx.id, username: tx.username, csrfToken: csrfToken(req, key),
      actions: actions(req), ...(flash ? { flash } : {}),
    });
  }));

  const actionRoute = (action: ActionName): Handler => handle(async (req, res, json) => {
    checkContentType(req);
    res.locals.multistepUsername = liveTransaction(req)?.username;
    verifyCsrf(req, key);
    await respond(req, res, json, await strategy.run(req, action));
  });
  for (const action of actionNames) router.post(`/${action}`, actionRoute(action));
  router.post('/start-oob', actionRoute('select')); // selecting an out-of-band method starts it

  router.post('/logout', handle(async (req, res, json) => {
    checkContentType(req);
    verifyCsrf(req, key);
    const handleInfo = sessionArea(req, key).logout;
    // Local logout first, and never held up by the upstream; the upstream session is ended in the background.
    await logOut(req);
    if (handleInfo && handleInfo.strategy === strategy.name) strategy.logoutUpstream(handleInfo.handle);
    const target = options.logoutRedirect ?? '/';
    if (json) sendJson(res, { loggedOut: true, redirect: target });
    else res.redirect(303, target);
  }));

  // Body parser failures become the library's 4xx codes.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: unknown } | null)?.type;
    const code = typeof type === 'string' ? bodyErrorCodes[type] : undefined;
    if (!code) return next(error);
    fail(req, res, next, new MultiStepError(code), wantsJson(req)).catch(next);
  });

  return router;
}

/** JSON mode: the client prefers JSON to HTML, or sent JSON. */
function wantsJson(req: Request): boolean {
  if (sentJson(req)) return true;
  const accept = req.headers.accept;
  if (!accept) return false; // no preference: the first type offered, HTML
  if (accept === 'application/json') return true; // what SPAs and fetch() callers send; skips the negotiation
  return req.accepts(['html', 'json']) === 'json';
}

/** What `req.is('application/json')` matches, without parsing the header: the type, then parameters or nothing. */
const jsonContentType = /^\s*application\/json\s*(?:;|$)/i;

/** The request says its body is JSON. */
function sentJson(req: Request): boolean {
  return jsonContentType.test(req.headers['content-type'] ?? '');
}

/** A body that is neither JSON nor a form gets 415 rather than a confusing 400. */
function checkContentType(req: Request): void {
  if (!sentJson(req) && req.is(['application/json', 'application/x-www-form-urlencoded']) === false) {
    throw new MultiStepError('UNSUPPORTED_MEDIA_TYPE');
  }
  // A JSON array (which express.json's strict mode lets through) is never a valid form.
  const body: unknown = req.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new MultiStepError('BAD_REQUEST');
}

function logIn(req: Request, user: Express.User): Promise<void> {
  if (typeof req.login !== 'function') {
    return Promise.reject(new MultiStepError('CONFIGURATION', { cause: new Error('req.login is missing: mount passport.initialize() before the routes') }));
  }
  return new Promise((resolve, reject) => req.login(user, (error: unknown) => (error ? reject(error) : resolve())));
}

function logOut(req: Request): Promise<void> {
  if (typeof req.logout !== 'function') return Promise.resolve();
  return new Promise((resolve, reject) => req.logout((error: unknown) => (error ? reject(error) : resolve())));
}
