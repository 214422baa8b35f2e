/** Root hooks: an unhandled rejection or uncaught exception anywhere fails the run. */
const problems: unknown[] = [];
process.on('unhandledRejection', (reason) => problems.push(reason));

export const mochaHooks = {
  afterEach(this: Mocha.Context) {
    if (problems.length > 0) {
      const reason = problems.splice(0);
      throw new Error(`unhandled rejection during this test: ${String(reason[0])}`);
    }
  },
};
