/**
 * returnTo must stay on this site: only a path that starts with a single "/" is kept,
 * and only if URL normalization leaves it unchanged, which refuses absolute URLs,
 * protocol-relative "//host", "/\host", and dot segments that normalize into "//host"
 * ("/.//evil.example" → "//evil.example").
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // Control characters and backslashes can be rewritten into "//" by browsers.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  try {
    const parsed = new URL(value, 'http://local.invalid');
    const normalized = parsed.pathname + parsed.search + parsed.hash;
    if (parsed.origin !== 'http://local.invalid' || normalized !== value || normalized.startsWith('//')) return undefined;
    return normalized;
  } catch {
    return undefined;
  }
}
