/** Oracle's error catalogue (MFAAuthAPIErrorCodes-2025-01-14.md) → stable codes, and who may retry. */
import { expect } from 'chai';
import { toFailure } from '../../../lib/providers/idcs/failures.js';
import { readResponse } from '../../../lib/providers/idcs/wire.js';

const failed = (code: string, extra: Record<string, unknown> = {}) =>
  readResponse({ status: 'failed', ecId: 'ec-1', cause: [{ code, message: 'text' }], ...extra }, 401);
const withStep = { nextOp: ['credSubmit', 'getBackupFactors'], nextAuthFactors: ['SMS'], SMS: { credentials: ['otpCode'] }, requestState: 'rs-2' };

describe('IDCS failures: the error catalogue', () => {
  it('a wrong password (AUTH-3001, no nextOp) is AUTH_FAILED, retried in place', () => {
    const error = toFailure(failed('AUTH-3001', { requestState: 'rs' }), 'password');
    expect(error).to.include({ code: 'AUTH_FAILED', terminal: false });
    expect(error.details).to.deep.equal({ upstreamCode: 'AUTH-3001', upstreamErrorId: 'ec-1' });
  });

  it('a wrong code (AUTH-1105) or answer (AUTH-1026) with a fresh step is WRONG_ANSWER, retryable', () => {
    for (const code of ['AUTH-1105', 'AUTH-1026']) expect(toFailure(failed(code, withStep), 'factor')).to.include({ code: 'WRONG_ANSWER', terminal: false });
  });

  it('a wrong code without a step to go on from ends the login', () => {
    expect(toFailure(failed('AUTH-1105'), 'factor')).to.include({ code: 'AUTH_FAILED', terminal: true });
  });

  it('locks, expired passwords, stale requestStates and declined terms end the login', () => {
    const cases: Array<[string, string]> = [
      ['AUTH-3002', 'ACCOUNT_LOCKED'], ['AUTH-1010', 'ACCOUNT_LOCKED'], ['AUTH-1027', 'ACCOUNT_LOCKED'], ['AUTH-1028', 'ACCOUNT_LOCKED'],
      ['AUTH-3004', 'PASSWORD_EXPIRED'], ['AUTH-3005', 'PASSWORD_EXPIRED'], ['AUTH-1117', 'TRANSACTION_EXPIRED'], ['AUTH-1120', 'TRANSACTION_EXPIRED'],
      ['AUTH-3035', 'TERMS_DECLINED'],
    ];
    for (const [upstream, code] of cases) {
      const error = toFailure(failed(upstream, withStep), 'password');
      expect(error.code, upstream).to.equal(code);
      expect(error.terminal, upstream).to.equal(true);
    }
  });

  it('a denied push (AUTH-1007) is OOB_DENIED, even though IDCS offers to go on', () => {
    expect(toFailure(failed('AUTH-1007', { ...withStep, nextAuthFactors: ['PUSH'] }), 'push')).to.include({ code: 'OOB_DENIED', terminal: true });
  });

  it('an unknown AUTH- code is a safe generic failure that names the code', () => {
    const error = toFailure(failed('AUTH-9999', withStep), 'factor');
    expect(error).to.include({ code: 'AUTH_FAILED', terminal: true });
    expect(error.details).to.include({ upstreamCode: 'AUTH-9999', restart: true });
    expect(toFailure(failed('AUTH-9999'), 'password').terminal).to.equal(true);
  });

  it('system errors (AUTH-1112) are the upstream being unavailable, not a verdict', () => {
    expect(toFailure(failed('AUTH-1112'), 'factor').code).to.equal('UPSTREAM_UNAVAILABLE');
  });
});
