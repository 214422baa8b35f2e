/**
 * The small interface each identity API implements. The core owns the transaction,
 * the session, the routes and the checks that a mechanism was offered; a provider owns
 * only the wire protocol and its handles (kept in `ctx.state`, which the core persists
 * in the express session and never sends to the browser).
 */
import type { UpstreamCookieJar } from './http/cookie-jar.js';
import type { UpstreamClient } from './http/upstream-client.js';
import type { Logger } from './log.js';
import type { MultiStepError } from './errors.js';
import type { ProviderStep } from './step.js';

/** JSON-serializable data (what can live in any express-session store). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
/** A JSON object. Values must be JSON-serializable (they are stored in the session); typed loosely so interfaces fit. */
export type JsonObject = { [key: string]: unknown };

/** The browser's side of the request, for providers that feed risk rules (OAA). Never stored. */
export interface ClientInfo {
  /** `req.ip` (honours Express's `trust proxy`). */
  ip?: string;
  userAgent?: string;
  /** Request headers, lower-case names, without `cookie` and `authorization`. */
  headers: Record<string, string>;
  /** The request's path on this server, without the query (e.g. `/login/answer`). */
  path: string;
  /** Request cookies by name (a provider forwards only those it is configured to). */
  cookies: Record<string, string>;
}

/** Why a login is being abandoned upstream. */
export type CancelReason = 'abandoned' | 'timeout' | 'failed';

/** What a provider gets for each call of one login transaction. */
export interface ProviderContext<State extends JsonObject = JsonObject> {
  /** The provider's handles for this login; mutate it, the core saves it after a successful call. */
  state: State;
  /** The strategy's upstream HTTP client (one keep-alive dispatcher). */
  http: UpstreamClient;
  /** This login's upstream cookies (persisted by the core with the transaction). */
  jar: UpstreamCookieJar;
  /** Redacting debug logger. */
  log: Logger;
  /** The browser's request (IP, user agent, headers, cookies). */
  client: ClientInfo;
  /**
   * The login's budget of out-of-band sends (SMS, e-mail, voice call, push). Consult it
   * (`mayStartOutOfBand(ctx)`) before starting such a method the user did not ask for, e.g.
   * right after a password: when `allowed()` resolves false, return the step that lets the user
   * start it (a choice) instead; their click then gets 429 RATE_LIMITED or the per-login refusal.
   * The core counts every send itself. Absent: no budget (start freely).
   */
  outOfBand?: OutOfBandBudget;
}

/** See `ProviderContext.outOfBand`. */
export interface OutOfBandBudget {
  /** Whether one more out-of-band send is within the per-login cap and cooldown and the per-user and per-client limits. */
  allowed(): Promise<boolean>;
  /**
   * Throws the refusal (429 RATE_LIMITED, also for the per-login cap and cooldown) when
   * `allowed()` would be false. The core calls it itself before a `select` of a mechanism that
   * looks out-of-band (`isOutOfBand`) and before `resend`; a provider calls it before sending
   * for a mechanism whose step cannot show that it is (e.g. an SMS factor without an address).
   */
  check(): Promise<void>;
}

/** The user's answer: a secret string, or one string per security question id. */
export type Answer = string | Record<string, string>;

/** The user as the upstream describes it, in Passport's usual profile shape. */
export interface Profile {
  provider: string;
  id: string;
  username: string;
  displayName?: string;
  /** The person's name parts, when the upstream gives them (Passport's profile convention). */
  name?: { familyName?: string; givenName?: string; middleName?: string };
  emails?: Array<{ value: string; type?: string; primary?: boolean }>;
  /** The upstream's user fields, without tokens. */
  _json: JsonObject;
}

/** Tokens the upstream issued at login. Hand them to your app in `verify`; the library does not keep them. */
export interface UpstreamTokens {
  accessToken?: string;
  refreshToken?: string;
  idToken?: string;
  /** Seconds. */
  expiresIn?: number;
  [name: string]: unknown;
}

/** The outcome of one provider call. */
export type ProviderResult =
  | { type: 'step'; step: ProviderStep }
  /**
   * The upstream refused the answer but lets the user try again from `step` (e.g. a wrong
   * code, with the question or the device the upstream now asks for): the core keeps the
   * state and the new step, then reports `error` (a retryable failure such as WRONG_ANSWER).
   */
  | { type: 'retry'; step: ProviderStep; error: MultiStepError }
  | {
      type: 'success';
      profile: Profile;
      tokens: UpstreamTokens;
      /** What `logout` needs later (kept in the session only if upstream logout is enabled). */
      logoutHandle?: JsonObject;
      /** A device-trust token to remember on this browser (kept only if the strategy has `rememberDevice`). */
      deviceToken?: { value: string; maxAgeSeconds: number };
    };

/** Options the user chose with an answer. */
export interface AnswerOptions {
  /** "Remember this device" was ticked (only when the step offered it). */
  rememberDevice?: boolean;
}

/** Input of `start`. */
export interface StartInput {
  username: string;
  /** A device-trust token this browser kept from an earlier login of this user ("remember this device"). */
  deviceToken?: string;
}

/**
 * A provider of multi-step logins. Every method throws MultiStepError on failure.
 * `ctx.state` is saved after a successful call. After a failure it is discarded, unless
 * the error says `terminal: false`: the provider then vouches that the state is
 * consistent (an upstream may hand out a new handle with its error, like IDCS's
 * requestState) and the user retries from it.
 */
export interface Provider<State extends JsonObject = JsonObject> {
  /** Short, stable name, e.g. "cyberark"; used in profiles and logs. */
  readonly name: string;
  /** Begins a login for `username`. */
  start(ctx: ProviderContext<State>, input: StartInput): Promise<ProviderResult>;
  /** The user picked mechanism `mechanismId` from a `select` step (starts out-of-band ones). */
  select(ctx: ProviderContext<State>, mechanismId: string): Promise<ProviderResult>;
  /** The user answered mechanism `mechanismId`. */
  answer(ctx: ProviderContext<State>, mechanismId: string, answer: Answer, options: AnswerOptions): Promise<ProviderResult>;
  /** Asks whether the pending out-of-band mechanism completed. */
  poll(ctx: ProviderContext<State>): Promise<ProviderResult>;
  /** Sends the pending code again. */
  resend(ctx: ProviderContext<State>): Promise<ProviderResult>;
  /** "Try another way": the user's other methods (only called when the step set `alternatives`). */
  alternatives?(ctx: ProviderContext<State>): Promise<ProviderResult>;
  /** Abandons the login upstream (best effort): the user cancelled, the wait timed out, or the login failed. */
  cancel(ctx: ProviderContext<State>, reason: CancelReason): Promise<void>;
  /** Ends the upstream session created at login (best effort). */
  logout?(http: UpstreamClient, handle: JsonObject): Promise<void>;
}
