/**
 * returnTo must stay on this site: only a path that starts with a single "/" is kept,
 * which refuses absolute URLs, protocol-relative "//host" and "/\host" tricks.
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Control characters and backslashes can be rewritten into "//" by browsers.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  try {
    const parsed = new URL(value, 'http://local.invalid');
    if (parsed.origin !== 'http://local.invalid') return undefined;
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return undefined;
  }
}
