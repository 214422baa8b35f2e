/**
 * What a login page is rendered from: the built-in pages and an app's own `render` get the
 * same locals. A discriminated union on `page`: each page kind carries exactly what it needs.
 */
import type { ErrorCode } from '../errors.js';
import type { Step } from '../step.js';

/** Absolute paths of the companion routes, for form actions and polling. */
export interface PageActions {
  start: string;
  step: string;
  select: string;
  answer: string;
  poll: string;
  resend: string;
  alternatives: string;
  cancel: string;
  logout: string;
}

/** A one-shot notice: wrong code, expired login, upstream unavailable … */
export interface PageFlash {
  code: ErrorCode;
  message: string;
}

interface PageBase {
  /** The CSRF token every form posts back … */
  csrfToken: string;
  /** … in the hidden field of this name (default `_csrf`; see `RouterOptions.csrf`). */
  csrfField: string;
  actions: PageActions;
  flash?: PageFlash;
}

/** The first page: the user name. */
export interface StartPageLocals extends PageBase {
  page: 'start';
  /** The login name of the attempt that just ended, to prefill. */
  username?: string;
}

/** A step of a login in progress. */
export interface StepPageLocals extends PageBase {
  page: 'step';
  step: Step;
  transactionId: string;
  username: string;
}

/** A failure that has no login page to go back to (e.g. a form posted without a session cookie). */
export interface ErrorPageLocals extends PageBase {
  page: 'error';
  error: { code: ErrorCode; message: string };
  /** The HTTP status the page is sent with. */
  status: number;
}

/** What the login pages are rendered with. */
export type PageLocals = StartPageLocals | StepPageLocals | ErrorPageLocals;
