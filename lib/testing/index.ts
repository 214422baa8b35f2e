/**
 * Test helpers shipped as `passport-multistep/testing`: loopback simulators of
 * the identity APIs the strategy talks to.
 */
export * from './cyberark/simulator.js';
export * from './idcs/simulator.js';
export * from './oaa/simulator.js';
export type { PendingFault } from './shared/types.js';
export { SimulatorBase } from './shared/simulator.js';
export type { BaseSwitches, ListenOptions } from './shared/simulator.js';
