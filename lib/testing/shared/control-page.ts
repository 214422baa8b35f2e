/**
 * Building blocks of the simulators' control pages (the simulated user's
 * "phone"): the page frame, sections and tables, and the parts every page
 * shows (sent codes, push buttons, lockout status, switches and faults).
 * Arguments named `…Html` are trusted markup; everything else is escaped.
 */
import type { SentCodeOf } from './codes.js';
import { ago, controlButton as button, escapeHtml as e } from './html.js';
import type { PendingFault } from './types.js';

/** What {@link renderControlPage} puts into the page frame. */
export interface ControlPageFrame {
  /** The document title. */
  title: string;
  /** The header line. */
  heading: string;
  /** The stylesheet. */
  style: string;
  /** Markup of the paragraph under the heading (API URL, counters, …). */
  summaryHtml: string;
  /** Markup of the sections, in order. */
  sectionsHtml: string[];
}

/** The whole page; it reloads itself every two seconds. */
export function renderControlPage(frame: ControlPageFrame): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(frame.title)}</title><style>${frame.style}</style></head>
<body><header><h1>${e(frame.heading)}</h1>
<p>${frame.summaryHtml}</p></header>
<main>
${frame.sectionsHtml.join('\n')}
</main></body></html>`;
}

/** `<section>` with a heading. */
export function section(heading: string, bodyHtml: string): string {
  return `<section><h2>${e(heading)}</h2>${bodyHtml}</section>`;
}

/** A table: escaped column titles (an empty one for a button column), rows already rendered as `<tr>…</tr>`. */
export function table(columns: readonly string[], rowsHtml: readonly string[]): string {
  return `<table><tr>${columns.map((c) => `<th>${e(c)}</th>`).join('')}</tr>${rowsHtml.join('')}</table>`;
}

/** A section holding a table, or a muted note when there are no rows. */
export function tableSection(heading: string, columns: readonly string[], rowsHtml: readonly string[], emptyHtml: string): string {
  return section(heading, rowsHtml.length ? table(columns, rowsHtml) : `<p class="muted">${emptyHtml}</p>`);
}

/** The codes users "received", newest first per user; `labels` names the channels; `emptyHtml` is shown when there are none. */
export function sentCodesSection(
  heading: string,
  codes: Record<string, Array<SentCodeOf<string>>>,
  labels: Record<string, string>,
  emptyHtml = 'No codes sent yet.',
): string {
  const rows = Object.entries(codes).flatMap(([user, sent]) =>
    [...sent]
      .sort((a, b) => b.sentAt - a.sentAt)
      .map(
        (c) => `<tr><td>${e(user)}</td><td>${e(labels[c.mechanism] ?? c.mechanism)}</td>
<td class="code">${e(c.code)}</td><td class="muted">${e(ago(c.sentAt))}</td></tr>`,
      ),
  );
  return tableSection(heading, ['User', 'Sent by', 'Code', 'Sent'], rows, emptyHtml);
}

/** Approve and Deny buttons for the user's waiting push. */
export function pushButtons(mount: string, username: string): string {
  return `${button(mount, 'Approve', 'approve', 'push', username, 'approve')} ${button(mount, 'Deny', 'deny', 'push', username, 'deny')}`;
}

/** A user's lockout status: `lockedLabel` with an Unlock button, the failure count, or ok. */
export function lockoutStatus(mount: string, user: { username: string; failures: number }, locked: boolean, lockedLabel: string): string {
  if (locked) return `<span class="locked">${e(lockedLabel)}</span> ${button(mount, 'Unlock', 'plain', 'unlock', user.username)}`;
  return user.failures > 0 ? `${user.failures} failed` : '<span class="muted">ok</span>';
}

/** The switches as JSON (in a `<code>` of class `codeClass`, if given), then the armed faults (if any). */
export function switchesAndFaults(switches: object, pendingFaults: readonly PendingFault[], codeClass?: string): string {
  const faults = pendingFaults.length ? `<p>Armed faults: <code>${e(JSON.stringify(pendingFaults))}</code></p>` : '';
  const open = codeClass ? `<code class="${e(codeClass)}">` : '<code>';
  return `${open}${e(JSON.stringify(switches))}</code>${faults}`;
}
