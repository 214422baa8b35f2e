/**
 * The demo's Cognito pool (examples/server-rendered/cognito-demo.ts, cognito-local in process):
 * every demo user signs in as the home page says, through the public routes.
 */
import { expect } from 'chai';
import { cognito } from '../../lib/providers/cognito/provider.js';
import { startCognitoDemo, type CognitoDemo } from '../../examples/server-rendered/cognito-demo.js';
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
  const phoneCode = (user: string, kind: 'sms' | 'app') => {
    const html = demo.phonePage();
    const re = kind === 'sms'
      ? new RegExp(`<code>(\\d{6})</code> for <strong>${user}</strong>`)
      : new RegExp(`<strong>${user}</strong>: <code>(\\d{6})</code>`);
    return re.exec(html)?.[1];
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
});
