/**
 * Cognito's exceptions → stable error codes. Names and meanings: the "Errors" sections of
 * InitiateAuth, RespondToAuthChallenge, AssociateSoftwareToken and VerifySoftwareToken in the
 * Amazon Cognito user pools API reference. Messages are matched only where AWS uses one
 * exception for several things: NotAuthorizedException says "Incorrect username or password."
 * for a wrong password (and, with prevent-user-existence-errors, for an unknown user),
 * "Password attempts exceeded" once Cognito locks the user out for a while, "User is
 * disabled.", and "Invalid session for the user, session is expired." / "Invalid session
 * for the user, session can only be used once." for a stale Session.
 */
import { type ErrorCode, type ErrorDetails, MultiStepError } from '../../errors.js';
import type { CognitoFault } from './wire.js';

/** What the failed call was about. */
export type During = 'password' | 'code' | 'new-password' | 'setup' | 'other';

/** Codes Cognito lets the user retry with the same Session (UNVERIFIED: how many times; AWS does not say). */
export function toFailure(fault: CognitoFault, during: During): MultiStepError {
  const details: ErrorDetails = { upstreamCode: fault.type, ...(fault.requestId ? { upstreamErrorId: fault.requestId } : {}) };
  const end = (code: ErrorCode, extra: ErrorDetails = {}) => new MultiStepError(code, { terminal: true, details: { ...details, ...extra, restart: true } });
  switch (fault.type) {
    case 'NotAuthorizedException':
      if (/password attempts exceeded/i.test(fault.message)) return end('ACCOUNT_LOCKED');
      if (/disabled/i.test(fault.message)) return end('ACCOUNT_LOCKED');
      if (/session/i.test(fault.message)) return end('TRANSACTION_EXPIRED');
      return authFailed(during);
    case 'UserNotFoundException':
      // Never reveals that the user does not exist: the same answer as a wrong password.
      return authFailed(during);
    case 'InvalidPasswordException':
      // AWS: a new password that fails the pool's policy. (cognito-local also sends it for a wrong password.)
      if (during === 'new-password') return new MultiStepError('PASSWORD_REJECTED', { terminal: false, details: { ...details, ...(fault.message ? { hint: policyHint(fault.message) } : {}) } });
      return authFailed(during);
    case 'CodeMismatchException':
    case 'EnableSoftwareTokenMFAException':
      // A wrong code: retried with the same Session (InitiateAuth is not repeated).
      return new MultiStepError('WRONG_ANSWER', { terminal: false, details });
    case 'ExpiredCodeException':
      return end('TRANSACTION_EXPIRED');
    case 'PasswordResetRequiredException':
      return end('PASSWORD_EXPIRED');
    case 'UserNotConfirmedException':
      // The account exists but its sign-up was never confirmed: ended like a failed sign-in.
      return end('LOGIN_NOT_COMPLETED');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'TooManyFailedAttemptsException':
      return new MultiStepError('RATE_LIMITED', { terminal: true, details: { ...details, retryAfterSeconds: fault.retryAfterSeconds ?? 60, restart: true } });
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignature':
    case 'MissingAuthenticationToken':
    case 'ExpiredTokenException':
      // The admin flow's IAM side (AWS's common errors): the operator's to fix, never the user's.
      return new MultiStepError('CONFIGURATION', {
        message: `Cognito refused the admin call's AWS credentials (${fault.type}): give them an IAM policy allowing cognito-idp:AdminInitiateAuth and cognito-idp:AdminRespondToAuthChallenge on the user pool, and check that they are current and for the pool's region.`,
        details,
      });
    case 'InternalErrorException':
    case 'ServiceUnavailable':
    case 'ThrottlingException':
      return new MultiStepError('UPSTREAM_UNAVAILABLE', { details: { ...details, ...(fault.retryAfterSeconds ? { retryAfterSeconds: fault.retryAfterSeconds } : {}) } });
    case 'ResourceNotFoundException':
    case 'InvalidParameterException':
    case 'InvalidUserPoolConfigurationException':
    case 'InvalidLambdaResponseException':
    case 'UnexpectedLambdaException':
    case 'UserLambdaValidationException':
    case 'UnsupportedOperationException':
    case 'ForbiddenException':
    default:
      return end('LOGIN_NOT_COMPLETED');
  }
}

/**
 * A wrong password or an unknown user, word for word the same (no upstream code in the details:
 * they reach the browser, and the exception name would tell the two apart). InitiateAuth starts
 * afresh each time, so after a password the user simply types it again.
 */
function authFailed(during: During): MultiStepError {
  return during === 'password'
    ? new MultiStepError('AUTH_FAILED', { terminal: false })
    : new MultiStepError('AUTH_FAILED', { terminal: true, details: { restart: true } });
}

/** The policy part of "Password does not conform to policy: Password must have uppercase characters". */
function policyHint(message: string): string {
  const at = message.indexOf(':');
  return (at >= 0 ? message.slice(at + 1) : message).trim().slice(0, 200);
}
