/**
 * The same transport faults as test/core/upstream-faults.test.ts (CyberArk), for IDCS and
 * OAA: each gives a clear code, the login survives for a retry, nothing reaches the app's
 * error handler.
 */
import { expect } from 'chai';
import type { SimFault } from '../../lib/testing/index.js';
import { useIdcsFixture } from '../support/idcs-fixture.js';
import { useOaaFixture } from '../support/oaa-fixture.js';

const faults: Array<[string, SimFault, string]> = [
  ['HTTP 500', { kind: 'status', status: 500 }, 'UPSTREAM_UNAVAILABLE'],
  ['HTTP 503 HTML', { kind: 'status', status: 503 }, 'UPSTREAM_UNAVAILABLE'],
  ['an HTML page with 200', { kind: 'html' }, 'UPSTREAM_BAD_RESPONSE'],
  ['truncated JSON', { kind: 'truncated' }, 'UPSTREAM_BAD_RESPONSE'],
  ['an oversized body', { kind: 'oversized', bytes: 200 * 1024 }, 'UPSTREAM_BAD_RESPONSE'],
  ['headers that never come', { kind: 'hang' }, 'UPSTREAM_TIMEOUT'],
  ['a connection reset', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE'],
];
const http = { headersTimeoutMs: 150, bodyTimeoutMs: 150, requestTimeoutMs: 400, maxResponseBytes: 64 * 1024 };

describe('upstream faults, IDCS: the TOTP step', () => {
  const f = useIdcsFixture({ app: { strategy: { http } } });
  for (const [name, fault, code] of faults) {
    it(`${name} → ${code}; the same step then succeeds`, async () => {
      const client = f.client();
      await client.startWithPassword('ben');
      f.sim.injectFault(fault, { path: 'authenticate' });
      const res = await client.answer(f.sim.totpCode('ben'));
      expect(res.json.error.code).to.equal(code);
      expect(res.json.step.kind).to.equal('answer');
      f.sim.clearFaults();
      expect((await client.answer(f.sim.totpCode('ben'))).json.step.kind).to.equal('done');
      expect(f.app.serverErrors).to.deep.equal([]);
    });
  }

  it('the token endpoint failing at start → UPSTREAM_UNAVAILABLE, and the next attempt works', async () => {
    f.sim.expireAccessTokens();
    f.sim.injectFault({ kind: 'status', status: 503 }, { path: 'token' });
    const client = f.client();
    const res = await client.start('ann');
    expect(res.json.error.code).to.equal('UPSTREAM_UNAVAILABLE');
    await client.startWithPassword('ann');
    expect(client.last!.json.step.kind).to.equal('done');
  });
});

describe('upstream faults, OAA: the code step', () => {
  const f = useOaaFixture({ app: { strategy: { http } } });
  for (const [name, fault, code] of faults) {
    it(`${name} → ${code}; the same step then succeeds`, async () => {
      const client = f.client();
      await client.startWithPassword('quinn');
      f.sim.injectFault(fault, { path: 'authn' });
      const res = await client.answer(f.sim.totpCode('quinn'));
      expect(res.json.error.code).to.equal(code);
      expect(res.json.step.kind).to.equal('answer');
      f.sim.clearFaults();
      expect((await client.answer(f.sim.totpCode('quinn'))).json.step.kind).to.equal('done');
      expect(f.app.serverErrors).to.deep.equal([]);
    });
  }
});
