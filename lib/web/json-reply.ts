/**
 * How the companion routes answer JSON clients. Every answer is about one login (a CSRF
 * token, a step, an error) and must never be stored by a cache, so there is nothing for an
 * ETag or a freshness check to do: the body is written directly, with `no-store`.
 */
import type { ServerResponse } from 'node:http';

/** Sends `body` as JSON with `status`, `Cache-Control: no-store` and no ETag. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text); // Node leaves the body out for HEAD
}
