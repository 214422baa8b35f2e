/**
 * The `passport-multistep:wire` debug namespace: one line per upstream exchange with its
 * shape and none of its values (see wire-shape.ts), for first contact with a real tenant:
 *
 * ```
 * POST /Security/StartAuthentication -> 200 application/json; charset=utf-8 in 3.1 ms; request json {User: string(5), Version: string(3)}; response json {Success: true, Result: {…}}
 * ```
 *
 * It writes through `debug` directly rather than through createLogger: that logger redacts
 * fields by name, which cannot help with a body, whereas this line is built from shapes only,
 * so there is nothing in it to redact. The host is left out on purpose (it names the
 * customer, and the `http` namespace has it); header values, Authorization above all, never
 * appear, and of cookies only the count sent and the names set.
 */
import createDebug from 'debug';
import type { IncomingHttpHeaders } from 'node:http';
import { describeBody, describeContentType, describeForm, describeJson, describePath, describeSetCookies } from './wire-shape.js';

const wire = createDebug('passport-multistep:wire');

/** What was sent, as UpstreamClient.request builds it. */
export interface WireRequest {
  method: string;
  url: URL;
  json?: unknown;
  form?: Record<string, string>;
  /** The Cookie header the jar added, if any. */
  cookie?: string | undefined;
}

/** How the exchange ended: a response read in full, or the error code of the failure. */
export type WireOutcome =
  | { status: number; headers: IncomingHttpHeaders; text: string }
  | { errorCode: string; /** Set when the headers had arrived (a body too large or cut off). */ status?: number | undefined };

/**
 * Whether the namespace is on. Callers check it before gathering anything for
 * {@link logWireExchange}, so the wire log costs one property read when it is off.
 */
export function wireLogEnabled(): boolean {
  return wire.enabled;
}

/** Writes the line for one exchange (computes the shapes; call only when {@link wireLogEnabled}). */
export function logWireExchange(req: WireRequest, outcome: WireOutcome, ms: number): void {
  wire('%s', wireLine(req, outcome, ms));
}

/** The line for one exchange, without the debug prefix. */
export function wireLine(req: WireRequest, outcome: WireOutcome, ms: number): string {
  const parts: string[] = [];
  if ('errorCode' in outcome) {
    const status = outcome.status === undefined ? '' : ` (status ${outcome.status})`;
    parts.push(`${req.method} ${describePath(req.url)} -> failed ${outcome.errorCode}${status} after ${ms} ms`);
  } else {
    const contentType = String(outcome.headers['content-type'] ?? '');
    parts.push(`${req.method} ${describePath(req.url)} -> ${outcome.status} ${describeContentType(contentType)} in ${ms} ms`);
  }
  const sent = requestBody(req);
  if (sent) parts.push(`request ${sent}`);
  if (req.cookie) parts.push(`cookies sent ${req.cookie.split(';').filter((c) => c.trim() !== '').length}`);
  if (!('errorCode' in outcome)) {
    parts.push(`response ${describeBody(outcome.text, String(outcome.headers['content-type'] ?? ''))}`);
    const setCookies = describeSetCookies(outcome.headers['set-cookie']);
    if (setCookies) parts.push(`set-cookie ${setCookies}`);
  }
  return parts.join('; ');
}

function requestBody(req: WireRequest): string | undefined {
  if (req.json !== undefined) return `json ${describeJson(req.json)}`;
  if (req.form !== undefined) return describeForm(Object.entries(req.form));
  return undefined;
}
