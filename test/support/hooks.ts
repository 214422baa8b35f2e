/**
 * Root hooks: an unhandled rejection anywhere fails the run, and after the whole suite no
 * secret any simulator saw may appear in any captured debug line.
 */
import { capturedLogs, leakedSecrets, suiteSecrets } from './log-capture.js';

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
  },
};
