/**
 * Replay: a tenant with social/SAML identity providers. The first response offers
 * `chooseIDP` next to `credSubmit`; choosing an IdP is a browser FORM POST to IDCS
 * (/sso/v1/sdk/secure/idp), not something this library drives, so only the password is shown.
 */
import { expect } from 'chai';
import { expectLoggedIn, get, post, useConformance } from './harness.js';

describe('IDCS conformance: tenant with identity providers', () => {
  const f = useConformance();

  for (const start of ['start-with-idps', 'start-with-saml-and-social-idps']) {
    it(`${start}: the password path works and no IdP choice is shown`, async () => {
      f.up.script(get(start), post('password-success', { op: 'credSubmit', credentials: ['username', 'password'] }));
      const client = f.client();
      const started = await client.start('admin@oracle.com');
      expect(client.step!.kind).to.equal('answer');
      expect(client.step!.mechanisms.map((m) => m.type)).to.deep.equal(['password']);
      expect(started.text).to.not.match(/Google|adc00peq|idpId|chooseIDP/);
      await expectLoggedIn(f, client, await client.answer('pw'));
    });
  }
});
