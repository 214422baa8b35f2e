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
 * - [Model] AWS's own service model of the API (aws-sdk v2's apis/cognito-idp-2016-04-18.min.json,
 *   installed with cognito-local): after each test, every request the provider sent and every
 *   scripted 200 answer is checked against the operation's input / output shape (member names,
 *   required members, string maps, integers). The model also marks these four operations
 *   `"authtype": "none"`: no SigV4.
 */
import { expect } from 'chai';
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MockAgent } from 'undici';
import type { Profile, UpstreamTokens } from '../../lib/index.js';
import { cognito, type CognitoOptions } from '../../lib/providers/cognito/provider.js';
import { secretHash } from '../../lib/providers/cognito/secret-hash.js';
import { N, k, modPow, padHex } from '../../lib/providers/cognito/srp.js';
import { startApp, type TestApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';

const region = 'eu-west-1';
const userPoolId = 'eu-west-1_AbCdEfGhI';
const clientId = '1h57kf5cpq17m0eml12EXAMPLE';
const origin = `https://cognito-idp.${region}.amazonaws.com`;
const issuer = `${origin}/${userPoolId}`;
const sub = 'd2f0c3a8-1111-2222-3333-444455556666';

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** [Model]: aws-sdk v2's model of the user pools API (a dependency of cognito-local, resolved from there). */
interface ModelShape { type?: string; shape?: string; members?: Record<string, ModelShape>; required?: string[]; value?: ModelShape }
const model: { metadata: { targetPrefix: string; jsonVersion: string }; operations: Record<string, { input: ModelShape; output: ModelShape; authtype?: string }>; shapes: Record<string, ModelShape> } =
  createRequire(createRequire(import.meta.url).resolve('cognito-local'))('aws-sdk/apis/cognito-idp-2016-04-18.min.json');

/** Problems of `value` against a model shape (empty: it fits). */
function misfits(value: unknown, shape: ModelShape, path: string): string[] {
  const s = shape.shape ? { ...model.shapes[shape.shape]!, ...shape, shape: undefined } : shape;
  switch (s.type ?? 'string') {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
      const out = (s.required ?? []).filter((k) => !(k in value)).map((k) => `${path}.${k}: required, missing`);
      for (const [k, v] of Object.entries(value)) {
        const member = s.members?.[k];
        out.push(...(member ? misfits(v, member, `${path}.${k}`) : [`${path}.${k}: not in the model`]));
      }
      return out;
    }
    case 'map':
      if (typeof value !== 'object' || value === null) return [`${path}: not a map`];
      return Object.entries(value).flatMap(([k, v]) => misfits(v, s.value ?? {}, `${path}[${k}]`));
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    default:
      return typeof value === 'string' ? [] : [`${path}: not a string`];
  }
}

/** One request the provider made: the operation (from X-Amz-Target), its headers and JSON body. */
interface Seen { operation: string; headers: Record<string, string>; body: any }
/** One scripted answer: a JSON body (200), or a fault. A function sees the request first. */
type Reply = object | { fault: string; message: string; status?: number; headers?: Record<string, string> } | ((seen: Seen) => object);

const ok = (body: object) => ({ statusCode: 200, data: JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' } } });

describe('Cognito against AWS-documented answers (MockAgent)', function () {
  this.timeout(20_000);
  let agent: MockAgent;
  let app: TestApp | undefined;
  let seen: Seen[];
  let answered: Array<{ operation: string; body: object }>;
  let verified: { profile: Profile; tokens: UpstreamTokens } | undefined;
  let signingKey: KeyLike;
  let jwks: object;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') {
      const problems = [
        ...seen.flatMap((s) => misfits(s.body, model.operations[s.operation]!.input, `${s.operation} request`)),
        ...answered.flatMap((a) => misfits(a.body, model.operations[a.operation]!.output, `${a.operation} answer`)),
      ];
      expect(problems, 'requests and scripted answers against AWS\'s service model').to.deep.equal([]);
      for (const s of seen) expect(model.operations[s.operation]!.authtype).to.equal('none');
    }
    await app?.close();
    app = undefined;
    await agent?.close();
  });

  /** An ID token as the pool issues one (Developer Guide, "Understanding the identity (ID) token"). */
  const idToken = (username = sub, extra: Record<string, unknown> = {}) => new SignJWT({ token_use: 'id', 'cognito:username': username, email: 'ann@example.com', email_verified: true, name: 'Ann Example', auth_time: Math.floor(Date.now() / 1000), ...extra })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(sub).setIssuer(issuer).setAudience(clientId)
    .setIssuedAt().setExpirationTime('1h').sign(signingKey);

  /** [Result]: the tokens, ExpiresIn 3600, TokenType "Bearer"; no ChallengeParameters content. */
  const tokens = async () => ({
    AuthenticationResult: { AccessToken: 'eyJraWQiOiJhY2Nlc3MiLCJhbGciOiJSUzI1NiJ9.e30.c2ln', ExpiresIn: 3600, IdToken: await idToken(), RefreshToken: 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.cmVmcmVzaA', TokenType: 'Bearer' },
    ChallengeParameters: {},
  });

  async function script(replies: Reply[], options: Partial<CognitoOptions> = {}): Promise<LoginClient> {
    agent = new MockAgent();
    agent.disableNetConnect();
    seen = [];
    answered = [];
    verified = undefined;
    const queue = [...replies];
    const pool = agent.get(origin);
    // The pool's JWKS, as AWS serves it at <issuer>/.well-known/jwks.json.
    pool.intercept({ path: `/${userPoolId}/.well-known/jwks.json`, method: 'GET' })
      .reply(200, JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } }).persist();
    pool.intercept({ path: '/', method: 'POST' }).reply((opts) => {
      const headers = Object.fromEntries(Object.entries(opts.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const request: Seen = { operation: headers['x-amz-target']!.replace('AWSCognitoIdentityProviderService.', ''), headers, body: JSON.parse(String(opts.body)) };
      seen.push(request);
      const queued = queue.shift();
      if (queued === undefined) return { statusCode: 500, data: '{"__type":"InternalErrorException","message":"no more replies"}' };
      const next: object | { fault: string; message: string; status?: number; headers?: Record<string, string> } = typeof queued === 'function' ? queued(request) : queued;
      if ('fault' in next) {
        return {
          statusCode: next.status ?? 400,
          data: JSON.stringify({ __type: next.fault, message: next.message }),
          responseOptions: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${next.fault}:`, 'x-amzn-requestid': 'req-f', ...next.headers } },
        };
      }
      answered.push({ operation: request.operation, body: next });
      return ok(next);
    }).persist();
    app = await startApp({
      providerInstance: cognito({ region, userPoolId, clientId, ...options }),
      strategy: { http: { dispatcher: agent } },
      onVerify: (profile, t) => { verified = { profile, tokens: t }; },
    });
    return new LoginClient(app.url);
  }

  /** Every request is AWS JSON 1.1 with the operation in X-Amz-Target ("Making API requests"). */
  const expectAwsJson = () => {
    for (const s of seen) {
      expect(s.headers['content-type']).to.equal('application/x-amz-json-1.1');
      expect(s.headers['x-amz-target']).to.match(/^AWSCognitoIdentityProviderService\.(InitiateAuth|RespondToAuthChallenge|AssociateSoftwareToken|VerifySoftwareToken)$/);
      expect(s.headers['x-amz-target']!.split('.')[0]).to.equal(model.metadata.targetPrefix);
      expect(s.headers['content-type']).to.equal(`application/x-amz-json-${model.metadata.jsonVersion}`);
    }
  };

  const passwordAuth: Partial<CognitoOptions> = { authFlow: 'USER_PASSWORD_AUTH' };
  const session = (n: number) => `AYABeEXAMPLE-session-${n}-${'x'.repeat(40)}`;

  describe('USER_SRP_AUTH, checked by a server side of the SRP exchange', () => {
    // The pool's side of SRP-6a as AWS's client expects it (the mirror of srp.ts, with Node's own
    // HKDF): verifier v = g^x, B = k·v + g^b, S = (A·v^u)^b. The proof is checked, not just its presence.
    // The group, padding, k and modular power are srp.ts's own (test/cognito/srp.test.ts checks them
    // against AWS's client); the pool's side of the exchange below is written out here.
    const pad = padHex;
    const H = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
    const pow = (b: bigint, e: bigint) => modPow(b, e, N);
    const poolName = 'AbCdEfGhI';
    const password = 'Correct-horse-1';
    const saltHex = randomBytes(16).toString('hex');
    const x = BigInt(`0x${H(pad(BigInt(`0x${saltHex}`)) + createHash('sha256').update(`${poolName}${sub}:${password}`).digest('hex'))}`);
    const v = pow(2n, x);
    const secretBlock = randomBytes(64).toString('base64');
    const clientSecret = 'client-secret-EXAMPLE';

    /** Answers InitiateAuth with PASSWORD_VERIFIER and keeps b and A for the proof check. */
    function passwordVerifier() {
      const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
      const B = (k * v + pow(2n, b)) % N;
      const state = { b, B, A: 0n };
      const challenge = (s: Seen) => {
        state.A = BigInt(`0x${s.body.AuthParameters.SRP_A}`);
        // [InitiateAuth] PASSWORD_VERIFIER: "supply PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, and
        // TIMESTAMP after the client-side SRP calculations"; parameters as [AWS client] reads them
        // (SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP; USERNAME too). No Session: the SECRET_BLOCK carries
        // the state (AWS's client forwards data.Session whatever it is).
        return { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { SALT: saltHex, SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: sub, USER_ID_FOR_SRP: sub } };
      };
      const expectedSignature = (timestamp: string) => {
        const u = BigInt(`0x${H(pad(state.A) + pad(state.B))}`);
        const S = pow(state.A * pow(v, u), state.b);
        const key = Buffer.from(hkdfSync('sha256', Buffer.from(pad(S), 'hex'), Buffer.from(pad(u), 'hex'), 'Caldera Derived Key', 16));
        return createHmac('sha256', key).update(Buffer.concat([Buffer.from(poolName), Buffer.from(sub), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)])).digest('base64');
      };
      return { challenge, expectedSignature };
    }

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
      expect(verified!.profile).to.deep.include({ provider: 'cognito', id: sub, displayName: 'Ann Example' });
      expect(verified!.tokens).to.deep.include({ expiresIn: 3600, tokenType: 'Bearer' });
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
    await app!.close();
    app = undefined;
    await agent.close();
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
