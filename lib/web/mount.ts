/**
 * Where the routes are mounted and what they were asked for, on any framework: Express
 * sets `req.baseUrl`; Connect strips the mount path from `req.url` and keeps `originalUrl`;
 * a plain `http` server mounts at the root.
 */
import type { IncomingMessage } from 'node:http';

/** The request's path and query inside the router. */
export interface RoutedUrl {
  /** The mount path, e.g. `/login` (empty at the root). */
  base: string;
  /** The path inside the router, e.g. `/step` (`/` for the router's root). */
  path: string;
  query: URLSearchParams;
}

/** Splits the request URL into mount path, route path and query. */
export function routedUrl(req: IncomingMessage): RoutedUrl {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)) || '/';
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  return { base: mountPath(req, path), path, query };
}

function mountPath(req: IncomingMessage, path: string): string {
  const baseUrl = (req as { baseUrl?: unknown }).baseUrl;
  if (typeof baseUrl === 'string') return baseUrl;
  const original = (req as { originalUrl?: unknown }).originalUrl;
  if (typeof original !== 'string') return '';
  const q = original.indexOf('?');
  const full = q < 0 ? original : original.slice(0, q);
  // Connect: originalUrl = mount path + url (its url keeps a leading "/").
  const inner = path === '/' && !full.endsWith('/') ? '' : path;
  return full.endsWith(inner) ? full.slice(0, full.length - inner.length).replace(/\/$/, '') : '';
}
