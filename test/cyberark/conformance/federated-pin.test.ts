/**
 * Replay: a federated user (conjur-cli-go start_auth_external_pin: IdpRedirectShortUrl,
 * IdpLoginSessionId, IdpOobAuthPinRequired: true). The PIN the IdP shows is answered as conjur
 * does: `{"Action":"Answer","MechanismId":"OOBAUTHPIN","SessionId":<IdpLoginSessionId>,"Answer":<PIN>}`;
 * its LoginSuccess (advance_oob_success) names no user, so WhoAmI does. Without a PIN the login
 * finishes through OobAuthStatus (oob_status_success / oob_status_failure), only when allowed.
 *
 * The file's own redirect URLs are deliberately unusable (`for_test_only://`, `invalid://`):
 * verbatim, the login is refused rather than sending the user anywhere; the flows patch
 * IdpRedirectShortUrl to a page on the tenant.
 */
import { expect } from 'chai';
import { example, exampleResult, type JsonObject } from './cyberark-examples.js';
import { advance, expectError, expectLoggedIn, expectNotLoggedIn, oobStatus, start, useConformance, whoAmI, type Conformance } from './harness.js';

/** conjur's PIN request (identity_test.go). */
const pin = example('cnj-advance-oob-success').request! as { Answer: string };
const whoami = exampleResult('whoami');

const onTenant = (f: Conformance, pinRequired = true) => (body: JsonObject) => {
  const result = body.Result as JsonObject;
  result.IdpRedirectShortUrl = `${f.up.url}/s/${String(result.IdpShortUrlId)}`;
  result.IdpOobAuthPinRequired = pinRequired;
};

describe('CyberArk conformance: federated user with a PIN (federatedLogin)', () => {
  const f = useConformance({ provider: { federatedLogin: true } });

  it('shows the sign-in page, sends the PIN as OOBAUTHPIN with the IdpLoginSessionId, reads the user from WhoAmI', async () => {
    f.up.script(
      start('cnj-start-external-pin', { oobIdpAuth: true }, { patch: onTenant(f) }),
      advance('cnj-advance-oob-success', { session: 'idp', mechanismId: 'OOBAUTHPIN', action: 'Answer', answer: pin.Answer }),
      whoAmI(),
    );
    const c = f.client();
    await c.start('user@corp.example');
    expect(c.step!.kind).to.equal('pending');
    const [link] = c.step!.mechanisms;
    expect(link).to.include({ type: 'link', url: `${f.up.url}/s/short_id`, acceptsCode: true });
    const done = await c.answer(pin.Answer);
    await expectLoggedIn(f, c, done, { username: whoami.User as string, displayName: exampleResult('cnj-advance-oob-success').DisplayName as string });
  });

  it('a wrong PIN (advance_failure) fails the login', async () => {
    f.up.script(start('cnj-start-external-pin', {}, { patch: onTenant(f) }), advance('cnj-advance-failure', { session: 'idp', mechanismId: 'OOBAUTHPIN', action: 'Answer', answer: '000111' }));
    const c = f.client();
    await c.start('user@corp.example');
    const failed = await c.answer('000111');
    expectError(failed, 'AUTH_FAILED', 401);
    expect(failed.json.error.details.upstreamErrorId).to.equal(f.up.lastErrorId);
    f.up.verify();
    await expectNotLoggedIn(c);
  });

  it('the file verbatim: sign-in URLs that are not http(s) are never handed out (MECHANISM_UNSUPPORTED)', async () => {
    f.up.script(start('cnj-start-external-pin'));
    const res = await f.client().start('user@corp.example');
    expectError(res, 'MECHANISM_UNSUPPORTED', 422);
    expect(res.text).to.not.match(/for_test_only|invalid:\/\//);
    f.up.verify();
  });

  it('without a PIN, refused unless allowFederatedWithoutPin (a forwarded link would log in whoever started)', async () => {
    f.up.script(start('cnj-start-external-pin', {}, { patch: onTenant(f, false) }));
    const res = await f.client().start('user@corp.example');
    expectError(res, 'MECHANISM_UNSUPPORTED', 422);
    expect(res.text).to.not.include('/s/short_id');
    f.up.verify();
  });
});

describe('CyberArk conformance: federated user without a PIN (allowFederatedWithoutPin)', () => {
  const f = useConformance({ provider: { federatedLogin: true, allowFederatedWithoutPin: true } });

  it('polls OobAuthStatus with the IdpLoginSessionId: Pending, then Success with a token (user from WhoAmI)', async () => {
    f.up.script(start('cnj-start-external-pin', {}, { patch: onTenant(f, false) }), oobStatus('oob-status-pending'), oobStatus('cnj-oob-status-success'), whoAmI());
    const c = f.client();
    await c.start('user@corp.example');
    expect(c.step!.mechanisms[0]).to.include({ type: 'link', acceptsCode: false });
    expect((await c.poll()).json.step.kind).to.equal('pending');
    await expectLoggedIn(f, c, await c.poll(), { username: whoami.User as string });
    expect(f.tokens.at(-1)!.expiresIn).to.equal(exampleResult('cnj-oob-status-success').TokenLifetime);
  });

  it('State "failed" (oob_status_failure) fails the login', async () => {
    f.up.script(start('cnj-start-external-pin', {}, { patch: onTenant(f, false) }), oobStatus('cnj-oob-status-failure'));
    const c = f.client();
    await c.start('user@corp.example');
    expectError(await c.poll(), 'AUTH_FAILED', 401);
    f.up.verify();
  });
});

describe('CyberArk conformance: federated user without federatedLogin', () => {
  const f = useConformance();

  it('is MECHANISM_UNSUPPORTED, and the OobIdPAuth header was never sent', async () => {
    f.up.script(start('cnj-start-external-pin', { oobIdpAuth: false }, { patch: onTenant(f) }));
    expectError(await f.client().start('user@corp.example'), 'MECHANISM_UNSUPPORTED', 422);
    f.up.verify();
  });
});
