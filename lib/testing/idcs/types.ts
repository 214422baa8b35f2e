/**
 * Public types of the Oracle IDCS / OCI IAM Identity Domains simulator
 * (`passport-multistep/testing`).
 *
 * The wire format follows Oracle's own material, vendored under
 * `shared/vendor/idcs/` (docs page "Using the Authenticate API to Develop a Custom
 * Sign-in Page", the Postman collections with their saved responses, the error-code
 * catalogues and Oracle's sample sign-in app). Behaviour no evidence shows is marked
 * UNVERIFIED where it is implemented.
 */
import type { PendingFault } from '../shared/types.js';

/** MFA factors a simulated user can have enrolled (the names IDCS uses in `nextAuthFactors`). */
export type IdcsFactor = 'TOTP' | 'SMS' | 'EMAIL' | 'PUSH' | 'SECURITY_QUESTIONS' | 'BYPASSCODE';

/** Factors a user can enroll during sign-in (`op: "enrollment"`); a bypass code cannot be enrolled there. */
export type IdcsEnrollableFactor = 'PUSH' | 'TOTP' | 'SMS' | 'EMAIL' | 'SECURITY_QUESTIONS';

/** A security question of a user, with the answer the simulator expects. */
export interface IdcsSecurityQuestion {
  /** Oracle's question id, e.g. `FirstPet`. */
  questionId: string;
  text: string;
  /** Compared trimmed and case-insensitively. */
  answer: string;
  /** Shown with the question (`questions[].hint`). */
  hint?: string;
}

/** A user of the simulated identity domain. */
export interface IdcsSimUser {
  /** User name (also accepted: {@link IdcsSimUser.email}). Matched case-insensitively. */
  username: string;
  password: string;
  /** The SCIM `displayName` (`GET /admin/v1/Me`). */
  displayName: string;
  email: string;
  /** SCIM `name.givenName` (default: the first word of the display name). */
  givenName?: string;
  /** SCIM `name.familyName` (default: the rest of the display name). */
  familyName?: string;
  /**
   * Enrolled MFA factors; the first one is the preferred factor, challenged right after the
   * password; the others are reached through `getBackupFactors`. Empty: password only.
   */
  factors: IdcsFactor[];
  /** E.164 mobile number for SMS (default `+15555550100`); shown masked, e.g. `+14XXXXXX098`. */
  phoneNumber?: string;
  /** Base32 TOTP secret of the authenticator app (default: derived from the user name). */
  totpSecret?: string;
  /** Name of the phone that runs Oracle Mobile Authenticator (TOTP, PUSH); default `<first name>'s iPhone`. */
  deviceName?: string;
  /** The bypass code for `BYPASSCODE` (reusable in the simulator). Required when BYPASSCODE is listed. */
  bypassCode?: string;
  /** Security questions for `SECURITY_QUESTIONS` (one is asked at a time). Required when SECURITY_QUESTIONS is listed. */
  questions?: IdcsSecurityQuestion[];
  /** A user without factors must (`required`) or may (`optional`) enroll one after the password. */
  enrollment?: 'required' | 'optional';
  /** The user must accept the terms of use (`acceptTOU`) before the authnToken. */
  termsOfUse?: boolean;
  /** Locked: `AUTH-3002` at the password. */
  locked?: boolean;
  /** `AUTH-3004` ("Your password is expired.") after a correct password. */
  passwordExpired?: boolean;
  /** `AUTH-3005` ("You must change your password.") after a correct password. */
  mustChangePassword?: boolean;
  /**
   * The sign-on policy allows trusted devices: factor steps carry `trustedDeviceSettings`, and
   * `trustedDevice: true` on the call that completes MFA earns a `trustToken`.
   */
  trustedDevice?: boolean;
  /** `trustedDeviceSettings.trustDurationInDays` (default 15; 0 means MFA every time). */
  trustDurationInDays?: number;
}

/** Scenario switches; all of them can be changed while the simulator runs. */
export interface IdcsSwitches {
  /**
   * UNVERIFIED: the `GET` answers `nextAuthFactors: ["USERNAME"]` (user name first) for everyone,
   * as Oracle's sample client can handle; no Oracle example shows the exchange. Default false.
   */
  usernameFirst: boolean;
  /**
   * The `GET` also offers social and SAML identity providers (`chooseIDP`, `IDP.configuredIDPs`),
   * as most of Oracle's saved examples show; the password path keeps working. Default false.
   */
  socialIdps: boolean;
  /**
   * A wrong password answers the account-recovery variant of Oracle's example (with `nextOp`,
   * `nextAuthFactors` and `USERNAME_PASSWORD`) instead of the plain one (no `nextOp`). Default false.
   */
  passwordFailureNextOp: boolean;
  /**
   * UNVERIFIED either way. false (default): every requestState a sign-in was given stays valid
   * until it expires, so Oracle's sample client, which keeps its previous requestState after a
   * failure and after `getBackupFactors`, works. true: only the latest one is accepted (AUTH-1120).
   */
  strictRequestState: boolean;
  /** The app has the "JWT Assertion" grant: `/oauth2/v1/token` exchanges authnTokens for user tokens. Default true. */
  jwtAssertionGrant: boolean;
  /** The app may read `GET /admin/v1/Me` with a user token (else HTTP 403). Default true. */
  meEndpoint: boolean;
  /** `expires_in` of the client-credentials access tokens. Default 3600. */
  accessTokenTtlSeconds: number;
  /** `expires_in` of user access tokens (jwt-bearer grant). Default 7600, as in Oracle's example. */
  userTokenTtlSeconds: number;
  /** Lifetime of each requestState, from the response that issued it. Default 600000 (10 min). */
  requestStateTtlMs: number;
  /** After N failed passwords / codes / answers the user is locked until `unlock()`. Default 5; null disables. */
  lockoutAfterFailures: number | null;
  /**
   * Approve a pending push automatically: the first N polls answer `pending`,
   * poll N+1 succeeds (0 = the first poll succeeds). Default null (wait for `approvePush`).
   */
  pushAutoApproveAfterPolls: number | null;
  /** Delay added before every API response, in ms. Default 0. */
  latencyMs: number;
  /**
   * A looping identity domain: where a sign-in would end with its authnToken, it answers
   * `{status: "success", nextOp: ["createToken", "createSession", "enrollment"], requestState}`
   * with no authnToken and no factors (the shape of a verified enrollment), and every
   * `createToken` gets the same again. Default false.
   */
  createTokenLoop: boolean;
}

/** Options for {@link IdcsSimulator.start}. */
export interface IdcsSimulatorOptions {
  /** TCP port (default 0: a free port). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Users of the identity domain (default {@link idcsDemoUsers}). */
  users?: IdcsSimUser[];
  /** Initial switches (the rest take their defaults). */
  switches?: Partial<IdcsSwitches>;
  /** Client id of the sign-in app (HTTP Basic at `/oauth2/v1/token`). Default `demo-client`. */
  clientId?: string;
  /** Its client secret. Default `demo-secret`. */
  clientSecret?: string;
  /** The only `appName` the `GET` accepts (it may also be left out). Default `DemoApp`. */
  appName?: string;
  /** Tenant name: the `tenant` claim of authnTokens and the issuer in enrollment QR codes. Default `tenant1`, as in Oracle's examples. */
  tenant?: string;
}

/** A one-time code the simulator "sent" by SMS or e-mail (sign-in or enrollment). */
export interface IdcsSentCode {
  mechanism: 'SMS' | 'EMAIL';
  code: string;
  sentAt: number;
}

/** A push waiting for the user's decision. */
export interface IdcsPendingPush {
  username: string;
  deviceName: string;
  /** First 8 characters of the sign-in's id, to tell parallel logins apart. */
  flow: string;
  startedAt: number;
  polls: number;
}

/** An enrollment waiting for the user's phone (Oracle Mobile Authenticator) or code. */
export interface IdcsPendingEnrollment {
  username: string;
  factor: string;
  /** `online`: the app registers by itself after scanning ({@link IdcsSimulator.scanEnrollment}); `offline`: the user types a code. */
  mode: 'online' | 'offline' | 'code';
  /** The app has scanned the QR code (online TOTP, PUSH). */
  scanned: boolean;
  flow: string;
}

/** Snapshot of the simulator, served as JSON at `GET /_sim/api/state`. */
export interface IdcsSimulatorState {
  url: string;
  clientId: string;
  appName: string;
  tenant: string;
  switches: IdcsSwitches;
  users: Array<{
    username: string;
    password: string;
    displayName: string;
    email: string;
    /** Factors, preferred first: configured ones plus those enrolled during the run. */
    factors: string[];
    /** Factors enrolled during the run (forgotten by `reset()`). */
    enrolledDuringRun: string[];
    enrollment: 'required' | 'optional' | null;
    termsOfUse: boolean;
    trustedDevice: boolean;
    passwordExpired: boolean;
    mustChangePassword: boolean;
    /** Locked by configuration (`locked: true`). */
    adminLocked: boolean;
    failures: number;
    /** Locked out after too many failures. */
    lockedOut: boolean;
  }>;
  pendingPushes: IdcsPendingPush[];
  pendingEnrollments: IdcsPendingEnrollment[];
  /** Latest code per channel for every user. */
  codes: Record<string, IdcsSentCode[]>;
  /** What each user's authenticator app shows now (enrolled secret, or one being enrolled). */
  totp: Record<string, { code: string; secret: string; enrolling: boolean }>;
  openFlows: number;
  activeAccessTokens: number;
  /** Successful `/oauth2/v1/token` calls (both grants). */
  tokensIssued: number;
  /** Of those, user tokens (jwt-bearer grant). */
  userTokensIssued: number;
  trustTokens: number;
  requestCount: number;
  pendingFaults: PendingFault[];
}
