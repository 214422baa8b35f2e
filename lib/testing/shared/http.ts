/**
 * HTTP plumbing shared by the simulators: replies built before they are
 * written, bounded body reading, the request log and small header helpers.
 */
import type { IncomingMessage } from 'node:http';
import type { RecordedRequest } from './types.js';

/** A complete HTTP answer, built first and written later (so latency and slow-body faults can wrap it). */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** A request body as read by {@link readBody}. */
export interface RequestBody {
  text: string;
  tooLarge: boolean;
  /** The client went away before the body was complete. */
  aborted: boolean;
}

/** Request bodies above this size are refused (413) by the simulators. */
export const BODY_LIMIT = 64 * 1024;
/** The request log keeps the most recent entries only, so a long-running demo server stays small. */
export const MAX_RECORDED = 10_000;

/** Plain JSON (for control APIs and plain JSON endpoints). */
export function plainJson(value: unknown, status = 200): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(value, null, 2),
  };
}

/** An HTML answer. */
export function htmlReply(status: number, body: string, extra: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...extra }, body };
}

/** A 303 redirect (the answer to a button on a control page). */
export function redirectReply(location: string): HttpReply {
  return { status: 303, headers: { location, 'content-type': 'text/plain; charset=utf-8' }, body: 'See Other' };
}

/** First value of a header. */
export function firstHeader(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** Host part of a URL for a listening address: wildcard addresses become loopback, IPv6 gets brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Host name of a Host header, lower case, without port or IPv6 brackets. */
export function hostnameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** All values of every cookie in a Cookie header (a jar bug may send one name twice). */
export function parseCookies(header: string | string[] | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    cookies.set(name, [...(cookies.get(name) ?? []), value]);
  }
  return cookies;
}

/** The JSON body as an object; `{}` for an empty or non-object body; undefined when it is not JSON. */
export function parseBodyObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/** JSON text parsed, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** For the request log: parsed JSON, else the raw text, else undefined. */
export function looseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Appends a request to a simulator's log, keeping the last {@link MAX_RECORDED} entries. */
export function recordRequest(log: RecordedRequest[], req: IncomingMessage, path: string, body: RequestBody): void {
  const cookies: Record<string, string> = {};
  for (const [name, values] of parseCookies(req.headers.cookie)) cookies[name] = values[0] ?? '';
  log.push({
    method: req.method ?? 'GET',
    path,
    host: firstHeader(req.headers.host),
    headers: { ...req.headers },
    body: body.tooLarge ? undefined : looseJson(body.text),
    cookies,
  });
  if (log.length > MAX_RECORDED) log.splice(0, log.length - MAX_RECORDED);
}

/** Reads the body up to `limit` bytes; beyond that it is drained and discarded. */
export function readBody(req: IncomingMessage, limit: number = BODY_LIMIT): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (body: RequestBody): void => {
      if (settled) return;
      settled = true;
      resolve(body);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else settle({ text: '', tooLarge: true, aborted: false });
    });
    req.on('end', () => settle({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: false, aborted: false }));
    req.on('error', () => settle({ text: '', tooLarge: false, aborted: true }));
    req.on('close', () => settle({ text: '', tooLarge: false, aborted: !req.complete }));
  });
}

/** The rest of `path` below `prefix` (case-insensitive, whole segments only), or undefined. */
export function stripPrefix(path: string, prefix: string): string | undefined {
  if (!prefix) return path;
  const lower = path.toLowerCase();
  const p = prefix.toLowerCase();
  if (lower === p || lower.startsWith(`${p}/`)) return path.slice(prefix.length);
  return undefined;
}
