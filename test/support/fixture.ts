/** Mocha fixture: a CyberArk simulator and a test app pointed at it, fresh state before each test. */
import { CyberArkSimulator, type CyberArkSwitches } from '../../lib/testing/index.js';
import { startApp, type TestApp, type TestAppOptions } from './app.js';
import { LoginClient } from './login-client.js';

export interface Fixture {
  sim: CyberArkSimulator;
  app: TestApp;
  /** A new browser (own cookie jar) in JSON mode. */
  client(): LoginClient;
}

export function useFixture(options: { switches?: Partial<CyberArkSwitches>; app?: Partial<TestAppOptions> } = {}): Fixture {
  const fixture = {} as Fixture;
  before(async () => {
    fixture.sim = await CyberArkSimulator.start({ switches: options.switches ?? {} });
    fixture.app = await startApp({ upstreamUrl: fixture.sim.url, ...options.app, strategy: { pollIntervalMs: 20, resendCooldownMs: 0, ...options.app?.strategy } });
    fixture.client = () => new LoginClient(fixture.app.url);
  });
  beforeEach(() => {
    fixture.sim.reset();
    Object.assign(fixture.sim.switches, options.switches ?? {});
  });
  after(async () => {
    await fixture.app.close();
    await fixture.sim.close();
  });
  return fixture;
}

/** The last path segment of each API call the simulator received. */
export function calls(sim: CyberArkSimulator): string[] {
  return sim.requests.map((r) => r.path.split('/').filter(Boolean).pop() ?? '');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
