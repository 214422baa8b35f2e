/** The IDCS fixture: simulator + test app with the IDCS provider (see sim-fixture.ts). */
import { idcs, type IdcsOptions } from '../../lib/index.js';
import { IdcsSimulator, type IdcsSwitches } from '../../lib/testing/index.js';
import type { TestAppOptions } from './app.js';
import { type SimFixture, useSimulatorFixture } from './sim-fixture.js';

export type IdcsFixture = SimFixture<IdcsSimulator>;

export const rememberDeviceSecret = 'test-remember-device-secret-of-32-bytes!';

export function useIdcsFixture(options: { switches?: Partial<IdcsSwitches>; app?: Partial<TestAppOptions>; provider?: Partial<IdcsOptions> } = {}): IdcsFixture {
  return useSimulatorFixture((switches) => IdcsSimulator.start({ switches }), (sim) => ({
    providerInstance: idcs({ url: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, appName: sim.appName, ...options.provider }),
    strategy: { rememberDevice: { secret: rememberDeviceSecret } },
  }), options);
}

/** The bodies of the authenticate POSTs the simulator received, oldest first. */
export function authenticateBodies(sim: IdcsSimulator): Array<Record<string, unknown>> {
  return sim.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/authenticate'))
    .map((r) => (r.body ?? {}) as Record<string, unknown>);
}

/** The `op` of each authenticate POST the simulator received (GET shows as 'GET'). */
export function ops(sim: IdcsSimulator): string[] {
  return sim.requests
    .filter((r) => r.path.endsWith('/authenticate'))
    .map((r) => (r.method === 'GET' ? 'GET' : String((r.body as { op?: string }).op)));
}

/** Client-credentials (app) tokens the simulator issued, without the users' jwt-bearer tokens. */
export function appTokensIssued(sim: IdcsSimulator): number {
  return sim.tokensIssued() - sim.state().userTokensIssued;
}
