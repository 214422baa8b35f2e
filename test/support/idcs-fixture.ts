/** Mocha fixture: an IDCS simulator and a test app using the IDCS provider. */
import { idcs } from '../../lib/index.js';
import { IdcsSimulator, type IdcsSwitches } from '../../lib/testing/index.js';
import { startApp, type TestApp, type TestAppOptions } from './app.js';
import { LoginClient } from './login-client.js';

export interface IdcsFixture {
  sim: IdcsSimulator;
  app: TestApp;
  client(): LoginClient;
  /** Another app on the same simulator, with more options. */
  startApp(options?: Partial<TestAppOptions>): Promise<TestApp>;
}

export const rememberDeviceSecret = 'test-remember-device-secret-of-32-bytes!';

export function useIdcsFixture(options: { switches?: Partial<IdcsSwitches>; app?: Partial<TestAppOptions> } = {}): IdcsFixture {
  const fixture = {} as IdcsFixture;
  before(async () => {
    fixture.sim = await IdcsSimulator.start({ switches: options.switches ?? {} });
    fixture.startApp = (more = {}) => startApp({
      providerInstance: idcs({ url: fixture.sim.url, clientId: fixture.sim.clientId, clientSecret: fixture.sim.clientSecret, appName: fixture.sim.appName }),
      ...options.app,
      ...more,
      strategy: { pollIntervalMs: 20, resendCooldownMs: 0, rememberDevice: { secret: rememberDeviceSecret }, ...options.app?.strategy, ...more.strategy },
    });
    fixture.app = await fixture.startApp();
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

/** The `op` of each authenticate POST the simulator received (GET shows as 'GET'). */
export function ops(sim: IdcsSimulator): string[] {
  return sim.requests
    .filter((r) => r.path.endsWith('/authenticate'))
    .map((r) => (r.method === 'GET' ? 'GET' : String((r.body as { op?: string }).op)));
}
