/**
 * The `cause` entries the simulator sends. Codes and messages are Oracle's, from
 * `MFAAuthAPIErrorCodes-2025-01-14.md` (the docs.oracle.com catalogue, "…Error Codes") unless a
 * comment names another vendor file. Which code Oracle uses in which situation is only shown
 * where a saved example exists; the other choices are marked UNVERIFIED.
 */

/** One entry of `cause`. */
export interface Cause {
  message: string;
  code: string;
}

const cause = (code: string, message: string): Cause => ({ message, code });

export const CAUSES = {
  /** Wrong user name or password. Docs page "Authenticating with User Name and Password", Step 2 error example (2025 wording). */
  wrongPassword: cause('AUTH-3001', 'You entered an incorrect username or password.'),
  /** UNVERIFIED use: a locked account (configured, or after too many failed passwords). */
  locked: cause('AUTH-3002', 'Your account is locked. Contact your system administrator.'),
  /** UNVERIFIED use: correct password of a user whose password has expired. */
  passwordExpired: cause('AUTH-3004', 'Your password is expired.'),
  /** UNVERIFIED use: correct password of a user who must change it. */
  mustChangePassword: cause('AUTH-3005', 'You must change your password.'),
  /** UNVERIFIED use: too many failed second-factor attempts (the flow ends). */
  mfaLocked: cause('AUTH-1028', 'You have exceeded the maximum number of 2-Step Verification attempts. Contact your system administrator to unlock your account.'),
  /** Denied push. Collection "…PUSH Authentication & Setting Trusted Device", "Failed Response … - Auth Failed". */
  authenticationFailed: cause('AUTH-1007', 'Authentication failed.'),
  /** Wrong OTP or bypass code. Collection "…SMS Factor Authentication" "Error Example: MFA Authentication Failure", "Bypass Code Failure Response". */
  invalidPasscode: cause('AUTH-1105', 'Invalid passcode.'),
  /** Wrong security answer. Collection "…Provide Security Question Credentials…" "Error Example: Security Question Authentication Failure". */
  wrongAnswer: cause('AUTH-1026', 'You have entered the wrong answer.'),
  /** Push waiting. Docs page "Authenticating with User Name and Password and MFA", Step 2. */
  pushPending: cause('AUTH-1108', 'Push Notification approval is pending.'),
  /** Online TOTP enrollment waiting for the app. Docs page "…Enrolling in MFA", Step 4 "Pending Response Example". */
  enrollmentPending: cause('AUTH-1109', 'Enrollment in the One-Time Passcode authentication method is pending verification.'),
  /** UNVERIFIED use: a requestState that has expired. */
  requestStateExpired: cause('AUTH-1117', 'The requestState provided has expired. Please provide a valid requestState.'),
  /** Unknown requestState. Collection "…SMS Set as the Default Method" "Error Example: Invalid or expired requestState". */
  requestStateInvalid: cause('AUTH-1120', 'The requestState provided is either invalid or expired. Please provide a valid requestState.'),
  /** Missing `op`. `MFAAuthAPIStatusCodes-2023-10-12.md`, the 422 sample. */
  missingOp: cause('AUTH-1111', 'Your input request is missing the op attribute, which is mandatory.'),
  /** UNVERIFIED use: the body is not JSON. */
  invalidJson: cause('AUTH-1121', 'You provided an invalid request JSON payload.'),
  /** UNVERIFIED use: `createToken` while enrollment is required and nothing was enrolled. */
  cannotSkipEnrollment: cause('AUTH-1016', "You can't skip enrollment. 2-Step Verification is required."),
  /** UNVERIFIED use: an `appName` other than the configured one. */
  invalidAppName: cause('AUTH-1118', 'You provided an invalid appName. Verify that the App display name is correct.'),
  /** TOU declined. Docs page "…with TOU Consent", Step 3 error example. */
  touDeclined: cause('AUTH-3035', 'You must accept the Terms of Use to access this application.'),
  /** UNVERIFIED use: too few security questions at enrollment (`secQuesSettings.numQuestionsToSetup`). */
  tooFewQuestions: (n: number): Cause => cause('AUTH-1022', `You must set up ${n} security questions to use the Security Questions feature.`),
  questionTwice: cause('AUTH-1024', 'You can select a security question only once.'),
  answerTwice: cause('AUTH-1020', "You've already provided this answer for another security question. Please specify a different answer for this question."),
  hintIsAnswer: cause('AUTH-1023', "The hint can't be the same as the answer of a security question."),
} as const;

/** Invalid value of an attribute. `MFAAuthAPIStatusCodes-2023-10-12.md`, the 400 sample (authFactor). */
export function invalidValue(attribute: string, value: unknown, allowed: readonly string[]): Cause {
  return cause('AUTH-1111', `Invalid value [${String(value)}] for attribute ${attribute}. One of [${allowed.join(',')}] was expected.`);
}

/** UNVERIFIED use: a required parameter is missing (`requestState`, `otpCode`, …). */
export function missingParameter(name: string): Cause {
  return cause('AUTH-1001', `Invalid request. The required parameter '${name}' is missing from the request.`);
}

/** UNVERIFIED use: an operation the current step does not offer (`nextOp` of the last answer). */
export function opNotSupported(supported: readonly string[]): Cause {
  return cause('AUTH-1116', `The op passed in the request is not supported. Supported operations are ${supported.join(', ')}.`);
}

/** UNVERIFIED use: `chooseIDP` / `createSession` belong to other endpoints (FORM POSTs, docs page "Creating a Session"). */
export function wrongEndpoint(op: string, endpoint: string): Cause {
  return cause('AUTH-1119', `The operation ${op} isn't supported by the /sso/v1/sdk/authenticate endpoint. Use the ${endpoint} endpoint.`);
}

/** UNVERIFIED use: a factor the user has not enrolled (or that cannot be enrolled). */
export function factorNotEnabled(factor: string): Cause {
  return cause('AUTH-1002', `The ${factor} authentication factor is not supported or enabled.`);
}

/** UNVERIFIED use: a `deviceId` that is not one of the factor's enrolled devices. */
export function deviceNotFound(deviceId: string): Cause {
  return cause('AUTH-1014', `The device with ID ${deviceId} is not found. Contact your system administrator.`);
}

/** UNVERIFIED use: a phone number the enrollment cannot use. */
export function invalidPhone(phone: string): Cause {
  return cause('AUTH-1030', `Your phone number ${phone} is not valid.`);
}

/** UNVERIFIED use: unknown question id at enrollment. */
export function invalidQuestionId(id: string): Cause {
  return cause('AUTH-1039', `The ID of the ${id} security question isn't valid.`);
}

/** UNVERIFIED use: an answer shorter than `secQuesSettings.minAnswerLength`. */
export function answerTooShort(text: string, min: number): Cause {
  return cause('AUTH-1021', `The answer to the "${text}" security question must have at least ${min} characters.`);
}

/** UNVERIFIED use: an answer longer than `secQuesSettings.maxFieldLength`. */
export function answerTooLong(text: string, max: number): Cause {
  return cause('AUTH-1041', `Your answer to the "${text}" security question can't exceed ${max} characters.`);
}
