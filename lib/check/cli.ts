/**
 * `passport-multistep check …` as a function (the bin in lib/cli.ts only wires it to the
 * process): parses the arguments, runs {@link check}, prints the report, returns the exit
 * code (0 all checks pass, 1 a check failed, 2 bad usage).
 */
import { readFile } from 'node:fs/promises';
import type { HttpOptions } from '../http/options.js';
import { check, type CheckOptions } from './check.js';
import { parseCliArgs, type CliSettings } from './cli-args.js';
import { formatCheckReport } from './format.js';
import type { CheckProvider } from './result.js';
import { usage } from './usage.js';

/** Where the CLI reads and writes; the process's own by default. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const request = parseCliArgs(argv, io.env);
  if (request.kind === 'help') {
    io.stdout(usage);
    return 0;
  }
  if (request.kind === 'usage') {
    io.stderr(`passport-multistep: ${request.message}\nRun "passport-multistep --help" for the options.\n`);
    return 2;
  }
  const { provider, settings } = request;
  let ca: string | undefined;
  if (settings.caFile !== undefined) {
    try {
      ca = await readFile(settings.caFile, 'utf8');
    } catch (error) {
      io.stderr(`passport-multistep: cannot read --ca ${settings.caFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
      return 2;
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      io.stderr(`passport-multistep: --ca ${settings.caFile} holds no PEM certificate\n`);
      return 2;
    }
  }
  for (const flag of settings.secretFlags) {
    io.stderr(`note: ${flag} puts a secret in your shell history; the environment variable is safer (see --help).\n`);
  }
  const report = await check(checkOptions(provider, settings, httpOptions(settings, ca)));
  io.stdout(settings.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCheckReport(report)}\n`);
  return report.ok ? 0 : 1;
}

function httpOptions(settings: CliSettings, ca: string | undefined): HttpOptions {
  const t = settings.timeoutMs;
  return {
    ...(settings.proxy ? { proxy: true } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(t !== undefined ? { connectTimeoutMs: t, headersTimeoutMs: t, bodyTimeoutMs: t, requestTimeoutMs: t } : {}),
  };
}

function checkOptions(provider: CheckProvider, s: CliSettings, http: HttpOptions): CheckOptions {
  switch (provider) {
    case 'idcs':
      return { provider, url: s.url, clientId: s.clientId!, clientSecret: s.clientSecret!, http, ...pick(s, ['appName', 'scope']) };
    case 'oaa': {
      const auth = s.bearer ? { bearer: s.bearer } : s.apiUser && s.apiKey ? { username: s.apiUser, password: s.apiKey } : undefined;
      return { provider, url: s.url, http, ...(auth ? { auth } : {}) };
    }
    case 'cyberark':
      return { provider, url: s.url, http, ...pick(s, ['tenantId', 'podAllowlist']) };
  }
}

function pick<K extends keyof CliSettings>(settings: CliSettings, keys: K[]): Pick<CliSettings, K> {
  return Object.fromEntries(keys.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]])) as Pick<CliSettings, K>;
}
