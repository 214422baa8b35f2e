/**
 * Root hooks: an unhandled rejection anywhere fails the run, and after the whole suite no
 * secret any simulator saw may appear in any captured debug line or audit event.
 */
import { auditEventLines, capturedEvents, capturedLogs, leakedSecrets, suiteSecrets } from './log-capture.js';

const problems: unknown[] = [];
process.on('unhandledRejection', (reason) => problems.push(reason));

export const mochaHooks = {
  afterEach(this: Mocha.Context) {
    if (problems.length > 0) {
      const reason = problems.splice(0);
      throw new Error(`unhandled rejection during this test: ${String(reason[0])}`);
    }
  },
  afterAll() {
    const leaks = leakedSecrets();
    console.log(`\n  log capture: ${capturedLogs.length} debug lines checked against ${suiteSecrets.size} secrets seen by the simulators`);
    if (leaks.length > 0 && process.env.SHOW_LEAKS) {
      for (const leak of leaks) console.log('LEAK', JSON.stringify(leak), capturedLogs.find((line) => line.includes(leak)));
    }
    if (leaks.length > 0) throw new Error(`${leaks.length} secret(s) reached the debug log, e.g. one of length ${leaks[0]!.length}`);
    // The same check over every audit event of every strategy in the run.
    const events = auditEventLines();
    const eventLeaks = leakedSecrets(events);
    console.log(`  audit capture: ${capturedEvents.length} audit events checked against the same secrets`);
    if (eventLeaks.length > 0 && process.env.SHOW_LEAKS) {
      for (const leak of eventLeaks) console.log('EVENT LEAK', JSON.stringify(leak), events.find((line) => line.includes(leak)));
    }
    if (eventLeaks.length > 0) throw new Error(`${eventLeaks.length} secret(s) reached an audit event, e.g. one of length ${eventLeaks[0]!.length}`);
  },
};
