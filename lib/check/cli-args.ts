/**
 * The command line of `passport-multistep check <provider> …`, parsed with node:util
 * parseArgs: flags first, then the provider's environment variables (so secrets need not
 * land in shell history). Options that do not apply to the provider are refused rather
 * than silently ignored.
 */
import { parseArgs } from 'node:util';
import type { CheckProvider } from './result.js';

/** What the command line asks for. */
export type CliRequest =
  | { kind: 'help' }
  | { kind: 'usage'; message: string }
  | { kind: 'run'; provider: CheckProvider; settings: CliSettings };

/** The parsed settings; the CLI turns them into CheckOptions (reading the CA file). */
export interface CliSettings {
  url: string;
  clientId?: string;
  clientSecret?: string;
  appName?: string;
  scope?: string;
  tenantId?: string;
  podAllowlist?: string[];
  apiUser?: string;
  apiKey?: string;
  bearer?: string;
  proxy: boolean;
  caFile?: string;
  timeoutMs?: number;
  json: boolean;
  /** Secrets given as flags (they end up in shell history): the CLI says so on stderr. */
  secretFlags: string[];
}

const options = {
  url: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'app-name': { type: 'string' },
  scope: { type: 'string' },
  'tenant-id': { type: 'string' },
  'pod-allowlist': { type: 'string', multiple: true },
  'api-user': { type: 'string' },
  'api-key': { type: 'string' },
  bearer: { type: 'string' },
  proxy: { type: 'boolean' },
  ca: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = keyof typeof options;

const common: Flag[] = ['url', 'proxy', 'ca', 'timeout', 'json', 'help'];
const perProvider: Record<CheckProvider, Flag[]> = {
  idcs: ['client-id', 'client-secret', 'app-name', 'scope'],
  oaa: ['api-user', 'api-key', 'bearer'],
  cyberark: ['tenant-id', 'pod-allowlist'],
};

/** Environment variables read when the flag is absent, per provider. */
export const environmentVariables: Record<CheckProvider, Partial<Record<Flag, string>>> = {
  idcs: { url: 'IDCS_URL', 'client-id': 'IDCS_CLIENT_ID', 'client-secret': 'IDCS_CLIENT_SECRET', 'app-name': 'IDCS_APP_NAME' },
  oaa: { url: 'OAA_URL', 'api-user': 'OAA_API_USERNAME', 'api-key': 'OAA_API_KEY', bearer: 'OAA_BEARER_TOKEN' },
  cyberark: { url: 'CYBERARK_URL', 'tenant-id': 'CYBERARK_TENANT_ID' },
};

const secretFlags: Flag[] = ['client-secret', 'api-key', 'bearer'];

/** Parses `argv` (without node and the script). */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliRequest {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'usage', message: (error as Error).message.split('\n')[0]! };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { kind: 'help' };
  const [command, provider, ...extra] = positionals;
  if (command !== 'check') return { kind: 'usage', message: `unknown command ${JSON.stringify(command)} (the command is "check")` };
  if (provider !== 'idcs' && provider !== 'oaa' && provider !== 'cyberark') {
    return { kind: 'usage', message: provider === undefined ? 'name the provider: idcs, oaa or cyberark' : `unknown provider ${JSON.stringify(provider)} (idcs, oaa or cyberark)` };
  }
  if (extra.length > 0) return { kind: 'usage', message: `unexpected argument ${JSON.stringify(extra[0])}` };

  const allowed = new Set([...common, ...perProvider[provider]]);
  const foreign = (Object.keys(values) as Flag[]).find((flag) => !allowed.has(flag));
  if (foreign) return { kind: 'usage', message: `--${foreign} does not apply to ${provider}${foreign === 'client-id' || foreign === 'client-secret' ? ' (OAA\'s agent credentials cannot be checked without a user; the API credentials are --api-user / --api-key or --bearer)' : ''}` };

  const vars = environmentVariables[provider];
  const value = (flag: Flag): string | undefined => {
    const given = values[flag as keyof typeof values];
    if (typeof given === 'string') return given;
    const name = vars[flag];
    const fromEnv = name ? env[name] : undefined;
    return fromEnv === '' ? undefined : fromEnv;
  };

  const url = value('url');
  if (!url) return { kind: 'usage', message: `--url is required${vars.url ? ` (or ${vars.url})` : ''}` };
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || timeoutMs < 1 || timeoutMs > 600_000) return { kind: 'usage', message: '--timeout must be a whole number of milliseconds, 1 to 600000' };
  }
  const settings: CliSettings = {
    url, proxy: values.proxy === true, json: values.json === true,
    secretFlags: secretFlags.filter((flag) => typeof values[flag as keyof typeof values] === 'string').map((flag) => `--${flag}`),
    ...(values.ca !== undefined ? { caFile: values.ca } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };

  switch (provider) {
    case 'idcs': {
      const clientId = value('client-id');
      const clientSecret = value('client-secret');
      if (!clientId) return { kind: 'usage', message: '--client-id is required (or IDCS_CLIENT_ID)' };
      if (!clientSecret) return { kind: 'usage', message: 'the client secret is required: set IDCS_CLIENT_SECRET (or --client-secret)' };
      Object.assign(settings, { clientId, clientSecret }, optional({ appName: value('app-name'), scope: value('scope') }));
      break;
    }
    case 'oaa': {
      const apiUser = value('api-user');
      const apiKey = value('api-key');
      const bearer = value('bearer');
      if (bearer && (apiUser || apiKey)) return { kind: 'usage', message: 'give either a bearer token or --api-user with the API key, not both' };
      if ((apiUser && !apiKey) || (!apiUser && apiKey)) return { kind: 'usage', message: '--api-user and the API key (OAA_API_KEY or --api-key) go together' };
      Object.assign(settings, optional({ apiUser, apiKey, bearer }));
      break;
    }
    case 'cyberark':
      Object.assign(settings, optional({ tenantId: value('tenant-id') }));
      if (values['pod-allowlist']) settings.podAllowlist = values['pod-allowlist'].flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
      break;
  }
  return { kind: 'run', provider, settings };
}

function optional(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
