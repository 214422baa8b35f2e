/**
 * HTML escaping for the built-in pages. Every value that reaches a page (labels, prompts and
 * messages from the upstream, strings from the app, the user name) goes through `escapeHtml`:
 * it is shown as text, never as markup.
 */

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/** ` name="value"` escaped; ` name` for `true`; nothing for `undefined` or `false`. */
export function attr(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined || value === false) return '';
  if (value === true) return ` ${name}`;
  return ` ${name}="${escapeHtml(value)}"`;
}
