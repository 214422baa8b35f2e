/** Mocha fixture shared by the providers' tests: a simulator and a test app pointed at it, fresh state before each test. */
import { startApp, type TestApp, type TestAppOptions } from './app.js';
import { LoginClient } from './login-client.js';
import { collectSecrets } from './log-capture.js';

interface Simulator<Switches extends object> {
  switches: Switches;
  requests: ReadonlyArray<{ body?: unknown; headers?: Record<string, unknown> }>;
  reset(): void;
  close(): Promise<void>;
}

export interface SimFixture<Sim> {
  sim: Sim;
  app: TestApp;
  /** A new browser (own cookie jar) in JSON mode. */
  client(): LoginClient;
  /** Another app on the same simulator, with more options (close it yourself). */
  startApp(options?: Partial<TestAppOptions>): Promise<TestApp>;
}

export function useSimulatorFixture<Switches extends object, Sim extends Simulator<Switches>>(
  start: (switches: Partial<Switches>) => Promise<Sim>,
  appFor: (sim: Sim) => Partial<TestAppOptions>,
  options: { switches?: Partial<Switches>; app?: Partial<TestAppOptions> } = {},
): SimFixture<Sim> {
  const fixture = {} as SimFixture<Sim>;
  before(async () => {
    fixture.sim = await start(options.switches ?? {});
    fixture.startApp = (more = {}) => {
      const base = appFor(fixture.sim);
      return startApp({
        ...base, ...options.app, ...more,
        // Tests poll and resend at once; the defaults are for people.
        strategy: { pollIntervalMs: 20, resendCooldownMs: 0, ...base.strategy, ...options.app?.strategy, ...more.strategy },
      });
    };
    fixture.app = await fixture.startApp();
    fixture.client = () => new LoginClient(fixture.app.url);
  });
  beforeEach(() => {
    collectSecrets(fixture.sim.requests); // what the previous test sent upstream, before reset() forgets it
    fixture.sim.reset();
    Object.assign(fixture.sim.switches, options.switches ?? {});
  });
  after(async () => {
    collectSecrets(fixture.sim.requests);
    await fixture.app.close();
    await fixture.sim.close();
  });
  return fixture;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
