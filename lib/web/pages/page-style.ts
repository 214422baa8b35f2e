/**
 * The built-in pages' stylesheet, served by the router as a content-hashed asset (no inline
 * style: the CSP has `style-src 'self'`). Everything themeable is a custom property on `:root`
 * (`--ms-primary` …); the app's colours are appended after it (see theme.ts).
 */
export const pageStyle = `/* passport-multistep built-in pages */
:root { color-scheme: light dark;
  --ms-primary: #1d4ed8; --ms-on-primary: #fff; --ms-background: #f3f4f6; --ms-surface: #fff; --ms-text: #111827;
  --ms-muted: #4b5563; --ms-error: #991b1b; --ms-focus: #b45309; }
@media (prefers-color-scheme: dark) { :root {
  --ms-primary: #93c5fd; --ms-on-primary: #0f172a; --ms-background: #0f172a; --ms-surface: #1e293b; --ms-text: #f1f5f9;
  --ms-muted: #cbd5e1; --ms-error: #fecaca; --ms-focus: #fbbf24; } }
:root { --ms-border: color-mix(in srgb, var(--ms-muted) 45%, var(--ms-surface));
  --ms-error-bg: color-mix(in srgb, var(--ms-error) 10%, var(--ms-surface));
  --ms-note-bg: color-mix(in srgb, var(--ms-primary) 9%, var(--ms-surface));
  --ms-inset: color-mix(in srgb, var(--ms-background) 60%, var(--ms-surface)); }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 1rem;
  padding: 1.5rem 1rem; background: var(--ms-background); color: var(--ms-text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.ms-header { display: flex; align-items: center; gap: .6rem; font-weight: 600; font-size: 1.05rem; }
.ms-header img { max-height: 2.5rem; max-width: 12rem; }
main { width: 100%; max-width: 28rem; background: var(--ms-surface); border: 1px solid var(--ms-border); border-radius: 12px;
  padding: 2rem; box-shadow: 0 10px 30px rgb(0 0 0 / .08); }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .35rem; }
h2 { font-size: 1rem; margin: 1.5rem 0 .25rem; }
p { margin: .5rem 0; }
a { color: var(--ms-primary); }
.ms-muted { color: var(--ms-muted); font-size: .92rem; }
.ms-hint { color: var(--ms-muted); font-size: .9rem; margin: .35rem 0 0; }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
input[type=text], input[type=password], input[type=email], input[type=tel], textarea { width: 100%; padding: .65rem .75rem; font: inherit;
  color: inherit; background: var(--ms-surface); border: 1px solid var(--ms-muted); border-radius: 8px; }
button, .ms-button { font: inherit; cursor: pointer; border-radius: 8px; padding: .65rem 1rem; border: 1px solid var(--ms-primary);
  background: transparent; color: var(--ms-primary); }
.ms-primary { display: block; width: 100%; margin-top: 1.25rem; background: var(--ms-primary); color: var(--ms-on-primary);
  font-weight: 600; text-align: center; text-decoration: none; }
.ms-secondary { display: block; width: 100%; margin-top: 1rem; }
.ms-link { border: 0; padding: .2rem 0; text-decoration: underline; }
button:disabled, button[aria-disabled=true] { opacity: .6; cursor: not-allowed; }
:focus-visible { outline: 3px solid var(--ms-focus); outline-offset: 2px; }
fieldset { border: 0; padding: 0; margin: 1rem 0 0; min-width: 0; }
legend { font-weight: 600; margin-bottom: .5rem; padding: 0; }
.ms-choices { display: grid; gap: .5rem; }
.ms-choice { width: 100%; text-align: left; color: var(--ms-text); border-color: var(--ms-border); }
.ms-choice:not(:disabled):hover { border-color: var(--ms-primary); }
.ms-choice small { display: block; color: var(--ms-muted); font-size: .85rem; }
.ms-alert { background: var(--ms-error-bg); color: var(--ms-error); border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; }
.ms-alert a { color: inherit; font-weight: 600; }
.ms-alert-hint { display: block; margin-top: .35rem; font-size: .92rem; }
.ms-note { background: var(--ms-note-bg); border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; font-size: .92rem; }
.ms-note > :first-child { margin-top: 0; } .ms-note > :last-child { margin-bottom: 0; }
.ms-match { font-size: 2.5rem; font-weight: 700; letter-spacing: .1em; text-align: center; margin: .5rem 0; }
.ms-waiting { display: flex; align-items: center; gap: .6rem; margin: 1rem 0 .25rem; }
.ms-spinner { width: 1.1rem; height: 1.1rem; border-radius: 50%; border: 3px solid var(--ms-border); border-top-color: var(--ms-primary);
  animation: ms-spin 1s linear infinite; flex: none; }
.ms-still .ms-spinner { border-top-color: var(--ms-focus); }
@keyframes ms-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .ms-spinner { animation: none; } }
.ms-progress { color: var(--ms-muted); font-size: .9rem; margin: 0 0 .5rem calc(1.1rem + .6rem); font-variant-numeric: tabular-nums; }
.ms-qr { display: flex; justify-content: center; margin: 1rem 0 .5rem; }
.ms-qr img { width: 200px; height: 200px; image-rendering: pixelated; background: #fff; padding: 8px; border-radius: 8px;
  border: 1px solid var(--ms-border); }
textarea.ms-secret { display: block; font: 1rem/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; letter-spacing: .04em;
  background: var(--ms-inset); resize: none; overflow-wrap: anywhere; }
.ms-terms { max-height: 14rem; overflow: auto; background: var(--ms-inset); border: 1px solid var(--ms-border); border-radius: 8px;
  padding: .75rem 1rem; margin: 1rem 0; white-space: pre-line; }
.ms-actions { display: flex; gap: .75rem; margin-top: 1.25rem; }
.ms-actions button { flex: 1; margin: 0; }
label.ms-check { display: flex; align-items: center; gap: .5rem; font-weight: 400; margin: 1rem 0 0; cursor: pointer; }
label.ms-check input { width: 1.1rem; height: 1.1rem; margin: 0; accent-color: var(--ms-primary); }
.ms-more { display: flex; flex-direction: column; align-items: flex-start; gap: .25rem; margin-top: 1rem; }
.ms-more p, .ms-more form { margin: 0; }
.ms-countdown { margin: 0; font-variant-numeric: tabular-nums; }
.ms-footer-actions { margin-top: 1.5rem; padding-top: 1rem; border-top: 1px solid var(--ms-border); }
.ms-footer-actions form { margin: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
`;
