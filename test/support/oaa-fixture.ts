/** The OAA fixture: simulator + test app with the OAA provider and a password first factor (see sim-fixture.ts). */
import { oaa, type OaaOptions } from '../../lib/index.js';
import { OaaSimulator, type OaaSwitches } from '../../lib/testing/index.js';
import type { TestAppOptions } from './app.js';
import { type SimFixture, useSimulatorFixture } from './sim-fixture.js';

export type OaaFixture = SimFixture<OaaSimulator>;

/** Provider options against the simulator; `more` overrides. */
export function oaaOptions(sim: OaaSimulator, more: Partial<OaaOptions> = {}): OaaOptions {
  return {
    url: sim.url,
    auth: { username: sim.apiUsername, password: sim.apiKey },
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    assuranceLevel: 'PassportAL1',
    registrationUrl: sim.registrationUrl,
    firstFactor: { verifyPassword: (username, password) => sim.verifyPassword(username, password) },
    ...more,
  };
}

export function useOaaFixture(options: { switches?: Partial<OaaSwitches>; app?: Partial<TestAppOptions> } = {}): OaaFixture {
  return useSimulatorFixture((switches) => OaaSimulator.start({ switches }), (sim) => ({ providerInstance: oaa(oaaOptions(sim)) }), options);
}

/** The challengeop of each PUT and 'POST' for the POSTs the simulator received on /authn/v1. */
export function oaaOps(sim: OaaSimulator): string[] {
  return sim.requests
    .filter((r) => r.path.endsWith('/authn/v1'))
    .map((r) => (r.method === 'POST' ? 'POST' : String((r.body as { challengeop?: string }).challengeop)));
}
