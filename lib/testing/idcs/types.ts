/**
 * Public types of the Oracle IDCS / OCI IAM Identity Domains simulator
 * (`passport-multistep/testing`).
 *
 * The wire format these types describe is documented in the protocol notes
 * (`idcs.md`: `/oauth2/v1/token`, `/sso/v1/sdk/authenticate` with a rotating `requestState`).
 */
import type { PendingFault } from '../shared/types.js';

/** MFA factors a simulated user can have enrolled (the names IDCS uses in `nextAuthFactors`). */
export type IdcsFactor = 'TOTP' | 'SMS' | 'EMAIL' | 'PUSH' | 'SECURITY_QUESTIONS' | 'BYPASSCODE';

/** Factors a user can enroll during sign-in (`op: "enrollment"`, T6). */
export type IdcsEnrollableFactor = 'TOTP' | 'SMS' | 'EMAIL';

/** A user of the simulated identity domain. */
export interface IdcsSimUser {
  /** User name (also accepted: {@link IdcsSimUser.email}). Matched case-insensitively. */
  username: string;
  password: string;
  displayName: string;
  email: string;
  /**
   * Enrolled MFA factors in order of preference; empty: password only. The first
   * {@link IdcsSimUser.preferredFactorCount} are offered right after the password,
   * the rest through `getBackupFactors` (T5).
   */
  factors: IdcsFactor[];
  /**
   * How many of the first factors are offered together after the password (default 1).
   * With more than one, `nextAuthFactors` lists them and the client picks with `authFactor`.
   */
  preferredFactorCount?: number;
  /**
   * User name first for this user. The simulator cannot know the user when it answers the
   * `GET` (that is what the `usernameFirst` switch is for), so a `USERNAME_PASSWORD`
   * credSubmit naming this user is answered like the `USERNAME` step of a user-name-first
   * flow: the password in it is ignored and `USERNAME_PASSWORD` is asked for again.
   */
  usernameFirst?: boolean;
  /** E.164 mobile number for SMS (default `+15555550100`); shown masked as `+1XXXXXX0100`. */
  phoneNumber?: string;
  /** Base32 TOTP secret of the authenticator app (default: derived from the user name). */
  totpSecret?: string;
  /** Name of the device that receives pushes and runs the authenticator app (default `<first name>'s phone`). */
  deviceName?: string;
  /** The bypass code for `BYPASSCODE` (reusable in the simulator). Required when BYPASSCODE is listed. */
  bypassCode?: string;
  /**
   * Security questions for `SECURITY_QUESTIONS`; every one is asked. Answers are compared
   * trimmed and case-insensitively. Required when SECURITY_QUESTIONS is listed.
   */
  questions?: Array<{ questionId: string; text: string; answer: string }>;
  /** A user without factors must (`required`) or may (`optional`) enroll one after the password (T6). */
  enrollment?: 'required' | 'optional';
  /** The user must accept the terms of use after MFA (`acceptTOU`). */
  termsOfUse?: boolean;
  /** Locked by an administrator: `AUTH-1010` at the password, whatever it is. */
  locked?: boolean;
  /** `AUTH-3004` after a correct password. */
  passwordExpired?: boolean;
  /**
   * The sign-on policy allows trusted devices: challenge responses carry
   * `trustedDeviceSettings`, and `trustedDevice: true` on the credSubmit that completes
   * MFA earns a `trustToken` (valid 15 days) that skips MFA next time.
   */
  trustedDevice?: boolean;
}

/** Scenario switches; all of them can be changed while the simulator runs. */
export interface IdcsSwitches {
  /** The `GET` answers `nextAuthFactors: ["USERNAME"]` (user name first) for everyone. Default false. */
  usernameFirst: boolean;
  /** `expires_in` of the client-credentials access tokens. Default 3600. */
  accessTokenTtlSeconds: number;
  /** Lifetime of each requestState, from the response that issued it. Default 600000 (10 min). */
  requestStateTtlMs: number;
  /** After N failed passwords / codes / answers, `AUTH-3002` for that user until `unlock()`. Default 5; null disables. */
  lockoutAfterFailures: number | null;
  /**
   * Approve a pending push automatically: the first N polls answer `pending`,
   * poll N+1 succeeds (0 = the first poll succeeds). Default null (wait for `approvePush`).
   */
  pushAutoApproveAfterPolls: number | null;
  /** Delay added before every API response, in ms. Default 0. */
  latencyMs: number;
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
  /** First 8 characters of the flow id, to tell parallel logins apart. */
  flow: string;
  startedAt: number;
  polls: number;
}

/** Snapshot of the simulator, served as JSON at `GET /_sim/api/state`. */
export interface IdcsSimulatorState {
  url: string;
  clientId: string;
  appName: string;
  switches: IdcsSwitches;
  users: Array<{
    username: string;
    password: string;
    displayName: string;
    email: string;
    /** Configured factors plus those enrolled during the run. */
    factors: string[];
    /** Factors enrolled during the run (forgotten by `reset()`). */
    enrolledDuringRun: string[];
    usernameFirst: boolean;
    enrollment: 'required' | 'optional' | null;
    termsOfUse: boolean;
    trustedDevice: boolean;
    passwordExpired: boolean;
    /** Locked by an administrator (`locked: true`, AUTH-1010). */
    adminLocked: boolean;
    failures: number;
    /** Locked out after too many failures (AUTH-3002). */
    lockedOut: boolean;
  }>;
  pendingPushes: IdcsPendingPush[];
  /** Latest code per channel for every user. */
  codes: Record<string, IdcsSentCode[]>;
  /** What each user's authenticator app shows now (enrolled secret, or one being enrolled). */
  totp: Record<string, { code: string; secret: string; enrolling: boolean }>;
  openFlows: number;
  activeAccessTokens: number;
  tokensIssued: number;
  trustTokens: number;
  requestCount: number;
  pendingFaults: PendingFault[];
}
