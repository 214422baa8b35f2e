/**
 * The choice-based USER_AUTH flow through the public routes, against AWS-documented answers
 * (MockAgent; cognito-local has no USER_AUTH). Sources, named again at each fixture:
 * - [InitiateAuth] API reference, InitiateAuth: AuthParameters for USER_AUTH "USERNAME (required),
 *   PREFERRED_CHALLENGE. If you don't provide a value for PREFERRED_CHALLENGE, Amazon Cognito responds
 *   with the AvailableChallenges parameter that specifies the available sign-in methods"; response
 *   members ChallengeName, Session, ChallengeParameters, AvailableChallenges.
 * - [ChallengeResponses] API reference, RespondToAuthChallenge ChallengeResponses: SELECT_CHALLENGE
 *   `{"USERNAME", "ANSWER": "[Challenge name]"}` — PASSWORD with PASSWORD, PASSWORD_SRP with SRP_A
 *   (then PASSWORD_VERIFIER), SMS_OTP / EMAIL_OTP "respond with the username and answer. Your user
 *   pool will send a code for the user to submit in the next challenge response"; EMAIL_OTP answered
 *   with EMAIL_OTP_CODE.
 * - [Amplify] aws-amplify/amplify-js packages/auth/src/client/flows/userAuth (AWS's own client):
 *   handleUserAuthFlow (InitiateAuth USER_AUTH with PREFERRED_CHALLENGE, PASSWORD in AuthParameters
 *   for PASSWORD, SRP_A for PASSWORD_SRP), handleSelectChallengeWithPasswordSRP (SELECT_CHALLENGE
 *   with ANSWER PASSWORD_SRP and SRP_A, then PASSWORD_VERIFIER with the Session it returns).
 * - [Errors] CodeMismatchException (its message, "Invalid code or auth state for the user.", as quoted
 *   in aws-amplify/amplify-js issues #3066 and #11069; not relied on: faults map by `__type`);
 *   UserNotFoundException (a pool without prevent-user-existence-errors); NotAuthorizedException
 *   "Incorrect username or password.".
 */
import { expect } from 'chai';
import { clientId, sub, useMockPool, type Seen } from './mock-pool.js';
import { srpPool } from './srp-pool.js';

describe('Cognito USER_AUTH (choice-based sign-in) against AWS-documented answers', function () {
  this.timeout(20_000);
  const pool = useMockPool();
  const { seen, script, tokens, session } = pool;
  const userAuth = { authFlow: 'USER_AUTH' as const };
  const password = 'Correct-horse-1';

  /** [InitiateAuth]: SELECT_CHALLENGE with the methods this user has. */
  const selectChallenge = (available: string[], n = 1) => ({ ChallengeName: 'SELECT_CHALLENGE', ChallengeParameters: {}, AvailableChallenges: available, Session: session(n) });
  /** [ChallengeResponses]: the code challenge once the pool sent the e-mail; parameters as for EMAIL_OTP MFA. */
  const emailOtp = (n: number) => ({ ChallengeName: 'EMAIL_OTP', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'a***@e***' }, Session: session(n) });
  const mismatch = { fault: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' };

  it('the name alone starts it; the choice offers the password, an e-mail code and a text message, not passkeys', async () => {
    const c = await script([selectChallenge(['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'])], userAuth);
    await c.start('ann');
    expect(seen).to.have.length(1);
    expect(seen[0]!.body).to.deep.equal({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'ann' } });
    expect(c.step!.kind).to.equal('select');
    expect(c.step!.mechanisms.map((m) => m.type)).to.deep.equal(['password', 'otp', 'otp']);
    expect(c.step!.mechanisms.map((m) => m.label)).to.deep.equal(['Password', 'E-mail', 'Text message']);
  });

  it('an e-mail code: SELECT_CHALLENGE answered EMAIL_OTP, a wrong code retried, then the right one signs in', async () => {
    const done = await tokens();
    const c = await script([selectChallenge(['PASSWORD_SRP', 'EMAIL_OTP']), emailOtp(2), mismatch, done], userAuth);
    await c.start('ann');
    await c.select('E-mail');
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.mechanisms[0]!.type).to.equal('otp');
    expect(c.step!.mechanisms[0]!.resendable).to.equal(true);
    expect(c.step!.alternatives).to.equal(true);
    await c.answer('11111111');
    expect(c.last!.status).to.equal(401);
    expect(c.last!.json.error.code).to.equal('WRONG_ANSWER');
    await c.answer('24681357');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen[1]!.body).to.deep.equal({ ChallengeName: 'SELECT_CHALLENGE', ClientId: clientId, ChallengeResponses: { ANSWER: 'EMAIL_OTP', USERNAME: 'ann' }, Session: session(1) });
    expect(seen[2]!.body).to.deep.equal({ ChallengeName: 'EMAIL_OTP', ClientId: clientId, ChallengeResponses: { EMAIL_OTP_CODE: '11111111', USERNAME: 'ann' }, Session: session(2) });
    // UNVERIFIED against a pool: that the Session stays valid after CodeMismatchException (as for MFA codes).
    expect(seen[3]!.body.Session).to.equal(session(2));
    expect(pool.verified!.profile.id).to.equal(sub);
  });

  it('the password by SRP: SELECT_CHALLENGE answered PASSWORD_SRP with SRP_A, PASSWORD_VERIFIER with its Session; the password never leaves', async () => {
    const srp = srpPool(password).passwordVerifier({ Session: session(2) });
    const done = await tokens();
    const c = await script([selectChallenge(['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP']), srp.challenge, (s: Seen) => (srp.accepts(s) ? done : { fault: 'NotAuthorizedException', message: 'Incorrect username or password.' })], userAuth);
    await c.start('ann');
    await c.select('password');
    expect(seen).to.have.length(1); // choosing the password asks nothing yet
    await c.answer(password);
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen[1]!.body.ChallengeName).to.equal('SELECT_CHALLENGE');
    expect(seen[1]!.body.Session).to.equal(session(1));
    expect(seen[1]!.body.ChallengeResponses).to.have.all.keys('ANSWER', 'USERNAME', 'SRP_A');
    expect(seen[1]!.body.ChallengeResponses.ANSWER).to.equal('PASSWORD_SRP');
    expect(seen[2]!.body).to.deep.include({ ChallengeName: 'PASSWORD_VERIFIER', Session: session(2) });
    expect(seen[2]!.body.ChallengeResponses.USERNAME).to.equal(sub);
    expect(JSON.stringify(seen)).to.not.include(password);
  });

  it('a wrong password (PASSWORD only): AUTH_FAILED, and the next try starts afresh with PREFERRED_CHALLENGE', async () => {
    const done = await tokens();
    const c = await script([
      selectChallenge(['PASSWORD']),
      { fault: 'NotAuthorizedException', message: 'Incorrect username or password.' },
      done,
    ], userAuth);
    await c.start('ann');
    // One method: its step at once.
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.mechanisms[0]!.type).to.equal('password');
    expect(c.step!.alternatives).to.equal(undefined);
    await c.answer('Wrong-horse-1');
    expect(c.last!.status).to.equal(401);
    expect(c.last!.json.error.code).to.equal('AUTH_FAILED');
    await c.answer(password);
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen[1]!.body).to.deep.equal({ ChallengeName: 'SELECT_CHALLENGE', ClientId: clientId, ChallengeResponses: { ANSWER: 'PASSWORD', PASSWORD: 'Wrong-horse-1', USERNAME: 'ann' }, Session: session(1) });
    // [Amplify] handleUserAuthFlow: PREFERRED_CHALLENGE PASSWORD with the PASSWORD in AuthParameters.
    expect(seen[2]!.body).to.deep.equal({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'ann', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password } });
  });

  it('"send a new code" asks for the e-mail code again (InitiateAuth with PREFERRED_CHALLENGE), counted by the send limits', async () => {
    const done = await tokens();
    const c = await script([selectChallenge(['PASSWORD', 'EMAIL_OTP']), emailOtp(2), emailOtp(3), done], userAuth, { maxResends: 1, resendCooldownMs: 0 });
    await c.start('ann');
    await c.select('E-mail');
    await c.act('resend');
    expect(c.last!.status, JSON.stringify(c.last!.json)).to.equal(200);
    expect(seen[2]!.body).to.deep.equal({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'ann', PREFERRED_CHALLENGE: 'EMAIL_OTP' } });
    // maxResends 1: a second resend is refused here, without a call upstream.
    await c.act('resend');
    expect(c.last!.status).to.equal(429);
    expect(c.last!.json.error.code).to.equal('RATE_LIMITED');
    expect(seen).to.have.length(3);
    await c.answer('13572468');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen[3]!.body.Session).to.equal(session(3));
  });

  it('"try another way" goes back to the choice without a call; the password then starts afresh', async () => {
    const srp = srpPool(password).passwordVerifier({ Session: session(3) });
    const done = await tokens();
    const c = await script([selectChallenge(['PASSWORD_SRP', 'EMAIL_OTP']), emailOtp(2), srp.challenge, (s: Seen) => (srp.accepts(s) ? done : { fault: 'NotAuthorizedException', message: 'Incorrect username or password.' })], userAuth);
    await c.start('ann');
    await c.select('E-mail');
    await c.act('alternatives');
    expect(c.step!.kind).to.equal('select');
    expect(seen).to.have.length(2);
    await c.select('password');
    await c.answer(password);
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    // [Amplify] handlePasswordSRP with authFlow USER_AUTH: USERNAME, SRP_A and PREFERRED_CHALLENGE PASSWORD_SRP.
    expect(seen[2]!.body.AuthFlow).to.equal('USER_AUTH');
    expect(seen[2]!.body.AuthParameters).to.have.all.keys('USERNAME', 'SRP_A', 'PREFERRED_CHALLENGE');
    expect(seen[2]!.body.AuthParameters.PREFERRED_CHALLENGE).to.equal('PASSWORD_SRP');
  });

  it('contextData: true adds UserContextData with the user\'s address to InitiateAuth and RespondToAuthChallenge (off by default)', async () => {
    // UserContextDataType (API reference): IpAddress, EncodedData; read when the app client propagates it.
    const c = await script([selectChallenge(['PASSWORD', 'EMAIL_OTP']), emailOtp(2), await tokens()], { ...userAuth, contextData: true });
    await c.start('ann');
    await c.select('E-mail');
    await c.answer('24681357');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen.map((s) => s.body.UserContextData)).to.deep.equal([{ IpAddress: '127.0.0.1' }, { IpAddress: '127.0.0.1' }, { IpAddress: '127.0.0.1' }]);
  });

  it('an unknown name (UserNotFoundException) gets a password step and the very answer a wrong password gets', async () => {
    const wrong = await script([selectChallenge(['PASSWORD']), { fault: 'NotAuthorizedException', message: 'Incorrect username or password.' }], userAuth);
    await wrong.start('ann');
    await wrong.answer('Wrong-horse-1');
    const wrongAnswer = { status: wrong.last!.status, json: wrong.last!.json.error };

    const c = await script([{ fault: 'UserNotFoundException', message: 'User does not exist.' }], userAuth);
    await c.start('nobody');
    expect(c.step!.kind).to.equal('answer');
    expect(c.step!.mechanisms[0]!.type).to.equal('password');
    await c.answer('Any-horse-1');
    expect({ status: c.last!.status, json: c.last!.json.error }).to.deep.equal(wrongAnswer);
    expect(seen).to.have.length(1); // the password went nowhere
  });
});
