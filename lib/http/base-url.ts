/**
 * A provider's configured base URL, checked once at construction: absolute http(s), no
 * query or fragment, with a trailing slash so `new URL('path', base)` keeps any prefix
 * (Delinea's `/identity`, OAA's `/oaa/runtime`).
 */
export function baseUrl(url: string, provider: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TypeError(`${provider} provider: \`url\` must be an absolute URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError(`${provider} provider: \`url\` must be http(s)`);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return base;
}
