/**
 * The demo's Cognito pool (examples/server-rendered/cognito-demo.ts, cognito-local in process,
 * behind the demo's MFA_SETUP front, cognito-mfa-setup.ts): every demo user signs in as the home
 * page says, through the public routes.
 */
import { expect } from 'chai';
import { cognito } from '../../lib/providers/cognito/provider.js';
import { startCognitoDemo, type CognitoDemo } from '../../examples/server-rendered/cognito-demo.js';
import { totpAt } from '../../lib/testing/idcs/totp.js';
import { startApp, type TestApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';

describe('Cognito demo users (cognito-local)', function () {
  this.timeout(20_000);
  let demo: CognitoDemo;
  let app: TestApp;

  before(async () => {
    demo = await startCognitoDemo();
    app = await startApp({ providerInstance: cognito(demo.options) });
  });
  after(async () => {
    await app?.close();
    await demo?.close();
  });

  /** The code the phone page shows last (an SMS code, or the user's authenticator code). */
  const phoneCode = (user: string, kind: 'sms' | 'app' | 'setting-up') => {
    const html = demo.phonePage();
    const re = kind === 'sms'
      ? new RegExp(`<code>(\\d{6})</code> for <strong>${user}</strong>`)
      : kind === 'app'
        ? new RegExp(`<strong>${user}</strong>: <code>(\\d{6})</code>`)
        : new RegExp(`<strong>${user}</strong> \\(setting up\\): <code>(\\d{6})</code>`);
    return re.exec(html)?.[1];
  };
  /** The codes of `secret` for this 30-second window and the ones next to it (the window may turn between two reads). */
  const around = (secret: string) => {
    const now = Date.now();
    return [totpAt(secret, now - 30_000), totpAt(secret, now), totpAt(secret, now + 30_000)];
  };
  const done = (c: LoginClient) => expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');

  it('casey: password only', async () => {
    const c = new LoginClient(app.url);
    await c.startWithPassword('casey');
    done(c);
    // cognito-local's ID token carries only email, email_verified and custom: attributes (AWS: every
    // attribute the app client may read, `name` included), so the profile falls back to the e-mail.
    expect((await c.me()).user.displayName).to.equal('casey@example.com');
  });

  it('sid: password, then the SMS code the phone page shows', async () => {
    const c = new LoginClient(app.url);
    await c.startWithPassword('sid');
    expect(c.step!.mechanisms[0]!.label).to.equal('Text message to •••• 6098');
    await c.answer(phoneCode('sid', 'sms'));
    done(c);
  });

  it('tia: password, then the authenticator app code', async () => {
    const c = new LoginClient(app.url);
    await c.startWithPassword('tia');
    expect(c.step!.mechanisms[0]!.label).to.equal('Authenticator app code (Demo phone)'); // FRIENDLY_DEVICE_NAME
    await c.answer(phoneCode('tia', 'app'));
    done(c);
  });

  it('cole: a choice of SMS or authenticator app (SELECT_MFA_TYPE); SMS chosen', async () => {
    const c = new LoginClient(app.url);
    await c.startWithPassword('cole');
    expect(c.step!.kind).to.equal('select');
    expect(c.step!.mechanisms.map((m) => m.label)).to.deep.equal(['Text message', 'Authenticator app code']);
    await c.act('select', { mechanism: c.step!.mechanisms[0]!.id });
    expect(c.step!.mechanisms[0]!.label).to.equal('Text message to •••• 0142');
    await c.answer(phoneCode('cole', 'sms'));
    done(c);
  });

  it('nina: temporary password, then a new one', async () => {
    const c = new LoginClient(app.url);
    await c.startWithPassword('nina');
    expect(c.step!.mechanisms[0]!.type).to.equal('new-password');
    await c.answer('Nina-new-pw-2');
    done(c);
  });

  it('mona: MFA required and no method yet: sets up an authenticator app (a wrong code first), then signs in with it', async () => {
    expect(demo.users.map((u) => u.username)).to.deep.equal(['casey', 'sid', 'tia', 'cole', 'nina', 'mona']);
    // Nothing on the phone page for mona before she sets anything up.
    expect(demo.phonePage()).to.not.include('<strong>mona</strong>');
    const c = new LoginClient(app.url);
    await c.startWithPassword('mona');
    // The password alone does not sign her in: MFA_SETUP, the key from AssociateSoftwareToken.
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('answer');
    const setup = c.step!.mechanisms[0]!;
    expect(setup).to.include({ id: 'setup-totp', type: 'otp', enroll: true });
    expect(setup.secret).to.match(/^[A-Z2-7]{16,}$/);
    expect(c.step!.message).to.equal('Set up an authenticator app to finish signing in.');
    expect(await c.me()).to.not.have.nested.property('user.id');
    // The phone page shows the code of the key being set up: what an authenticator app shows for it.
    const code = phoneCode('mona', 'setting-up');
    expect(around(setup.secret!)).to.include(code);
    expect(phoneCode('mona', 'app')).to.equal(undefined);

    // A wrong code: VerifySoftwareToken refuses it (EnableSoftwareTokenMFAException), retried on the same key.
    await c.answer(code === '000000' ? '111111' : '000000');
    expect(c.last!.status).to.equal(401);
    expect(c.last!.json.error.code).to.equal('WRONG_ANSWER');
    expect(c.last!.json.error.details.upstreamCode).to.equal('EnableSoftwareTokenMFAException');
    expect(c.step!.mechanisms[0]!.secret).to.equal(setup.secret);
    await c.answer(totpAt(setup.secret!, Date.now()));
    done(c);
    expect((await c.me()).user.displayName).to.equal('mona@example.com');
    // Set up: the phone page shows her app's code, like tia's.
    expect(around(setup.secret!)).to.include(phoneCode('mona', 'app'));
    expect(phoneCode('mona', 'setting-up')).to.equal(undefined);

    // The next sign-in asks for that app's code (cognito-local's own SOFTWARE_TOKEN_MFA now), no setup again.
    const again = new LoginClient(app.url);
    await again.startWithPassword('mona');
    const m = again.step!.mechanisms[0]!;
    expect(m.enroll, JSON.stringify(again.last!.json)).to.equal(undefined);
    expect(m.label).to.equal('Authenticator app code (Authenticator app)'); // FRIENDLY_DEVICE_NAME: the provider's totpDeviceName
    await again.answer(phoneCode('mona', 'app'));
    done(again);
  });

  it('the front forwards what it does not answer: the pool\'s JWKS, unchanged', async () => {
    const through = await fetch(`${demo.options.endpoint}${demo.options.userPoolId}/.well-known/jwks.json`);
    const direct = await fetch(`${demo.url}/${demo.options.userPoolId}/.well-known/jwks.json`);
    expect(through.status).to.equal(200);
    expect(await through.json()).to.deep.equal(await direct.json()).and.to.have.property('keys').with.length.greaterThan(0);
  });
});
