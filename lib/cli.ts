#!/usr/bin/env node
/**
 * The `passport-multistep` command (package.json `bin`): `passport-multistep check
 * <idcs|oaa|cyberark> --url … [options]`; `--help` lists the options.
 */
import { runCli } from './check/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`passport-multistep: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
