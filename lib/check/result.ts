/**
 * What a configuration check reports: one result per check, each with a verdict, a one-line
 * summary and, for anything short of a pass, the next step to take. Results never carry a
 * secret, a token or an upstream handle (requestState, SessionId): only what an operator may
 * paste into a ticket.
 */

/** The providers {@link check} knows. */
export type CheckProvider = 'idcs' | 'oaa' | 'cyberark';

/**
 * - `pass`: verified.
 * - `fail`: verified wrong; logins will fail until it is fixed.
 * - `warn`: works, or may work, but deserves a look.
 * - `skip`: not checked (an earlier check failed, or it cannot be checked without a user).
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One check. */
export interface CheckResult {
  /** Stable id, e.g. `connect`, `tls`, `idcs.token`. */
  id: string;
  /** Short human title, e.g. `Client credentials token`. */
  title: string;
  status: CheckStatus;
  /** What was seen, in one line. */
  summary: string;
  /** What to do about it (always set for `fail`, often for `warn` and `skip`). */
  next?: string;
  /** Time the upstream call took, when the check made one. */
  ms?: number;
}

/** The outcome of {@link check}. */
export interface CheckReport {
  provider: CheckProvider;
  /** The configured URL, without any user info. */
  url: string;
  /** True when no check failed (warnings and skipped checks do not count). */
  ok: boolean;
  results: CheckResult[];
}

type Extra = Pick<CheckResult, 'next' | 'ms'>;

export function passed(id: string, title: string, summary: string, extra: Extra = {}): CheckResult {
  return { id, title, status: 'pass', summary, ...extra };
}

export function failed(id: string, title: string, summary: string, next: string, extra: Omit<Extra, 'next'> = {}): CheckResult {
  return { id, title, status: 'fail', summary, next, ...extra };
}

export function warned(id: string, title: string, summary: string, extra: Extra = {}): CheckResult {
  return { id, title, status: 'warn', summary, ...extra };
}

export function skipped(id: string, title: string, summary: string, extra: Extra = {}): CheckResult {
  return { id, title, status: 'skip', summary, ...extra };
}
