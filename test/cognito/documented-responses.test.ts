/**
 * Cognito through the public routes against AWS-documented answers, scripted with undici's
 * MockAgent on the real endpoint (`https://cognito-idp.eu-west-1.amazonaws.com/`): what
 * cognito-local cannot answer (USER_SRP_AUTH, MFA_SETUP over a Session, SELECT_MFA_TYPE,
 * EMAIL_OTP, the lock-out, throttling and expired-Session faults). One outcome per test.
 *
 * Sources of the shapes, field names and messages, named again at each fixture:
 * - [InitiateAuth] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 *   (Response syntax: AuthenticationResult | ChallengeName, ChallengeParameters, Session; the challenge list)
 * - [Respond] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 *   and [ChallengeResponses] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChallengeResponseType.html
 * - [Associate] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
 *   (SecretCode, Session) and [Verify] …/API_VerifySoftwareToken.html (Status SUCCESS | ERROR, Session)
 * - [Result] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AuthenticationResultType.html
 * - [Errors] "Common errors" and each operation's Errors section: HTTP 400, `{"__type", "message"}`,
 *   header `x-amzn-ErrorType`; [CommonErrors] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
 * - [AWS client] node_modules/amazon-cognito-identity-js/src/CognitoUser.js: the request each step
 *   sends (authenticateUserDefaultAuth, sendMFASelectionAnswer, associateSoftwareToken,
 *   verifySoftwareToken), hence the field names checked here.
 * - [Lockout] amazon-archives/amazon-cognito-identity-js issues #479 and #506 (messages "Incorrect
 *   username or password." and "Password attempts exceeded" as Cognito sends them); Developer Guide
 *   "Authentication flows" (temporary lockout after five failed sign-ins).
 * - [Expired] "Invalid session for the user, session is expired." as AWS sends it for a Session past
 *   the app client's AuthSessionValidity (quoted verbatim in AWS sample code and emulators; AWS's
 *   reference documents NotAuthorizedException only by name).
 * - [Model] AWS's own model of the API, as the v3 SDK ships it (aws-sdk-model.ts, checked by the
 *   mock-pool.ts fixture after each test): every request and scripted answer, and SigV4 exactly on
 *   the operations the model signs (none of these four).
 */
import { expect } from 'chai';
import type { CognitoOptions } from '../../lib/providers/cognito/provider.js';
import { secretHash } from '../../lib/providers/cognito/secret-hash.js';
import { newTotpSecret, totpAt } from '../../lib/testing/idcs/totp.js';
import { LoginClient } from '../support/login-client.js';
import { clientId, sub, useMockPool, type Seen } from './mock-pool.js';
import { srpPool } from './srp-pool.js';

describe('Cognito against AWS-documented answers (MockAgent)', function () {
  this.timeout(20_000);
  const pool = useMockPool();
  const { seen, script, tokens, session, expectAwsJson } = pool;

  const passwordAuth: Partial<CognitoOptions> = { authFlow: 'USER_PASSWORD_AUTH' };

  describe('USER_SRP_AUTH, checked by a server side of the SRP exchange', () => {
    const password = 'Correct-horse-1';
    const clientSecret = 'client-secret-EXAMPLE';
    const { passwordVerifier, secretBlock } = srpPool(password);

    it('InitiateAuth with SRP_A, PASSWORD_VERIFIER answered with a proof the pool accepts, then the tokens', async () => {
      const srp = passwordVerifier();
      const done = await tokens();
      let accepted = false;
      const c = await script([srp.challenge, (s: Seen) => {
        accepted = s.body.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE === srp.expectedSignature(s.body.ChallengeResponses.TIMESTAMP);
        return accepted ? done : { fault: 'NotAuthorizedException', message: 'Incorrect username or password.' };
      }], { clientSecret });
      await c.start('ann@example.com');
      await c.answer(password);
      expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
      expect(accepted).to.equal(true);
      const [initiate, respond] = seen;
      expect(initiate!.operation).to.equal('InitiateAuth');
      expect(initiate!.body).to.deep.include({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId });
      expect(initiate!.body.AuthParameters).to.have.all.keys('USERNAME', 'SRP_A', 'SECRET_HASH');
      expect(initiate!.body.AuthParameters.USERNAME).to.equal('ann@example.com');
      expect(initiate!.body.AuthParameters.SECRET_HASH).to.equal(secretHash(clientSecret, 'ann@example.com', clientId));
      expect(initiate!.body.AuthParameters).to.not.have.property('PASSWORD');
      expect(respond!.operation).to.equal('RespondToAuthChallenge');
      expect(respond!.body).to.deep.include({ ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId });
      expect(respond!.body).to.not.have.property('Session');
      const r = respond!.body.ChallengeResponses;
      expect(r).to.have.all.keys('PASSWORD_CLAIM_SIGNATURE', 'PASSWORD_CLAIM_SECRET_BLOCK', 'TIMESTAMP', 'USERNAME', 'SECRET_HASH');
      expect(r.PASSWORD_CLAIM_SECRET_BLOCK).to.equal(secretBlock);
      expect(r.TIMESTAMP).to.match(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/);
      // [AWS client]: USERNAME after PASSWORD_VERIFIER is USER_ID_FOR_SRP, and SECRET_HASH follows it.
      expect(r.USERNAME).to.equal(sub);
      expect(r.SECRET_HASH).to.equal(secretHash(clientSecret, sub, clientId));
      expectAwsJson();
      expect(pool.verified!.profile).to.deep.include({ provider: 'cognito', id: sub, displayName: 'Ann Example' });
      expect(pool.verified!.tokens).to.deep.include({ expiresIn: 3600, tokenType: 'Bearer' });
      expect(JSON.stringify(seen)).to.not.include(password);
    });

    it('a wrong password makes a proof the pool refuses: AUTH_FAILED, and the password may be typed again', async () => {
      const first = passwordVerifier();
      const second = passwordVerifier();
      const goodTokens = await tokens();
      const check = (srp: ReturnType<typeof passwordVerifier>) => (s: Seen) =>
        s.body.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE === srp.expectedSignature(s.body.ChallengeResponses.TIMESTAMP)
          ? goodTokens
          // [Lockout]: the message of a wrong password (and, with prevent-user-existence-errors, an unknown user).
          : { fault: 'NotAuthorizedException', message: 'Incorrect username or password.' };
      const c = await script([first.challenge, check(first), second.challenge, check(second)]);
      await c.start('ann@example.com');
      await c.answer('Wrong-horse-1');
      expect(c.last!.status).to.equal(401);
      expect(c.last!.json.error.code).to.equal('AUTH_FAILED');
      await c.answer(password);
      expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
      expect(seen.map((s) => s.operation)).to.deep.equal(['InitiateAuth', 'RespondToAuthChallenge', 'InitiateAuth', 'RespondToAuthChallenge']);
    });
  });

  it('MFA_SETUP: AssociateSoftwareToken shows the SecretCode, VerifySoftwareToken with its Session, then MFA_SETUP signs in', async () => {
    const done = await tokens();
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const c = await script([
      // [InitiateAuth] MFA_SETUP: "The MFA types enabled for the user pool will be listed in the challenge
      // parameters MFAS_CAN_SETUP value" (a JSON array in a string, as every list parameter).
      { ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, Session: session(1) },
      // [Associate] response: SecretCode, Session.
      { SecretCode: secret, Session: session(2) },
      // [Verify] response: Status "SUCCESS" | "ERROR", Session.
      { Status: 'SUCCESS', Session: session(3) },
      done,
    ], { ...passwordAuth, qrCode: (url) => `data:image/png;base64,${Buffer.from(url).toString('base64')}` });
    await c.start('ann');
    await c.answer('Ann-pw-1');
    const m = c.step!.mechanisms[0]!;
    expect(m).to.include({ type: 'otp', enroll: true, secret });
    expect(Buffer.from(m.qrCode!.split(',')[1]!, 'base64').toString()).to.equal(`otpauth://totp/Cognito:ann?secret=${secret}&issuer=Cognito`);
    await c.answer('123456');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen.map((s) => s.operation)).to.deep.equal(['InitiateAuth', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'RespondToAuthChallenge']);
    // [AWS client] associateSoftwareToken / verifySoftwareToken: the latest Session each time.
    expect(seen[1]!.body).to.deep.equal({ Session: session(1) });
    expect(seen[2]!.body).to.deep.equal({ Session: session(2), UserCode: '123456', FriendlyDeviceName: 'Authenticator app' });
    expect(seen[3]!.body).to.deep.equal({ ChallengeName: 'MFA_SETUP', ClientId: clientId, ChallengeResponses: { USERNAME: 'ann' }, Session: session(3) });
    expectAwsJson();
  });

  it('MFA_SETUP then the next sign-in: the key shown is the one the pool checks codes against (SOFTWARE_TOKEN_MFA)', async () => {
    // The pool side: one key, given out by AssociateSoftwareToken, checked by VerifySoftwareToken and
    // by every later SOFTWARE_TOKEN_MFA answer (RFC 6238, 30 s, 6 digits: what Cognito's TOTP is).
    const key = newTotpSecret();
    const matches = (code: string) => [-1, 0, 1].some((w) => totpAt(key, Date.now() + w * 30_000) === code);
    const done = await tokens();
    const again = await tokens();
    const c = await script([
      { ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, Session: session(1) },
      { SecretCode: key, Session: session(2) },
      (s: Seen) => (matches(s.body.UserCode) ? { Status: 'SUCCESS', Session: session(3) } : { fault: 'EnableSoftwareTokenMFAException', message: 'Code mismatch and fail enable Software Token MFA' }),
      done,
      // [InitiateAuth] SOFTWARE_TOKEN_MFA once the user has an authenticator app.
      { ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {}, Session: session(4) },
      (s: Seen) => (matches(s.body.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE) ? again : { fault: 'CodeMismatchException', message: 'Invalid code received for user' }),
    ], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    // The user's authenticator app, fed with the key the page shows.
    const shown = c.step!.mechanisms[0]!.secret!;
    await c.answer(totpAt(shown, Date.now()));
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    const next = new LoginClient(pool.app!.url);
    await next.start('ann');
    await next.answer('Ann-pw-1');
    expect(next.step!.mechanisms[0]!.label).to.equal('Authenticator app code');
    await next.answer(totpAt(shown, Date.now()));
    expect(next.last!.json.step?.kind, JSON.stringify(next.last!.json)).to.equal('done');
    expect(seen.map((s) => s.operation)).to.deep.equal(['InitiateAuth', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'RespondToAuthChallenge', 'InitiateAuth', 'RespondToAuthChallenge']);
  });

  it('NEW_PASSWORD_REQUIRED with required attributes, on the built-in page: one input each, sent as userAttributes.<name>', async () => {
    const done = await tokens();
    const c = await script([
      // [InitiateAuth] NEW_PASSWORD_REQUIRED: "requiredAttributes" lists what the user must also set, as a JSON
      // array of "userAttributes.<name>" in a string ([AWS client] newPasswordRequired callback); userAttributes
      // holds the current ones (as JSON, which the provider does not read).
      { ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: { USER_ID_FOR_SRP: sub, requiredAttributes: '["userAttributes.given_name","userAttributes.family_name"]', userAttributes: '{"email":"ann@example.com"}' }, Session: session(1) },
      done,
    ], passwordAuth, {}, { render: undefined }); // the built-in pages
    await c.start('ann');
    await c.answer('Temp-pw-1');
    // The same browser, now asking for pages: the step page, and what its form posts.
    const html = { accept: 'text/html' };
    const page = await c.browser.send('GET', `/login/step?tx=${encodeURIComponent(c.tx)}`, undefined, html);
    const form = /<form[^>]*action="\/login\/answer"[^>]*>([\s\S]*?)<\/form>/.exec(page.text)![1]!;
    const inputs = [...form.matchAll(/<input\b([^>]*)>/g)].map(([, a]) => Object.fromEntries([...a!.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v])));
    expect(inputs.filter((i) => i.name?.startsWith('answer')).map((i) => [i.name, i.type, i.autocomplete])).to.deep.equal([
      ['answer[newPassword]', 'password', 'new-password'], ['answer[given_name]', 'text', 'given-name'], ['answer[family_name]', 'text', 'family-name'],
    ]);
    const posted: Record<string, string> = Object.fromEntries(inputs.filter((i) => i.name && i.type === 'hidden').map((i) => [i.name, i.value ?? '']));
    Object.assign(posted, { 'answer[newPassword]': 'New-horse-2', 'answer[given_name]': 'Ann', 'answer[family_name]': 'Example' });
    const answered = await c.browser.send('POST', '/login/answer', undefined, html, { body: new URLSearchParams(posted).toString(), contentType: 'application/x-www-form-urlencoded' });
    expect(answered.status, answered.text.slice(0, 300)).to.equal(303);
    expect(seen[1]!.body).to.deep.equal({
      ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: clientId, Session: session(1),
      // [ChallengeResponses] NEW_PASSWORD_REQUIRED: NEW_PASSWORD, and each required attribute as userAttributes.<name>.
      ChallengeResponses: { NEW_PASSWORD: 'New-horse-2', 'userAttributes.given_name': 'Ann', 'userAttributes.family_name': 'Example', USERNAME: sub },
    });
    expect(pool.verified!.profile.id).to.equal(sub);
  });

  it('MFA_SETUP: a code VerifySoftwareToken refuses (EnableSoftwareTokenMFAException) is WRONG_ANSWER, retried on the same key', async () => {
    const done = await tokens();
    const c = await script([
      { ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, Session: session(1) },
      { SecretCode: 'JBSWY3DPEHPK3PXP', Session: session(2) },
      // [Verify] Errors: EnableSoftwareTokenMFAException "This exception is thrown when there is a code mismatch
      // and the service fails to configure the software token TOTP multi-factor authentication (MFA)."
      { fault: 'EnableSoftwareTokenMFAException', message: 'Code mismatch and fail enable Software Token MFA' },
      { Status: 'SUCCESS', Session: session(3) },
      done,
    ], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    await c.answer('000000');
    expect(c.last!.status).to.equal(401);
    expect(c.last!.json.error.code).to.equal('WRONG_ANSWER');
    await c.answer('123456');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    // UNVERIFIED against a pool: that the Session of AssociateSoftwareToken stays valid after the refusal.
    expect(seen[3]!.body.Session).to.equal(session(2));
  });

  it('SELECT_MFA_TYPE: the choice is sent as ANSWER, then the authenticator code with the latest Session', async () => {
    const done = await tokens();
    const c = await script([
      // [InitiateAuth] SELECT_MFA_TYPE: "Selects the MFA type. Valid MFA options are SMS_MFA for SMS message MFA,
      // EMAIL_OTP for email message MFA, and SOFTWARE_TOKEN_MFA for time-based one-time password (TOTP)
      // software token MFA." The options come as MFAS_CAN_CHOOSE ([AWS client] selectMFAType callback).
      { ChallengeName: 'SELECT_MFA_TYPE', ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: sub }, Session: session(1) },
      // [ChallengeResponses] SOFTWARE_TOKEN_MFA is answered with SOFTWARE_TOKEN_MFA_CODE.
      { ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {}, Session: session(2) },
      done,
    ], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.step!.kind).to.equal('select');
    expect(c.step!.mechanisms.map((m) => m.label)).to.deep.equal(['Text message', 'Authenticator app code']);
    await c.act('select', { mechanism: c.step!.mechanisms[1]!.id });
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.mechanisms[0]!.label).to.equal('Authenticator app code');
    await c.answer('654321');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    // [AWS client] sendMFASelectionAnswer: USERNAME and ANSWER, with the Session.
    expect(seen[1]!.body).to.deep.equal({ ChallengeName: 'SELECT_MFA_TYPE', ClientId: clientId, ChallengeResponses: { ANSWER: 'SOFTWARE_TOKEN_MFA', USERNAME: sub }, Session: session(1) });
    expect(seen[2]!.body).to.deep.equal({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ClientId: clientId, ChallengeResponses: { SOFTWARE_TOKEN_MFA_CODE: '654321', USERNAME: sub }, Session: session(2) });
    expectAwsJson();
  });

  it('EMAIL_OTP: the masked address is shown, the code goes back as EMAIL_OTP_CODE', async () => {
    const done = await tokens();
    const c = await script([
      // [InitiateAuth] EMAIL_OTP: "Next challenge is to supply an EMAIL_OTP_CODE, delivered via email."
      // Parameters as for SMS_MFA: CODE_DELIVERY_DELIVERY_MEDIUM and the masked CODE_DELIVERY_DESTINATION.
      { ChallengeName: 'EMAIL_OTP', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'a***@e***', USER_ID_FOR_SRP: sub }, Session: session(1) },
      done,
    ], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    const m = c.step!.mechanisms[0]!;
    expect(m.type).to.equal('otp');
    expect(m.label).to.match(/^E-mail/i);
    await c.answer('24681357');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    // [ChallengeResponses] EMAIL_OTP: {"EMAIL_OTP_CODE": "[code]", "USERNAME": "[username]"}.
    expect(seen[1]!.body).to.deep.equal({ ChallengeName: 'EMAIL_OTP', ClientId: clientId, ChallengeResponses: { EMAIL_OTP_CODE: '24681357', USERNAME: sub }, Session: session(1) });
  });

  it('NotAuthorizedException "Password attempts exceeded" → ACCOUNT_LOCKED (the login ends)', async () => {
    // [Lockout]: the exception and message Cognito sends while a user is locked out.
    const c = await script([{ fault: 'NotAuthorizedException', message: 'Password attempts exceeded' }], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.last!.status).to.equal(423);
    expect(c.last!.json.error.code).to.equal('ACCOUNT_LOCKED');
  });

  it('TooManyRequestsException → RATE_LIMITED with retryAfterSeconds (Retry-After when sent, 60 s otherwise)', async () => {
    // [InitiateAuth] Errors: TooManyRequestsException "This exception is thrown when the user has made too many
    // requests for a given operation." HTTP 400.
    let c = await script([{ fault: 'TooManyRequestsException', message: 'Too many requests', headers: { 'retry-after': '7' } }], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.last!.status).to.equal(429);
    expect(c.last!.json.error.code).to.equal('RATE_LIMITED');
    expect(c.last!.json.error.details.retryAfterSeconds).to.equal(7);
    expect(c.last!.headers['retry-after']).to.equal('7');
    c = await script([{ fault: 'TooManyRequestsException', message: 'Too many requests' }], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.last!.json.error.code).to.equal('RATE_LIMITED');
    expect(c.last!.json.error.details.retryAfterSeconds).to.equal(60);
  });

  it('an expired Session (NotAuthorizedException "Invalid session for the user, session is expired.") → TRANSACTION_EXPIRED', async () => {
    const c = await script([
      // [InitiateAuth] SMS_MFA with the masked number (CODE_DELIVERY_DESTINATION "+*******6098").
      { ChallengeName: 'SMS_MFA', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******6098', USER_ID_FOR_SRP: sub }, Session: session(1) },
      // [Expired]: the answer to a Session older than the app client's AuthSessionValidity.
      { fault: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' },
    ], passwordAuth);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.step!.mechanisms[0]!.label).to.equal('Text message to •••• 6098');
    await c.answer('123456');
    expect(c.last!.status).to.equal(410);
    expect(c.last!.json.error.code).to.equal('TRANSACTION_EXPIRED');
    // The login is over: answering again is refused without another call upstream.
    const calls = seen.length;
    await c.answer('123456');
    expect(c.last!.json.error.code).to.not.equal(undefined);
    expect(seen.length).to.equal(calls);
  });
});
