/**
 * Options of `strategy.router()`. Names follow passport.authenticate's options where they
 * mean the same thing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoginRequest } from '../request.js';
import type { PageLocals } from './page-locals.js';
import type { PagesOptions } from './pages/index.js';

/** How the routes' CSRF protection works. `Req`/`Res`: the types `appToken` receives. */
export interface CsrfOptions<Req extends IncomingMessage = LoginRequest, Res extends ServerResponse = ServerResponse> {
  /** Form field carrying the token. Default `_csrf`. */
  field?: string;
  /** Header carrying the token (JSON clients). Default `X-CSRF-Token`. */
  header?: string;
  /**
   * Rely on the app's own CSRF middleware (csurf, lusca, csrf-csrf …) mounted before the
   * routes: the routes then check no token themselves, and pages and JSON answers carry the
   * app's token (see `appToken`). Use this when a global CSRF middleware would otherwise
   * refuse every login POST. Default false.
   */
  useAppMiddleware?: boolean;
  /**
   * The app's CSRF token for this request, with `useAppMiddleware`. Default: `req.csrfToken()`
   * (csurf, csrf-sync) if present, else `res.locals._csrf` (lusca).
   */
  appToken?(req: Req, res: Res): string;
}

/**
 * Options of `strategy.router()`. `Req`/`Res` are the request and response types your
 * `render` receives (e.g. `express.Request`, `express.Response`).
 */
export interface RouterOptions<Req extends IncomingMessage = LoginRequest, Res extends ServerResponse = ServerResponse> {
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
  /**
   * Renders a page yourself (may be async; what it returns is ignored). The status code and
   * `Cache-Control: no-store` are already set on `res`. Without `render` and `views`, the
   * built-in pages are served.
   */
  render?(req: Req, res: Res, locals: PageLocals): unknown;
  /**
   * Renders with the app's template engine (`res.render(view, locals)`, Express only).
   * A page kind without a view name gets the built-in page.
   */
  views?: { start?: string; step?: string; error?: string };
  /** Look and wording of the built-in pages: product name, logo, colours, strings by key. */
  pages?: PagesOptions;
  /** CSRF field and header names, or reliance on the app's own CSRF middleware. */
  csrf?: CsrfOptions<Req, Res>;
  /** Largest accepted request body. Default `16kb`. */
  bodyLimit?: string;
}
