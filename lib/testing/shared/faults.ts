/**
 * Transport faults: a queue of armed faults and the code that acts them out
 * on a raw Node response (so truncation and resets are real, not simulated in JSON).
 * Each simulator supplies the bodies in its own style ({@link FaultPages}).
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { PendingFault, SimFault, SimFaultOptions } from './types.js';

interface ArmedFault {
  fault: SimFault;
  /** Lower-case last path segment, or null for any API request. */
  path: string | null;
  remaining: number;
}

/** Last non-empty path segment, lower case: `/Security/StartAuthentication/` → `startauthentication`. */
export function lastSegment(path: string): string {
  return (path.split('/').filter(Boolean).pop() ?? '').toLowerCase();
}

export class FaultQueue {
  private armed: ArmedFault[] = [];

  add(fault: SimFault, options: SimFaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!(times >= 1)) throw new RangeError('times must be >= 1');
    this.armed.push({ fault, path: options.path ? lastSegment(options.path) : null, remaining: times });
  }

  /** The first armed fault matching this request path, consuming one use of it. */
  take(requestPath: string): SimFault | undefined {
    const segment = lastSegment(requestPath);
    const index = this.armed.findIndex((a) => a.path === null || a.path === segment);
    const item = this.armed[index];
    if (!item) return undefined;
    item.remaining -= 1;
    if (item.remaining <= 0) this.armed.splice(index, 1);
    return item.fault;
  }

  clear(): void {
    this.armed = [];
  }

  list(): PendingFault[] {
    return this.armed.map((a) => ({ ...a, remaining: Number.isFinite(a.remaining) ? a.remaining : null }));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Validates an untrusted fault (JSON control API). Returns an error message when invalid. */
export function parseFault(input: unknown): SimFault | string {
  if (!isObject(input)) return 'fault must be an object';
  switch (input.kind) {
    case 'status': {
      const { status, body, contentType } = input;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) return 'status must be an integer 200-599';
      if (body !== undefined && typeof body !== 'string') return 'body must be a string';
      if (contentType !== undefined && typeof contentType !== 'string') return 'contentType must be a string';
      return { kind: 'status', status, ...(body !== undefined ? { body } : {}), ...(contentType !== undefined ? { contentType } : {}) };
    }
    case 'oversized':
      return isCount(input.bytes) ? { kind: 'oversized', bytes: input.bytes } : 'bytes must be a non-negative number';
    case 'slowBody':
      return isCount(input.delayMs) ? { kind: 'slowBody', delayMs: input.delayMs } : 'delayMs must be a non-negative number';
    case 'html':
    case 'truncated':
    case 'hang':
    case 'reset':
      return { kind: input.kind };
    default:
      return 'unknown fault kind';
  }
}

/** The bodies a simulator's faults carry, in the style of the product it imitates. */
export interface FaultPages {
  /** The 200 HTML page of the `html` fault (a sign-in page, as a portal or proxy would serve). */
  readonly htmlPage: string;
  /** Default body (HTML) of a `status` fault. */
  errorPage(status: number, reason: string): string;
  /** A complete, valid JSON answer; the `truncated` fault sends its first half. */
  truncatedJson(): string;
  /** A valid JSON answer carrying `padding` in a string field (the `oversized` fault). */
  paddedJson(padding: string): string;
}

/**
 * Acts out every fault except `slowBody` (which wraps a real answer and is
 * handled where replies are written). The request is not processed.
 */
export function writeFault(fault: Exclude<SimFault, { kind: 'slowBody' }>, req: IncomingMessage, res: ServerResponse, pages: FaultPages): void {
  switch (fault.kind) {
    case 'status':
      return writeStatus(res, fault, pages);
    case 'html':
      return writeBody(res, 200, 'text/html; charset=utf-8', pages.htmlPage);
    case 'truncated':
      return writeTruncated(res, pages);
    case 'oversized':
      return writeOversized(res, fault.bytes, pages);
    case 'hang':
      return; // Never answer; close() destroys the connection.
    case 'reset':
      req.socket.destroy();
      return;
  }
}

function writeBody(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function writeStatus(res: ServerResponse, fault: Extract<SimFault, { kind: 'status' }>, pages: FaultPages): void {
  const reason = STATUS_CODES[fault.status] ?? 'Error';
  const body = fault.body ?? pages.errorPage(fault.status, reason);
  writeBody(res, fault.status, fault.contentType ?? 'text/html; charset=utf-8', body);
}

/**
 * Half a JSON answer in a response that is complete at the HTTP level (no
 * Content-Length, `Connection: close`), as a cutting proxy delivers it: only
 * JSON parsing can notice. A transport-level cut is what `reset` simulates.
 */
function writeTruncated(res: ServerResponse, pages: FaultPages): void {
  const full = pages.truncatedJson();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(full.slice(0, Math.floor(full.length / 2)));
}

/** A valid answer padded to about `bytes` bytes (a client should cap what it reads). */
function writeOversized(res: ServerResponse, bytes: number, pages: FaultPages): void {
  const skeleton = pages.paddedJson('');
  const padding = 'x'.repeat(Math.max(0, Math.floor(bytes) - skeleton.length));
  writeBody(res, 200, 'application/json; charset=utf-8', pages.paddedJson(padding));
}
