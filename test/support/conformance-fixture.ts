/**
 * The conformance suites' mocha fixture, for any provider: a scripted upstream started once,
 * the test app pointed at it, what verify received, and the upstream's requests reset (and
 * their secrets collected for the log check) before each test.
 */
import type { Mechanism, Profile, Provider, Step, UpstreamTokens } from '../../lib/index.js';
import { startApp, type TestApp, type TestAppOptions } from './app.js';
import { ConformanceClient, POLL_INTERVAL_MS } from './conformance-client.js';
import { collectSecrets } from './log-capture.js';

/** What the fixture needs of a scripted upstream. */
export interface ScriptedServer {
  url: string;
  problems: string[];
  requests: ReadonlyArray<{ body?: unknown; headers?: Record<string, unknown> }>;
  reset(): void;
  close(): Promise<void>;
}

export interface ConformanceFixture<Up extends ScriptedServer> {
  up: Up;
  app: TestApp;
  /** What verify received, latest last. */
  profiles: Profile[];
  tokens: UpstreamTokens[];
  client(): ConformanceClient;
}

/** `provider`: the provider for the started upstream; `strategy`: options beyond the fast poll and resend the suites need. */
export function useConformanceFixture<Up extends ScriptedServer>(setup: {
  start(): Promise<Up>;
  provider(up: Up): Provider;
  strategy?: TestAppOptions['strategy'];
  /** Whether a 502 UPSTREAM_BAD_RESPONSE is an answer the tests check (see ConformanceClient). */
  allowBadResponse?: boolean;
}): ConformanceFixture<Up> {
  const f = { profiles: [] as Profile[], tokens: [] as UpstreamTokens[] } as ConformanceFixture<Up>;
  before(async () => {
    f.up = await setup.start();
    f.app = await startApp({
      providerInstance: setup.provider(f.up),
      strategy: { pollIntervalMs: POLL_INTERVAL_MS, resendCooldownMs: 0, ...setup.strategy },
      onVerify: (profile, tokens) => {
        f.profiles.push(profile);
        f.tokens.push(tokens);
      },
    });
    f.client = () => new ConformanceClient(f.app.url, f.up, setup.allowBadResponse ?? false);
  });
  beforeEach(() => {
    collectSecrets(f.up.requests);
    f.up.reset();
    f.profiles.length = 0;
    f.tokens.length = 0;
  });
  after(async () => {
    collectSecrets(f.up.requests);
    await f.app?.close();
    await f.up?.close();
  });
  return f;
}

/** The step's mechanism that satisfies `test`; fails with the step when there is none. */
export function mechanism(step: Step | undefined, test: (m: Mechanism) => boolean, what: string): Mechanism {
  const found = step?.mechanisms.find(test);
  if (!found) throw new Error(`no ${what} mechanism in ${JSON.stringify(step, null, 1)}`);
  return found;
}
