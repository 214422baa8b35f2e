/**
 * Cognito through the public routes, against cognito-local (test/support/cognito-local.ts).
 * cognito-local departs from AWS's documented behaviour in ways these tests name where they
 * matter: it has no USER_SRP_AUTH (USER_PASSWORD_AUTH is used here; SRP is covered by
 * srp.test.ts and documented-responses.test.ts), answers a wrong password with InvalidPasswordException
 * (AWS: NotAuthorizedException "Incorrect username or password."), does not check the Session,
 * and has no MFA_SETUP over a Session (covered with AWS-documented answers in documented-responses.test.ts).
 */
import { expect } from 'chai';
import { cognito } from '../../lib/providers/cognito/provider.js';
import { newTotpSecret, totpAt } from '../../lib/testing/idcs/totp.js';
import { startApp, type TestApp } from '../support/app.js';
import { startCognitoLocal, type CognitoLocal } from '../support/cognito-local.js';
import { LoginClient } from '../support/login-client.js';

describe('Cognito against cognito-local, through the routes', function () {
  this.timeout(20_000);
  let local: CognitoLocal;
  let app: TestApp;
  let poolId: string;
  let adminApp: TestApp;
  const verified: Array<{ profile: any; tokens: any }> = [];

  before(async () => {
    local = await startCognitoLocal();
    poolId = (await local.call('CreateUserPool', { PoolName: 'test', UsernameAttributes: [], MfaConfiguration: 'OPTIONAL' })).UserPool.Id;
    const clientId = (await local.call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'] })).UserPoolClient.ClientId;
    const user = async (name: string, attributes: Record<string, string> = {}, permanent = true) => {
      await local.call('AdminCreateUser', {
        UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS', TemporaryPassword: `${name}-temp-1A`,
        UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }, ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))],
      });
      if (permanent) await local.call('AdminSetUserPassword', { UserPoolId: poolId, Username: name, Password: `${name}-pw`, Permanent: true });
    };
    await user('ann', { name: 'Ann Example' });
    await user('sam', { phone_number: '+15555556098' });
    await local.patchUser(poolId, 'sam', { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] });
    await user('tom');
    await local.patchUser(poolId, 'tom', { SoftwareTokenMfaConfiguration: { Secret: totpSecret, Verified: true }, UserMFASettingList: ['SOFTWARE_TOKEN_MFA'] });
    await user('nia', {}, false);
    app = await startApp({
      providerInstance: cognito({ region: 'local', userPoolId: poolId, clientId, endpoint: `${local.url}/`, authFlow: 'USER_PASSWORD_AUTH' }),
      onVerify: (profile, tokens) => verified.push({ profile, tokens }),
    });
    // cognito-local takes AdminInitiateAuth without checking the signature (the signature itself is
    // checked against an independent SigV4 implementation in admin-flow.test.ts).
    adminApp = await startApp({
      providerInstance: cognito({
        region: 'local', userPoolId: poolId, clientId, endpoint: `${local.url}/`, authFlow: 'ADMIN_USER_PASSWORD_AUTH',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret-key-EXAMPLE' },
      }),
      onVerify: (profile, tokens) => verified.push({ profile, tokens }),
    });
  });
  after(async () => {
    await adminApp?.close();
    await app?.close();
    await local?.close();
  });

  const totpSecret = newTotpSecret();

  it('password only: the ID token is verified, the profile comes from its claims, tokens go to verify', async () => {
    const c = new LoginClient(app.url);
    await c.start('ann');
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.mechanisms[0]!.type).to.equal('password');
    await c.answer('ann-pw');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    const { profile, tokens } = verified.at(-1)!;
    expect(profile.provider).to.equal('cognito');
    expect(profile.username).to.equal('ann');
    expect(profile.emails[0].value).to.equal('ann@example.com');
    expect(tokens.idToken).to.be.a('string');
    expect(tokens.accessToken).to.be.a('string');
    expect(tokens.refreshToken).to.be.a('string');
    expect((await c.me()).user.username).to.equal('ann');
  });

  it('a user name that does not exist gets the same answer as a wrong password', async () => {
    const wrong = new LoginClient(app.url);
    await wrong.start('ann');
    await wrong.answer('not-her-password');
    const unknown = new LoginClient(app.url);
    await unknown.start('nobody-here');
    await unknown.answer('whatever-pw');
    expect(wrong.last!.status).to.equal(401);
    expect(unknown.last!.status).to.equal(wrong.last!.status);
    expect(unknown.last!.json.error).to.deep.equal(wrong.last!.json.error);
    expect(wrong.last!.json.error.code).to.equal('AUTH_FAILED');
    // The password may be typed again in the same login.
    await wrong.answer('ann-pw');
    expect(wrong.last!.json.step?.kind).to.equal('done');
  });

  it('SMS code: a wrong code first (retried with the same Session), then the right one', async () => {
    const c = new LoginClient(app.url);
    await c.start('sam');
    await c.answer('sam-pw');
    const m = c.step!.mechanisms[0]!;
    expect(m.type).to.equal('otp');
    expect(m.maskedAddress).to.equal('•••• 6098');
    expect(m.label).to.equal('Text message to •••• 6098');
    const code = local.lastCode('sam')!;
    await c.answer(code === '000000' ? '111111' : '000000');
    expect(c.last!.status).to.equal(401);
    expect(c.last!.json.error.code).to.equal('WRONG_ANSWER');
    await c.answer(code);
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(verified.at(-1)!.profile.username).to.equal('sam');
  });

  it('new password required: the new password is set, then the login completes', async () => {
    const c = new LoginClient(app.url);
    await c.start('nia');
    await c.answer('nia-temp-1A');
    expect(c.step!.mechanisms[0]!.type).to.equal('new-password');
    await c.answer('Nia-new-pw-2');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    const again = new LoginClient(app.url);
    await again.start('nia');
    await again.answer('Nia-new-pw-2');
    expect(again.last!.json.step?.kind).to.equal('done');
  });

  it('sign-in with TOTP (the app was set up beforehand: cognito-local has no MFA_SETUP over a Session)', async () => {
    const c = new LoginClient(app.url);
    await c.start('tom');
    await c.answer('tom-pw');
    expect(c.step!.mechanisms[0]!.label).to.equal('Authenticator app code');
    await c.answer('12345x');
    expect(c.last!.json.error.code).to.equal('WRONG_ANSWER');
    await c.answer(totpAt(totpSecret, Date.now()));
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
  });

  it('ADMIN_USER_PASSWORD_AUTH: the password signs in; a wrong one and an unknown name get the same AUTH_FAILED', async () => {
    const c = new LoginClient(adminApp.url);
    await c.start('ann');
    await c.answer('ann-pw');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(verified.at(-1)!.profile.username).to.equal('ann');
    const wrong = new LoginClient(adminApp.url);
    await wrong.start('ann');
    await wrong.answer('not-her-password');
    const unknown = new LoginClient(adminApp.url);
    await unknown.start('nobody-here');
    await unknown.answer('whatever-pw');
    expect(wrong.last!.json.error.code).to.equal('AUTH_FAILED');
    expect({ status: unknown.last!.status, error: unknown.last!.json.error }).to.deep.equal({ status: wrong.last!.status, error: wrong.last!.json.error });
  });
});
