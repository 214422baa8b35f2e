/**
 * A check report as text: one line per check (✔ pass, ✖ fail, ! warning, – not checked),
 * the next step under every line that has one, and a closing count.
 */
import type { CheckReport, CheckStatus } from './result.js';

const marks: Record<CheckStatus, string> = { pass: '✔', fail: '✖', warn: '!', skip: '–' };

/** Renders {@link CheckReport} for a terminal or a log (no colours, no secrets: the report has none). */
export function formatCheckReport(report: CheckReport): string {
  const width = Math.max(...report.results.map((r) => r.title.length));
  const lines = [`passport-multistep check: ${report.provider} ${report.url}`];
  for (const result of report.results) {
    lines.push(`${marks[result.status]} ${result.title.padEnd(width)}  ${result.summary}`);
    if (result.next) lines.push(`  ${' '.repeat(width)}  → ${result.next}`);
  }
  lines.push(closing(report));
  return lines.join('\n');
}

function closing(report: CheckReport): string {
  const count = (status: CheckStatus) => report.results.filter((r) => r.status === status).length;
  const warnings = count('warn');
  const parts = [`${count('fail')} failed`, `${count('pass')} passed`, `${warnings} warning${warnings === 1 ? '' : 's'}`, `${count('skip')} not checked`]
    .filter((part) => !part.startsWith('0 '));
  return `${report.ok ? 'OK' : 'FAILED'}: ${parts.join(', ')}.`;
}
