// Runs the route tests again under Connect 3 and Express 4 (the main run is Express 5):
// the companion routes must not depend on any framework's request or response helpers.
import { spawnSync } from 'node:child_process';

const specs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test/core/**/*.test.ts', 'test/cyberark/t*.test.ts', 'test/idcs/t*.test.ts', 'test/oaa/t*.test.ts', 'test/limits/*.test.ts', 'test/audit/*.test.ts', 'test/robust/*.test.ts'];
const mocha = ['node_modules/mocha/bin/mocha.js', '--no-config', '--node-option', 'import=tsx/esm', '--extension', 'ts',
  '--timeout', '15000', '--forbid-only', '--exit', '--require', 'test/support/hooks.ts', '--reporter', 'dot', ...specs];

for (const framework of ['connect', 'express4']) {
  console.log(`\n# route tests under ${framework}`);
  const run = spawnSync(process.execPath, mocha, { stdio: 'inherit', env: { ...process.env, TEST_FRAMEWORK: framework } });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
