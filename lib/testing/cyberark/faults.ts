/**
 * Transport faults: a queue of armed faults and the code that acts them out
 * on a raw Node response (so truncation and resets are real, not simulated in JSON).
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SimFault, SimFaultOptions } from './types.js';
import { LOGIN_PAGE, iisErrorPage, ok } from './wire.js';

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

  list(): Array<{ fault: SimFault; path: string | null; remaining: number | null }> {
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

/**
 * Acts out every fault except `slowBody` (which wraps a real answer and is
 * handled where replies are written). The request is not processed.
 */
export function writeFault(fault: Exclude<SimFault, { kind: 'slowBody' }>, req: IncomingMessage, res: ServerResponse): void {
  switch (fault.kind) {
    case 'status':
      return writeStatus(res, fault);
    case 'html':
      return writeBody(res, 200, 'text/html; charset=utf-8', LOGIN_PAGE);
    case 'truncated':
      return writeTruncated(res);
    case 'oversized':
      return writeOversized(res, fault.bytes);
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

function writeStatus(res: ServerResponse, fault: Extract<SimFault, { kind: 'status' }>): void {
  const reason = STATUS_CODES[fault.status] ?? 'Error';
  const body = fault.body ?? iisErrorPage(fault.status, reason, 'The server encountered an error while processing the request.');
  writeBody(res, fault.status, fault.contentType ?? 'text/html; charset=utf-8', body);
}

/**
 * Half a JSON envelope in a response that is complete at the HTTP level (no
 * Content-Length, `Connection: close`), as a cutting proxy delivers it: only
 * JSON parsing can notice. A transport-level cut is what `reset` simulates.
 */
function writeTruncated(res: ServerResponse): void {
  const full = JSON.stringify(ok({ Summary: 'StartNextChallenge' }));
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(full.slice(0, Math.floor(full.length / 2)));
}

/** A valid envelope padded to about `bytes` bytes (a client should cap what it reads, §7.16). */
function writeOversized(res: ServerResponse, bytes: number): void {
  const skeleton = JSON.stringify(ok({ Summary: 'OobPending', Padding: '' }));
  const padding = 'x'.repeat(Math.max(0, Math.floor(bytes) - skeleton.length));
  writeBody(res, 200, 'application/json; charset=utf-8', JSON.stringify(ok({ Summary: 'OobPending', Padding: padding })));
}
