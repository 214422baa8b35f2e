/** The CyberArk fixture: simulator + test app (see sim-fixture.ts). */
import { CyberArkSimulator, type CyberArkSwitches } from '../../lib/testing/index.js';
import type { TestAppOptions } from './app.js';
import { type SimFixture, useSimulatorFixture } from './sim-fixture.js';

export { sleep } from './sim-fixture.js';
export type Fixture = SimFixture<CyberArkSimulator>;

export function useFixture(options: { switches?: Partial<CyberArkSwitches>; app?: Partial<TestAppOptions> } = {}): Fixture {
  return useSimulatorFixture((switches) => CyberArkSimulator.start({ switches }), (sim) => ({ upstreamUrl: sim.url }), options);
}

/** The last path segment of each API call the simulator received. */
export function calls(sim: CyberArkSimulator): string[] {
  return sim.requests.map((r) => r.path.split('/').filter(Boolean).pop() ?? '');
}
