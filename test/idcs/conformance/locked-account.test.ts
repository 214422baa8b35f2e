/**
 * Replay: a locked account. Oracle gives no example body for a lockout; the fixtures are
 * built from the error catalogue (AUTH-3002 and AUTH-1010, same message) and marked unverified.
 */
import { expect } from 'chai';
import { expectError, get, post, useConformance } from './harness.js';

describe('IDCS conformance: locked account', () => {
  const f = useConformance();

  for (const [fixture, code] of [['account-locked', 'AUTH-3002'], ['account-locked-admin', 'AUTH-1010']] as const) {
    it(`${code} after the password is ACCOUNT_LOCKED (423), never a 5xx, and ends the login`, async () => {
      f.up.script(get('start-password'), post(fixture, { op: 'credSubmit', credentials: ['username', 'password'] }));
      const client = f.client();
      await client.start('admin@oracle.com');
      const res = await client.answer('pw');
      expectError(res, 'ACCOUNT_LOCKED');
      expect(res.status).to.equal(423);
      expect(res.json.error.details.upstreamCode).to.equal(code);
      expect((await client.browser.get(`/login/step?tx=${client.tx}`)).status).to.equal(404);
      f.up.verify();
    });
  }
});
