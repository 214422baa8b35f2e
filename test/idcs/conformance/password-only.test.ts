/** Replay: user name and password only (Oracle: "Authentication Without MFA"). */
import { expect } from 'chai';
import { exampleBody } from './oracle-examples.js';
import { expectLoggedIn, get, post, sentBodies, useConformance } from './harness.js';

describe('IDCS conformance: password only', () => {
  const f = useConformance();

  it('GET with the app token, credSubmit, then the JWT-bearer grant and /admin/v1/Me make the user', async () => {
    f.up.script(
      get('start-password'),
      post('password-success', {
        op: 'credSubmit', credentials: ['username', 'password'],
        check: (body) => expect(body.credentials).to.deep.equal({ username: 'admin@oracle.com', password: 'Secret-pw-1' }),
      }),
    );
    const client = f.client();
    const started = await client.start('admin@oracle.com');
    expect(started.status).to.equal(200);
    expect(client.step!.kind).to.equal('answer');
    expect(client.step!.mechanisms).to.have.length(1);
    expect(client.step!.mechanisms[0]).to.include({ type: 'password' });
    await expectLoggedIn(f, client, await client.answer('Secret-pw-1'));
    expect(f.up.calls('authenticate')[0]!.query).to.deep.equal({ appName: 'ConformanceApp' });
    // The password never reaches the browser, nor does any requestState.
    for (const body of sentBodies(f)) if (typeof body.requestState === 'string') expect(started.text).to.not.include(body.requestState);
  });

  it('takes the user from the SCIM record, not from the authnToken (which has no user claims)', async () => {
    f.up.script(get('start-password-no-ecid'), post('password-success-ecid', { op: 'credSubmit', credentials: ['username', 'password'] }));
    const me = exampleBody('scim-me');
    f.up.me = { ...me, id: '0f3c2b1a9e8d4c7b6a5f4e3d2c1b0a99', userName: 'kim.lee@example.com', displayName: 'Kim Lee', name: { formatted: 'Kim Lee', familyName: 'Lee', givenName: 'Kim' } };
    const client = f.client();
    await client.start('kim.lee@example.com');
    await expectLoggedIn(f, client, await client.answer('pw'));
  });

  it('uses one app token for several logins', async () => {
    for (let i = 0; i < 2; i++) {
      f.up.script(get('start-password'), post('password-success', { op: 'credSubmit', credentials: ['username', 'password'] }));
      const client = f.client();
      await client.start('admin@oracle.com');
      await expectLoggedIn(f, client, await client.answer('pw'));
    }
    expect(f.up.grants('client_credentials').length).to.be.at.most(1);
  });
});
