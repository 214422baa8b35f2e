/** Shared by the limits tests: counting what the simulators sent, and clients that come from a chosen address. */
import { expect } from 'chai';
import type { BrowserResponse } from '../support/browser.js';
import { LoginClient } from '../support/login-client.js';
import type { Mechanism } from '../../lib/index.js';

interface Recorded { method: string; path: string; body?: unknown }

/** CyberArk: StartOOB operations (alone or in MultipleOperations) in the simulator's request log: each one sends. */
export function cyberarkSends(sim: { requests: ReadonlyArray<Recorded> }): number {
  let sends = 0;
  for (const r of sim.requests) {
    if (!/advanceauthentication$/i.test(r.path)) continue;
    const body = r.body as { Action?: string; MultipleOperations?: Array<{ Action?: string }> };
    const operations = body.MultipleOperations ?? [body];
    sends += operations.filter((o) => o.Action === 'StartOOB').length;
  }
  return sends;
}

/** IDCS: `credSubmit` choosing SMS or e-mail (no code typed) and `resendCode`, plus `auto` sends IDCS made by itself (after the password). */
export function idcsSends(sim: { requests: ReadonlyArray<Recorded> }, auto: number): number {
  return auto + sim.requests.filter((r) => {
    if (r.method !== 'POST' || !r.path.endsWith('/authenticate')) return false;
    const body = r.body as { op?: string; authFactor?: string; credentials?: Record<string, unknown> };
    if (body.op === 'resendCode') return true;
    return body.op === 'credSubmit' && (body.authFactor === 'SMS' || body.authFactor === 'EMAIL') && !body.credentials?.otpCode;
  }).length;
}

/** OAA: PUT Init (each one sends the factor's code or push). */
export function oaaSends(sim: { requests: ReadonlyArray<Recorded> }): number {
  return sim.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/authn/v1') && (r.body as { challengeop?: string }).challengeop === 'Init').length;
}

/** A login client whose requests say they come from `client` (the test app's `limits.clientKey` reads X-Test-Client). */
export function clientFrom(url: string, client: string): LoginClient {
  const login = new LoginClient(url);
  const post = login.browser.post.bind(login.browser);
  login.browser.post = (path, body, headers = {}) => post(path, body, { ...headers, 'x-test-client': client });
  return login;
}

/** `limits.clientKey` for test apps: the X-Test-Client header. */
export const headerClientKey = (req: { headers: Record<string, string | string[] | undefined> }): string | undefined => {
  const value = req.headers['x-test-client'];
  return typeof value === 'string' ? value : undefined;
};

/** Code-by-address mechanisms of a select step. */
export function addressed(mechanisms: Mechanism[]): Mechanism[] {
  return mechanisms.filter((m) => m.type === 'otp' && m.maskedAddress);
}

/**
 * "Try another way" and select a code-by-address method again, `rounds` times, alternating
 * between the methods on offer. Returns every answer to a select.
 */
export async function selectLoop(client: LoginClient, rounds: number): Promise<BrowserResponse[]> {
  const answers: BrowserResponse[] = [];
  for (let i = 0; i < rounds; i += 1) {
    if (client.step!.kind !== 'select') {
      expect(client.step!.alternatives, JSON.stringify(client.step)).to.equal(true);
      const alternatives = await client.act('alternatives');
      expect(alternatives.status, JSON.stringify(alternatives.json)).to.equal(200);
    }
    const choices = addressed(client.step!.mechanisms);
    expect(choices.length, JSON.stringify(client.step)).to.be.greaterThan(0);
    const res = await client.act('select', { mechanism: choices[i % choices.length]!.id });
    answers.push(res);
  }
  return answers;
}
