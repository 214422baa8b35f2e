/**
 * Public types of the CyberArk Identity simulator (`passport-multistep/testing`).
 *
 * The wire format these types describe is documented in the protocol notes
 * (`StartAuthentication` / `AdvanceAuthentication`, §2–§9).
 */
import type { SimFault } from '../shared/types.js';

/** Mechanism names the simulator can put into a challenge. */
export type SimMechanismName = 'UP' | 'SMS' | 'EMAIL' | 'OTP' | 'OATH' | 'PF' | 'SQ' | 'U2F' | 'RESET';

/** Mechanism names a {@link SimUser} may list in its challenges (`RESET` is only issued by the server). */
export type SimUserMechanismName = Exclude<SimMechanismName, 'RESET'>;

/** The `AnswerType` values real tenants send (§2.4). */
export type SimAnswerType = 'Text' | 'StartTextOob' | 'StartOob';

/**
 * How the simulator offers one mechanism under the current switches.
 * Returned by {@link describeMechanism}; handy for tests that need to know
 * whether a mechanism is answered in-band, by code, or by approval only.
 */
export interface SimMechanismSpec {
  name: SimMechanismName;
  /** `AnswerType` sent on the wire. */
  answerType: SimAnswerType;
  /** Human label, like the `PromptSelectMech` a tenant shows in a picker. */
  label: string;
  /** True when the mechanism can complete out of band (push, phone call, e-mail link) via `approvePush`. */
  approvable: boolean;
  /** True when StartOOB sends a one-time code that `lastCode()` returns. */
  sendsCode: boolean;
}

/** A user known to the simulated tenant. */
export interface SimUser {
  /** Login name (also accepted: {@link SimUser.email}). Matched case-insensitively. */
  username: string;
  password: string;
  displayName: string;
  email: string;
  /** Challenges in order; each is a list of mechanism names the user may choose from. */
  challenges: Array<Array<SimUserMechanismName>>;
  /**
   * Security questions for `SQ`. Two or more give a `MultipartMechanism` whose
   * answer is an object `{ [id]: answer }`; exactly one gives a `Question` field
   * and a plain string answer. Answers are compared case-insensitively, trimmed.
   */
  questions?: Array<{ id: string; text: string; answer: string }>;
  /** Last four digits of the phone used by SMS and PF (default `0000`). */
  phoneLast4?: string;
  /** The code an OATH authenticator app "shows" (default `123456`). */
  oathCode?: string;
  /**
   * After a correct `UP` answer the server answers a mid-flow `NewPackage` with
   * a `RESET` mechanism (T10). The new password must be at least 8 characters.
   * The simulator does not persist the new password, so the scenario is repeatable.
   */
  passwordExpired?: boolean;
  /**
   * A federated user (§2.3 "Federated user", T12): StartAuthentication sends the
   * user to an external IdP instead of issuing challenges (`challenges` and
   * `password` are ignored). The simulator plays the IdP itself, at
   * `/_sim/idp/<IdpShortUrlId>`. With `pinRequired` the IdP shows a six-digit PIN
   * that the client answers with `MechanismId: "OOBAUTHPIN"`; without it the
   * client polls `/Security/OobAuthStatus`.
   */
  federated?: { pinRequired: boolean };
}

/** Scenario switches; all of them can be changed while the simulator runs. */
export interface CyberArkSwitches {
  /** T5b: wrong answers continue (`StartNextChallenge`) and fail only after the last challenge. Default false. */
  hideFailures: boolean;
  /** T9: an unknown user gets a normal-looking UP package and fails at Advance. Default true (false: `success:false` at Start). */
  decoyUnknownUsers: boolean;
  /**
   * `AnswerType` for SMS, EMAIL and OATH. `StartTextOob` (default): StartOOB sends the code.
   * `Text` (old style): the code is sent as soon as the challenge becomes current and is answered in-band.
   */
  oobAnswerType: 'StartTextOob' | 'Text';
  /** OTP push responses carry `GeneratedAuthValue` (number matching). Default false. */
  generatedAuthValue: boolean;
  /**
   * Approve a pending push / phone call / e-mail link automatically: the first N
   * `Poll` calls answer `OobPending`, poll N+1 completes (0 = the first poll completes).
   * Default null (wait for {@link CyberArkSimulator.approvePush}).
   */
  autoApprovePushAfterPolls: number | null;
  /** Request Host hostname (no port, lower case) → `PodFqdn` returned by StartAuthentication (T6). Default {}. */
  podRedirects: Record<string, string>;
  /** After N failed logins a user is soft-locked: Start shows `RetryWaitingTime: 30`, every Advance fails until `unlock()`. Default 5; null disables. */
  lockoutAfterFailures: number | null;
  /** The final success is `NoncommitalSuccess` with a `ClientMessage` instead of `LoginSuccess`. Default false. */
  noncommittal: boolean;
  /**
   * A buggy or hostile tenant: OobAuthStatus answers `State: "Success"` (with a live token) for a
   * PIN-required federated login once the IdP login is done, as it does for logins without a PIN.
   * A client must still insist on the PIN. Default false (PIN users stay `Pending`).
   */
  pinLoginsSucceedOnPoll: boolean;
  /**
   * A looping tenant: every AdvanceAuthentication that leaves the login open (an answer, a
   * StartOOB) is answered with a mid-flow NewPackage whose only challenge is one new push
   * mechanism (OTP), so a client that starts a lone out-of-band method by itself calls StartOOB
   * → NewPackage → StartOOB … Each StartOOB sends a push. Default false.
   */
  newPackageLoop: boolean;
  /** Lifetime of a StartAuthentication session in ms (5 min on real tenants). Default 300000. */
  sessionTtlMs: number;
  /** Delay added before every API response, in ms. Default 0. */
  latencyMs: number;
  /**
   * Flag (in `cookieViolations`) and fail any Advance/Cleanup request that carries the
   * `sessdata` cookie of a *different* login session. A request without the cookie is fine. Default true.
   */
  checkCookies: boolean;
}

/** Transport faults and the request log are shared with the other simulators. */
export type { RecordedRequest, SimFault, SimFaultOptions } from '../shared/types.js';

/** Options for {@link CyberArkSimulator.start}. */
export interface CyberArkSimulatorOptions {
  /** TCP port (default 0: a free port). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** Tenant id returned as `TenantId`/`CustomerID` (default `ABC1234`). */
  tenantId?: string;
  /** Users of the tenant (default {@link demoUsers}). */
  users?: SimUser[];
  /** Serve the API under a path prefix, e.g. `/identity` like Delinea Platform. */
  basePath?: string;
  /** Initial switches (the rest take their defaults). */
  switches?: Partial<CyberArkSwitches>;
}

/** A push, phone call or e-mail link waiting for the user. */
export interface PendingPush {
  username: string;
  mechanism: SimMechanismName;
  /** First 8 characters of the SessionId, to tell parallel logins apart. */
  session: string;
  startedAt: number;
  /** Number-matching value shown with the push, when the switch is on. */
  generatedAuthValue?: string;
}

/** A one-time code the simulator "sent". */
export interface SentCode {
  /** `OOBAUTHPIN`: the PIN the fake IdP page shows a federated user with `pinRequired`. */
  mechanism: 'SMS' | 'EMAIL' | 'OTP' | 'OOBAUTHPIN';
  code: string;
  sentAt: number;
}

/** A federated (IdP) login started by StartAuthentication, as the control page shows it. */
export interface IdpLoginInfo {
  username: string;
  displayName: string;
  /** `IdpShortUrlId`; the fake IdP page is `/_sim/idp/<shortUrlId>`. */
  shortUrlId: string;
  /** First 8 characters of the `IdpLoginSessionId` (of the `SessionId` for a browser-only redirect). */
  session: string;
  /** Started with the `OobIdPAuth: true` header: an API client waits for OOBAUTHPIN or OobAuthStatus. */
  api: boolean;
  pinRequired: boolean;
  /**
   * `pending`: waiting for the IdP login; `completed`: the IdP login is done and the client
   * has not yet collected the result (PIN answer or OobAuthStatus poll); the rest are final.
   */
  state: 'pending' | 'completed' | 'succeeded' | 'failed' | 'cancelled' | 'expired';
  startedAt: number;
  completedAt?: number;
  /** The PIN shown after the IdP login (users with `pinRequired` only). */
  pin?: string;
}

/** Snapshot of the simulator, served as JSON at `GET /_sim/api/state`. */
export interface SimulatorState {
  url: string;
  tenantId: string;
  switches: CyberArkSwitches;
  users: Array<{
    username: string;
    password: string;
    displayName: string;
    email: string;
    challenges: SimUserMechanismName[][];
    passwordExpired: boolean;
    /** Set for federated users (then `challenges` and `password` are unused). */
    federated: { pinRequired: boolean } | null;
    failures: number;
    locked: boolean;
  }>;
  pendingPushes: PendingPush[];
  /** Federated API logins (`OobIdPAuth: true`) still open: waiting for the IdP or for the client. */
  idpLogins: IdpLoginInfo[];
  codes: Record<string, SentCode[]>;
  openSessions: number;
  activeTokens: number;
  requestCount: number;
  pendingFaults: Array<{ fault: SimFault; path: string | null; remaining: number | null }>;
  cookieViolations: string[];
}
