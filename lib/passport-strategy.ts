/**
 * The contract passport has with a strategy, without the `passport-strategy` package (and
 * its separately published types): passport calls `authenticate` on a per-request copy of the
 * strategy to which it has added `success`, `fail`, `redirect`, `pass` and `error`.
 */
import type { AppUser, LoginRequest } from './request.js';

function outsidePassport(): never {
  throw new Error('This strategy method is provided by passport: call it through passport.authenticate()');
}

/** Base class of a passport strategy. */
export abstract class PassportStrategy {
  /** Name under which `passport.use` registers the strategy. */
  name?: string;

  /** Runs the strategy for one request; passport binds the outcome methods below first. */
  abstract authenticate(req: LoginRequest, options?: object): void;

  /** Authentication succeeded (set by passport). */
  success(_user: AppUser, _info?: object): void { outsidePassport(); }
  /** Authentication failed (set by passport). */
  fail(_challenge?: unknown, _status?: number): void { outsidePassport(); }
  /** Redirect the browser (set by passport). */
  redirect(_url: string, _status?: number): void { outsidePassport(); }
  /** Let the next middleware handle the request (set by passport). */
  pass(): void { outsidePassport(); }
  /** An internal error (set by passport). */
  error(_error: unknown): void { outsidePassport(); }
}
