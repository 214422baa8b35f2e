/**
 * The mocha fixture of the Cognito tests that script AWS-documented answers with undici's
 * MockAgent on the real endpoint (`https://cognito-idp.eu-west-1.amazonaws.com/`): the pool's
 * JWKS, a queue of answers for `POST /`, what the provider sent, what verify received, and after
 * every passing test the check of every request and scripted answer against AWS's own model
 * (aws-sdk-model.ts: the v3 SDK's schemas, enums and auth scheme per operation: the unsigned
 * operations carry no Authorization header, the admin ones a SigV4 one).
 *
 * Sources of the shapes, named again at each fixture in the tests:
 * - [InitiateAuth] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 *   (Response syntax: AuthenticationResult | ChallengeName, ChallengeParameters, Session, AvailableChallenges)
 * - [Result] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AuthenticationResultType.html
 * - [Errors] "Common errors" and each operation's Errors section: HTTP 400, `{"__type", "message"}`,
 *   header `x-amzn-ErrorType`.
 * - [IdToken] Developer Guide, "Understanding the identity (ID) token".
 */
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MockAgent } from 'undici';
import type { MultiStepStrategyOptions, Profile, UpstreamTokens } from '../../lib/index.js';
import { cognito, type CognitoOptions } from '../../lib/providers/cognito/provider.js';
import { startApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { collectSecrets } from '../support/log-capture.js';
import { LoginClient } from '../support/login-client.js';
import { authScheme, misfits } from './aws-sdk-model.js';

export const region = 'eu-west-1';
export const userPoolId = 'eu-west-1_AbCdEfGhI';
export const clientId = '1h57kf5cpq17m0eml12EXAMPLE';
export const origin = `https://cognito-idp.${region}.amazonaws.com`;
export const issuer = `${origin}/${userPoolId}`;
export const sub = 'd2f0c3a8-1111-2222-3333-444455556666';

/** One request the provider made: the operation (from X-Amz-Target), its headers (lower-case) and JSON body. */
export interface Seen { operation: string; headers: Record<string, string>; body: any; raw: string }
/** A fault as AWS sends one. */
export interface Fault { fault: string; message: string; status?: number; headers?: Record<string, string> }
/** One scripted answer: a JSON body (200), or a fault. A function sees the request first. */
export type Reply = object | Fault | ((seen: Seen) => object);

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface MockPool {
  /** The requests of the current script, in order (the same array throughout). */
  readonly seen: Seen[];
  /** The 200 answers given, in order. */
  readonly answered: Array<{ operation: string; body: object }>;
  /** The test app of the current script (its `serverErrors`: what reached the app's error handler). */
  readonly app: TestApp | undefined;
  /** What verify received last. */
  readonly verified: { profile: Profile; tokens: UpstreamTokens } | undefined;
  /** Starts the test app on a new MockAgent answering `replies` in turn (a previous one is closed). */
  script(replies: Reply[], options?: Partial<CognitoOptions>, strategy?: Partial<MultiStepStrategyOptions>, router?: TestAppOptions['router']): Promise<LoginClient>;
  /** An ID token as the pool issues one, signed with the key of the pool's JWKS. */
  idToken(username?: string, extra?: Record<string, unknown>): Promise<string>;
  /** [Result]: the tokens, ExpiresIn 3600, TokenType "Bearer"; no ChallengeParameters content. */
  tokens(): Promise<object>;
  /** A Session value as AWS hands them out (long, opaque). */
  session(n: number): string;
  /** Every request is AWS JSON 1.1 with the operation in X-Amz-Target ("Making API requests"). */
  expectAwsJson(): void;
}

const answer = (body: object) => ({ statusCode: 200, data: JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' } } });

/** The secret values of a request: passwords, SRP proofs, codes, the Session, SigV4 signatures; not the names or choices. */
function secretsSent(s: Seen): unknown[] {
  const open = new Set(['USERNAME', 'ANSWER', 'PREFERRED_CHALLENGE', 'TIMESTAMP']);
  const params = { ...s.body.AuthParameters, ...s.body.ChallengeResponses };
  return [...Object.entries(params).filter(([k]) => !open.has(k)).map(([, v]) => v), s.body.Session, s.body.UserCode, s.headers.authorization, s.headers['x-amz-security-token']];
}

/** The secret values of an answer: the Session, a TOTP key, the tokens. */
function secretsAnswered(body: any): unknown[] {
  return [body.Session, body.SecretCode, body.AuthenticationResult?.IdToken, body.AuthenticationResult?.AccessToken, body.AuthenticationResult?.RefreshToken];
}

export function useMockPool(): MockPool {
  let agent: MockAgent | undefined;
  let app: TestApp | undefined;
  let signingKey: KeyLike;
  let jwks: object;
  let verified: MockPool['verified'];
  const seen: Seen[] = [];
  const answered: MockPool['answered'] = [];

  const close = async () => {
    await app?.close();
    app = undefined;
    await agent?.close();
    agent = undefined;
  };

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signingKey = pair.privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  });
  afterEach(async function () {
    // What went to and came from the pool is checked against the whole suite's logs and audit events (hooks.ts).
    collectSecrets([{ body: { password: [...seen.map(secretsSent), ...answered.map((a) => secretsAnswered(a.body))] } }]);
    if (this.currentTest?.state === 'passed') {
      const problems = [
        ...seen.flatMap((s) => misfits(s.operation, 'input', s.body)),
        ...answered.flatMap((a) => misfits(a.operation, 'output', a.body)),
      ];
      expect(problems, "requests and scripted answers against AWS's model (v3 SDK)").to.deep.equal([]);
      for (const s of seen) {
        const signed = authScheme(s.operation) === 'sigv4';
        expect(s.headers.authorization !== undefined, `${s.operation}: signed exactly when the model says SigV4`).to.equal(signed);
      }
    }
    await close();
  });

  const pool: MockPool = {
    seen,
    answered,
    get verified() { return verified; },
    get app() { return app; },
    idToken: (username = sub, extra = {}) => new SignJWT({ token_use: 'id', 'cognito:username': username, email: 'ann@example.com', email_verified: true, name: 'Ann Example', auth_time: Math.floor(Date.now() / 1000), ...extra })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject(sub).setIssuer(issuer).setAudience(clientId)
      .setIssuedAt().setExpirationTime('1h').sign(signingKey),
    tokens: async () => ({
      AuthenticationResult: { AccessToken: 'eyJraWQiOiJhY2Nlc3MiLCJhbGciOiJSUzI1NiJ9.e30.c2ln', ExpiresIn: 3600, IdToken: await pool.idToken(), RefreshToken: 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.cmVmcmVzaA', TokenType: 'Bearer' },
      ChallengeParameters: {},
    }),
    session: (n) => `AYABeEXAMPLE-session-${n}-${'x'.repeat(40)}`,
    async script(replies, options = {}, strategy = {}, router = {}) {
      await close();
      agent = new MockAgent();
      agent.disableNetConnect();
      seen.length = 0;
      answered.length = 0;
      verified = undefined;
      const queue = [...replies];
      const upstream = agent.get(origin);
      // The pool's JWKS, as AWS serves it at <issuer>/.well-known/jwks.json.
      upstream.intercept({ path: `/${userPoolId}/.well-known/jwks.json`, method: 'GET' })
        .reply(200, JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } }).persist();
      upstream.intercept({ path: '/', method: 'POST' }).reply((opts) => {
        const headers = Object.fromEntries(Object.entries(opts.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), String(v)]));
        const raw = String(opts.body);
        const request: Seen = { operation: headers['x-amz-target']!.replace('AWSCognitoIdentityProviderService.', ''), headers, body: JSON.parse(raw), raw };
        seen.push(request);
        const queued = queue.shift();
        if (queued === undefined) return { statusCode: 500, data: '{"__type":"InternalErrorException","message":"no more replies"}' };
        const next: object | Fault = typeof queued === 'function' ? queued(request) : queued;
        if ('fault' in next) {
          return {
            statusCode: next.status ?? 400,
            data: JSON.stringify({ __type: next.fault, message: next.message }),
            responseOptions: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${next.fault}:`, 'x-amzn-requestid': 'req-f', ...next.headers } },
          };
        }
        answered.push({ operation: request.operation, body: next });
        return answer(next);
      }).persist();
      app = await startApp({
        providerInstance: cognito({ region, userPoolId, clientId, ...options }),
        strategy: { ...strategy, http: { dispatcher: agent } },
        router,
        onVerify: (profile, t) => { verified = { profile, tokens: t }; },
      });
      return new LoginClient(app.url);
    },
    expectAwsJson() {
      for (const s of seen) {
        expect(s.headers['content-type']).to.equal('application/x-amz-json-1.1');
        expect(s.headers['x-amz-target']).to.match(/^AWSCognitoIdentityProviderService\.(Admin)?(InitiateAuth|RespondToAuthChallenge|AssociateSoftwareToken|VerifySoftwareToken)$/);
      }
    },
  };
  return pool;
}
