/**
 * Replay: the app's access token stops working mid-login. IDCS answers 401 with an HTML
 * body (idcsAuthnSDK.js: "IDCS sends 401 status with HTML content when the access token
 * expires"); the provider fetches one new client_credentials token and replays the call.
 */
import { expect } from 'chai';
import { expectLoggedIn, get, post, useConformance } from './harness.js';

describe('IDCS conformance: app token renewed mid-login', () => {
  const f = useConformance();

  it('one HTML 401: one new client_credentials token, the same call replayed with it, the login completes', async () => {
    f.up.script(
      get('start-password'),
      post('app-token-rejected-html', { op: 'credSubmit', credentials: ['username', 'password'] }, { revokeAppTokens: true }),
      post('password-success', { op: 'credSubmit', credentials: ['username', 'password'], requestState: 'reused' }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    const tokensBefore = f.up.grants('client_credentials').length;
    const done = await client.answer('pw');
    expect(f.up.grants('client_credentials').length - tokensBefore).to.equal(1);
    const [refused, replayed] = f.up.calls('authenticate').slice(1);
    expect(replayed!.body).to.deep.equal(refused!.body);
    expect(replayed!.headers.authorization).to.not.equal(refused!.headers.authorization);
    await expectLoggedIn(f, client, done);
  });
});
