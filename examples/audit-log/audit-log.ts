/**
 * Audit events as JSON lines: one event per line, on stdout or appended to a file, ready for
 * a log shipper (Filebeat, Fluent Bit, Vector, the Splunk forwarder…) to pick up.
 *
 *   const strategy = new MultiStepStrategy({ provider, verify, onEvent: jsonLines() });
 *   const strategy = new MultiStepStrategy({ provider, verify, onEvent: jsonLines('/var/log/app/audit.jsonl') });
 *
 * The smallest version needs no helper at all:
 *
 *   onEvent: (e) => process.stdout.write(JSON.stringify(e) + '\n')
 *
 * Events never hold a secret (see the README's "Audit events"), so the lines may go wherever
 * your logs go.
 */
import { createWriteStream } from 'node:fs';
import type { AuditEvent } from '../../lib/index.js'; // in an app: 'passport-multistep'

/** An `onEvent` that writes each event as one JSON line to `file` (appended), or to stdout without one. */
export function jsonLines(file?: string): (event: AuditEvent) => void {
  if (!file) return (event) => { process.stdout.write(`${JSON.stringify(event)}\n`); };
  const out = createWriteStream(file, { flags: 'a' });
  out.on('error', (error) => console.error('audit log:', error.message));
  return (event) => { out.write(`${JSON.stringify(event)}\n`); };
}
