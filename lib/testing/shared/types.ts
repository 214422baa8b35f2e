/**
 * Types shared by every simulator in `passport-multistep/testing`: transport
 * faults and the request log.
 */

/** A transport-level fault to inject into the next matching API response(s). */
export type SimFault =
  /** Answer with this HTTP status; the body defaults to an HTML error page. */
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  /** 200 with an HTML login page, as a wrong tenant URL or a proxy would give. */
  | { kind: 'html' }
  /** 200 `application/json` whose body stops in the middle of the JSON; the connection then ends (`Connection: close`). */
  | { kind: 'truncated' }
  /** 200 JSON answer padded to about `bytes` bytes. */
  | { kind: 'oversized'; bytes: number }
  /** Never send headers (until the client gives up or the simulator closes). */
  | { kind: 'hang' }
  /** The request is processed normally; headers are sent at once, the body after `delayMs`. */
  | { kind: 'slowBody'; delayMs: number }
  /** Destroy the socket without any response. */
  | { kind: 'reset' };

/** Options for a simulator's `injectFault`. */
export interface SimFaultOptions {
  /**
   * Only requests whose last path segment matches (case-insensitive), e.g. `StartAuthentication`
   * (CyberArk) or `authenticate` / `token` (IDCS). Default: any API request.
   */
  path?: string;
  /** How many matching requests get the fault (default 1; `Infinity` for all). */
  times?: number;
}

/** An armed fault as a simulator's state snapshot lists it. */
export interface PendingFault {
  fault: SimFault;
  /** Lower-case last path segment it applies to, or null for any API request. */
  path: string | null;
  /** Uses left; null for every matching request. */
  remaining: number | null;
}

/** One API request as the simulator received it (control routes are not recorded). */
export interface RecordedRequest {
  method: string;
  /** Path as received (original case, no query string). */
  path: string;
  /** The Host header. */
  host: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  /** Request cookies (first value of each name). */
  cookies: Record<string, string>;
}
