/**
 * Oracle's error catalogue → stable error codes. Codes and meanings: "Authentication and
 * On-Demand MFA API Error Codes" (MFAAuthAPIErrorCodes-2025-01-14.md) and the older
 * AuthAPIErrorCodes.md. Whether the user may retry in place is the upstream's call: a failure
 * that still offers credSubmit with a requestState is retryable; so is a wrong password
 * (Oracle's sample client, loginApp.js, shows the message and lets the user type it again).
 */
import { type ErrorCode, MultiStepError } from '../../errors.js';
import type { IdcsResponse } from './wire.js';

/** What the failed call was about: the same code means different things at different steps. */
export type During = 'password' | 'factor' | 'push' | 'enrollment' | 'terms' | 'other';

const byCode: Record<string, ErrorCode> = {
  'AUTH-3001': 'AUTH_FAILED', // "You entered an incorrect username or password."
  'AUTH-3002': 'ACCOUNT_LOCKED', // "Your account is locked."
  'AUTH-3003': 'ACCOUNT_LOCKED', // "Your account is deactivated. Contact your system administrator."
  'AUTH-1010': 'ACCOUNT_LOCKED', // "Your account is locked."
  'AUTH-1027': 'ACCOUNT_LOCKED', // too many 2-Step Verification attempts: reset the password to unlock
  'AUTH-1028': 'ACCOUNT_LOCKED', // too many 2-Step Verification attempts: the administrator unlocks
  'AUTH-3004': 'PASSWORD_EXPIRED', // "Your password is expired."
  'AUTH-3005': 'PASSWORD_EXPIRED', // "You must change your password."
  'AUTH-1105': 'WRONG_ANSWER', // "Invalid passcode."
  'AUTH-1026': 'WRONG_ANSWER', // "You have entered the wrong answer."
  'AUTH-1110': 'TRANSACTION_EXPIRED', // "The authentication token has expired."
  'AUTH-1117': 'TRANSACTION_EXPIRED', // "The requestState provided has expired."
  'AUTH-1120': 'TRANSACTION_EXPIRED', // "The requestState provided is either invalid or expired."
  'AUTH-3035': 'TERMS_DECLINED', // "You must accept the Terms of Use to access this application."
  'AUTH-1012': 'UPSTREAM_UNAVAILABLE', // "System error."
  'AUTH-1112': 'UPSTREAM_UNAVAILABLE', // "Unexpected error encountered while processing the request."
};

/** Codes that end the login whatever else the response offers. */
const alwaysTerminal = new Set<ErrorCode>(['ACCOUNT_LOCKED', 'PASSWORD_EXPIRED', 'TRANSACTION_EXPIRED', 'TERMS_DECLINED', 'OOB_DENIED']);

/** Whether the failure hands out a step to go on from (`credSubmit` and a fresh requestState). */
export function offersRetry(response: IdcsResponse): boolean {
  return response.nextOp.includes('credSubmit') && response.requestState !== undefined;
}

export function toFailure(response: IdcsResponse, during: During): MultiStepError {
  const upstreamCode = response.cause?.code;
  const known = upstreamCode === undefined ? undefined : byCode[upstreamCode];
  let code: ErrorCode = known ?? 'AUTH_FAILED';
  // AUTH-1007 "Authentication failed." is what Oracle shows for a denied push.
  if (during === 'push' && (upstreamCode === 'AUTH-1007' || known === undefined)) code = 'OOB_DENIED';
  const details = {
    ...(upstreamCode ? { upstreamCode } : {}),
    ...(response.ecId ? { upstreamErrorId: response.ecId } : {}),
  };
  if (code === 'UPSTREAM_UNAVAILABLE') return new MultiStepError(code, { details });
  // An unknown code is never a verdict about the user's answer: a safe, generic ending.
  const retryable = known !== undefined && !alwaysTerminal.has(code)
    && (code === 'WRONG_ANSWER' ? offersRetry(response) : code === 'AUTH_FAILED' && during === 'password');
  if (code === 'WRONG_ANSWER' && !retryable) code = 'AUTH_FAILED';
  return new MultiStepError(code, { terminal: !retryable, details: { ...details, ...(retryable ? {} : { restart: true }) } });
}
