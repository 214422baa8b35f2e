/**
 * The pages' static assets (stylesheet and script), named by a hash of their content: a new
 * version gets a new name, so the router can let browsers cache them for good.
 */
import { createHash } from 'node:crypto';

/** One asset as the router serves it. */
export interface Asset {
  name: string;
  body: string;
  headers: Record<string, string>;
}

/** `<prefix>-<hash>.<ext>`: the first 12 hex digits of the SHA-256 of `body`. */
export function hashedName(prefix: string, ext: string, body: string): string {
  return `${prefix}-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.${ext}`;
}

/** A content-hashed asset with its headers. */
export function asset(prefix: string, ext: 'css' | 'js', body: string): Asset {
  return {
    name: hashedName(prefix, ext, body),
    body,
    headers: {
      'Content-Type': ext === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  };
}
