/**
 * The few response helpers the routes need, on Node's ServerResponse (no `res.redirect`,
 * `res.set` or `res.render` from a framework).
 */
import type { ServerResponse } from 'node:http';

/** Post/Redirect/Get: `303 See Other` to `location` (a path or an absolute URL from configuration). */
export function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader('Location', headerSafeUrl(location));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', 0);
  res.end();
}

/** Sends a complete HTML document with its headers. */
export function sendHtml(res: ServerResponse, html: string, headers: Record<string, string>, status = 200): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

/** Percent-encodes what a header cannot carry (non-ASCII, spaces, controls), as Express's `encodeurl` does. */
function headerSafeUrl(url: string): string {
  return url.replace(/[^\x21-\x7e]|%(?![0-9A-Fa-f]{2})/gu, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      return ''; // a lone surrogate: dropped rather than thrown
    }
  });
}
