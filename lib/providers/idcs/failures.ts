/**
 * IDCS failures → stable error codes (idcs.md §4). Whether the user may retry in place
 * is the upstream's call: a failure that still offers credSubmit with a fresh
 * requestState is retryable; anything else ends the login.
 */
import { type ErrorCode, MultiStepError } from '../../errors.js';
import type { IdcsResponse } from './wire.js';

const byCode: Record<string, ErrorCode> = {
  'AUTH-3001': 'AUTH_FAILED', // wrong user name or password
  'AUTH-3002': 'ACCOUNT_LOCKED',
  'AUTH-1010': 'ACCOUNT_LOCKED',
  'AUTH-3004': 'PASSWORD_EXPIRED',
  'AUTH-1120': 'TRANSACTION_EXPIRED', // requestState invalid or expired: restart
  'AUTH-1109': 'WRONG_ANSWER', // wrong one-time code
  'AUTH-1112': 'WRONG_ANSWER', // one-time code expired
};

/** Codes that end the login whatever else the response says. */
const alwaysTerminal = new Set<ErrorCode>(['ACCOUNT_LOCKED', 'PASSWORD_EXPIRED', 'TRANSACTION_EXPIRED']);

export function toFailure(response: IdcsResponse, during: 'password' | 'factor' | 'push' | 'other'): MultiStepError {
  const upstreamCode = response.cause?.code;
  let code: ErrorCode = (upstreamCode && byCode[upstreamCode]) || 'AUTH_FAILED';
  if (during === 'push' && code === 'AUTH_FAILED') code = 'OOB_DENIED';
  if (during === 'factor' && code === 'AUTH_FAILED') code = 'WRONG_ANSWER';
  const retryable = !alwaysTerminal.has(code) && during !== 'push'
    && response.nextOp.includes('credSubmit') && response.requestState !== undefined;
  if (code === 'WRONG_ANSWER' && !retryable) code = 'AUTH_FAILED';
  return new MultiStepError(code, {
    terminal: !retryable,
    details: {
      ...(upstreamCode ? { upstreamCode } : {}),
      ...(response.ecId ? { upstreamErrorId: response.ecId } : {}),
      ...(retryable ? {} : { restart: true }),
    },
  });
}
