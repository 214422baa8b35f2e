/** HTML helpers for the simulators' control pages. Every dynamic value must go through {@link escapeHtml}. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The stylesheet of the control pages (the simulated user's "phone"). */
export const CONTROL_PAGE_STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:14px 24px}header h1{font-size:18px;margin:0}
header p{margin:4px 0 0;color:#b8c0d0;font-size:13px}main{max-width:980px;margin:0 auto;padding:16px 24px}
section{background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(0,0,0,.08);margin:16px 0;padding:14px 18px}
h2{font-size:15px;margin:0 0 10px;text-transform:uppercase;letter-spacing:.04em;color:#5a6478}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2}
th{font-size:12px;color:#5a6478;font-weight:600}code{font:13px ui-monospace,Menlo,Consolas,monospace}
.code{font:600 20px ui-monospace,Menlo,Consolas,monospace;letter-spacing:.12em}.muted{color:#8a93a6}
.num{display:inline-block;background:#eef2ff;border-radius:6px;padding:2px 8px;font-weight:700}
form{display:inline}button{border:0;border-radius:6px;padding:6px 14px;font:inherit;cursor:pointer;color:#fff}
.approve{background:#1f8a4c}.deny{background:#c0392b}.plain{background:#5a6478}.locked{color:#c0392b;font-weight:600}`;

/** Escaped form action `${mount}/api/<parts…>` (each part URL-encoded). */
export function controlAction(mount: string, ...parts: string[]): string {
  return escapeHtml(`${mount}/api/${parts.map(encodeURIComponent).join('/')}`);
}

/** A one-button form posting to `${mount}/api/<parts…>`. */
export function controlButton(mount: string, label: string, cls: string, ...parts: string[]): string {
  return `<form method="post" action="${controlAction(mount, ...parts)}"><button class="${cls}" type="submit">${escapeHtml(label)}</button></form>`;
}

/** `12s ago`, `3m 4s ago`. */
export function ago(at: number): string {
  const s = Math.max(0, Math.round((Date.now() - at) / 1000));
  return s < 60 ? `${s}s ago` : `${Math.floor(s / 60)}m ${s % 60}s ago`;
}
