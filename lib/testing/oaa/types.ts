/**
 * Public types of the Oracle Advanced Authentication (OAA) runtime simulator
 * (`passport-multistep/testing`).
 *
 * The wire format these types describe is documented in the protocol notes
 * (`oaa.md`: `POST`/`PUT {OAAService}/authn/v1` with a `correlationId` and a
 * `nonce` that rotates on every response, `challengeop` Init/Validate/Finalize).
 */
import type { PendingFault } from '../shared/types.js';

/**
 * Factors a simulated user can have registered, by their OAA factor key
 * ("challenge.type.enum", oaa.md §4). `ChallengeYOTP` is sent on the wire as
 * {@link OaaSwitches.yubikeyFactorKey} (`ChallengeYOTP` or `ChallengeYubicoOTP`).
 */
export type OaaFactorKey = 'ChallengeEmail' | 'ChallengeSMS' | 'ChallengeOMATOTP' | 'ChallengeOMAPUSH' | 'ChallengeYOTP' | 'ChallengeFIDO2';

/** The two spellings of the YubiKey OTP factor key seen in public sources (oaa.md §4). */
export type OaaYubikeyFactorKey = 'ChallengeYOTP' | 'ChallengeYubicoOTP';

/** The `statusInfo.status` values (seed 003), in their canonical spelling. */
export type OaaStatus =
  | 'authenticated'
  | 'pending verification'
  | 'pending identification'
  | 'failed'
  | 'error'
  | 'missing registration'
  | 'challenge blocked';

/** The `/authn/v1` operations, as the {@link OaaSwitches.omitStatusOn} switch names them. */
export type OaaOperation = 'POST' | 'Init' | 'Validate' | 'Finalize';

/** `challengeResult` of a Finalize (oaa.md §2.3). */
export type OaaChallengeResult = 'Success' | 'Failure' | 'Error';

/** `challengeResultReason` values of a Finalize (oaa.md §2.3). */
export type OaaChallengeResultReason =
  | 'wrong_answer'
  | 'too_many_attempts'
  | 'channel_comm_error'
  | 'other_error'
  | 'unavailable_for_user'
  | 'user_abandoned'
  | 'user_timedout';

/** A user of the simulated OAA deployment (and of the demo "LDAP" behind {@link OaaSimulator.verifyPassword}). */
export interface OaaSimUser {
  /** Login id, sent by the client as `userInfo.userId`. Matched case-insensitively. */
  username: string;
  /** The user's group (`userInfo.groups[0]`); default `Default`. Matched case-insensitively. */
  group?: string;
  /** Canonical id (`userInfo.uniqueUserId`, which wins over userId + group); default derived from the user name. */
  uniqueUserId?: string;
  /** Password in the demo LDAP (OAA itself never sees it); default `<username>-pw`. */
  password?: string;
  displayName?: string;
  /** Address of `ChallengeEmail` (default `<username>@example.com`); shown masked as `o***@example.com`. */
  email?: string;
  /** E.164 number of `ChallengeSMS` (default `+15555550100`); shown masked as `***-***-0100`. */
  phoneNumber?: string;
  /** Registered factors, in the order they are offered; empty: `missing registration`. */
  factors: OaaFactorKey[];
  /** Base32 TOTP secret of `ChallengeOMATOTP` (default: derived from the user name). */
  totpSecret?: string;
  /** Name of the phone that receives pushes (default `<username>'s phone`). */
  deviceName?: string;
  /**
   * The YubiKey of `ChallengeYOTP` (default: derived from the user name): public id
   * (12 modhex characters), 6-byte private id and 16-byte AES key (both hex).
   */
  yubikey?: { publicId: string; privateId: string; aesKey: string };
  /** A low-risk rule lets this user through: the POST answers `authenticated` at once. */
  noChallenge?: boolean;
}

/** Scenario switches; all of them can be changed while the simulator runs. */
export interface OaaSwitches {
  /**
   * Response field names (oaa.md §2.2, §7.1: not publicly confirmed).
   * - `documented` (default): `correlationId`, `nonce`, `statusInfo {status, code, message}`,
   *   `challengeInfo [{challengeType, prompts, challengeAttrMap}]`, `initContext {contextId}`.
   * - `legacy`: `transactionId` instead of `correlationId`, top-level `status` / `code` / `message`,
   *   `challenges [{factorKey, prompts, attributes}]`, top-level `contextId`; a PUT may then
   *   also name the session with `transactionId`.
   * - `foreign`: names no built-in candidate of the client matches, for testing that an
   *   unreadable answer is reported as such (and that configured names make it readable):
   *   `sessionRef`, `nextNonce`, `outcome {state, reason, detail}`, `options [{kind, texts, attrs}]`,
   *   `ctx {contextId}`, `target`. A PUT still names the session with `correlationId`.
   */
  naming: 'documented' | 'legacy' | 'foreign';
  /**
   * `"pending verification"` (`spaces`, default), `"PENDING_VERIFICATION"` (`upper`), or `foreign`:
   * a vocabulary outside the documented one (`OK`, `AWAITING_ANSWER`, `CHOOSE_FACTOR`, `REJECTED`,
   * `FAULT`, `NO_FACTORS`, `LOCKED_OUT`, in the order of {@link OaaStatus}).
   */
  statusStyle: 'spaces' | 'upper' | 'foreign';
  /**
   * Answers to these operations carry no status at all (no status object, code or message), as an
   * answer the client cannot read. Default `[]`. The operation is still carried out (nonce rotated).
   */
  omitStatusOn: OaaOperation[];
  /** Wrong answers to one factor before it is blocked (`challenge blocked`) until unlocked. Default 10 (oaa.md §4). */
  retryCount: number;
  /** Lifetime of a correlationId in seconds, unless the POST sent `timeToLiveInSec`. Default 300. */
  sessionTtlSeconds: number;
  /**
   * Approve a pending push automatically: the first N Validate polls answer
   * `pending verification`, poll N+1 authenticates (0 = the first poll). Default null (wait for `approvePush`).
   */
  pushAutoApproveAfterPolls: number | null;
  /** Delay added before every API response, in ms. Default 0. */
  latencyMs: number;
  /** Wire spelling of the YubiKey OTP factor key. Default `ChallengeYOTP`. */
  yubikeyFactorKey: OaaYubikeyFactorKey;
}

/** Options for {@link OaaSimulator.start}. */
export interface OaaSimulatorOptions {
  /** TCP port (default 0: a free port). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Users (default {@link oaaDemoUsers}). */
  users?: OaaSimUser[];
  /** Initial switches (the rest take their defaults). */
  switches?: Partial<OaaSwitches>;
  /** Path of the runtime API below the origin, the `OAAService` base. Default `/oaa/runtime`. */
  basePath?: string;
  /** HTTP Basic user of the runtime API (`<RELEASENAME>-oaa`). Default `oaainstall-oaa`. */
  apiUsername?: string;
  /** HTTP Basic password (the decoded `oaaapikey`). Default `apikeytobesetduringinstallation`. */
  apiKey?: string;
  /** Also accepted: `Authorization: Bearer <bearerToken>` (OAuth mode). Default `demo-oaa-bearer`. */
  bearerToken?: string;
  /** `clientInfo.clientId` of the integration agent. Default `demo-agent`. */
  clientId?: string;
  /** `clientInfo.clientSecret`. Default `demo-agent-secret`. */
  clientSecret?: string;
  /** Assurance level names the agent has (`context.assuranceLevel`). Default `['PassportAL1']`. */
  assuranceLevels?: string[];
}

/** A one-time code the simulator "sent" at Init. */
export interface OaaSentCode {
  mechanism: 'ChallengeEmail' | 'ChallengeSMS';
  code: string;
  sentAt: number;
}

/** A push waiting for the user's decision. */
export interface OaaPendingPush {
  username: string;
  deviceName: string;
  /** First 8 characters of the correlationId, to tell parallel logins apart. */
  correlation: string;
  startedAt: number;
  polls: number;
}

/** The last Finalize a user's session received. */
export interface OaaFinalizeRecord {
  result: OaaChallengeResult;
  /** `challengeResultReason`, when one was sent. */
  reason?: OaaChallengeResultReason;
}

/** An open correlationId, as the state snapshot lists it. */
export interface OaaSessionInfo {
  /** First 8 characters of the correlationId. */
  correlation: string;
  /** `userInfo.userId` as sent. */
  userId: string;
  /** The factor being challenged (wire key), or null before Init. */
  factor: string | null;
  createdAt: number;
  expiresAt: number;
}

/** Snapshot of the simulator, served as JSON at `GET /_sim/api/state`. */
export interface OaaSimulatorState {
  url: string;
  registrationUrl: string;
  apiUsername: string;
  clientId: string;
  assuranceLevels: string[];
  switches: OaaSwitches;
  users: Array<{
    username: string;
    group: string;
    uniqueUserId: string;
    /** The `contextId` of `DELETE /challengecounter/v1` for this user. */
    contextId: string;
    password: string;
    displayName: string;
    email: string;
    phoneNumber: string;
    /** Wire factor keys. */
    factors: string[];
    noChallenge: boolean;
    /** Wrong answers per factor (wire key). */
    failures: Record<string, number>;
    /** Factors blocked after `retryCount` wrong answers (wire keys). */
    blocked: string[];
    lastFinalize: OaaFinalizeRecord | null;
  }>;
  sessions: OaaSessionInfo[];
  pendingPushes: OaaPendingPush[];
  /** Latest code per channel for every user. */
  codes: Record<string, OaaSentCode[]>;
  /** What each TOTP user's authenticator app shows now. */
  totp: Record<string, { code: string; secret: string }>;
  /** Each YubiKey user's public id and the last OTP generated by the simulator (null before the first). */
  yubikeys: Record<string, { publicId: string; lastOtp: string | null }>;
  requestCount: number;
  pendingFaults: PendingFault[];
}
