/**
 * The server-side ADMIN_USER_PASSWORD_AUTH flow against AWS-documented answers (MockAgent):
 * AdminInitiateAuth / AdminRespondToAuthChallenge, SigV4-signed. Sources:
 * - [AdminInitiateAuth] API reference: request UserPoolId, ClientId, AuthFlow (required),
 *   AuthParameters "ADMIN_USER_PASSWORD_AUTH: USERNAME (required), PASSWORD (required)"; "Amazon
 *   Cognito evaluates AWS Identity and Access Management (IAM) policies in requests for this API
 *   operation … you must use IAM credentials to authorize requests"; response as InitiateAuth's.
 * - [AdminRespond] API reference, AdminRespondToAuthChallenge: UserPoolId, ClientId, ChallengeName
 *   (required), ChallengeResponses, Session.
 * - [SigV4] AWS General Reference, "Signature Version 4 signing process"; service name `cognito-idp`
 *   (the v3 SDK's auth scheme for the two operations, checked by mock-pool.ts). The signature is
 *   recomputed here with an independent implementation, mhart's `aws4` package.
 * - [ContextData] API reference, ContextDataType: IpAddress, ServerName, ServerPath, HttpHeaders (required),
 *   EncodedData; "a request parameter of server-side authentication operations like AdminInitiateAuth and
 *   AdminRespondToAuthChallenge".
 * - [CommonErrors] API reference, "Common errors": AccessDeniedException (403), UnrecognizedClientException
 *   ("The security token included in the request is invalid", 400).
 */
import { expect } from 'chai';
import aws4 from 'aws4';
import { MultiStepError } from '../../lib/index.js';
import { cognito } from '../../lib/providers/cognito/provider.js';
import { capturedLogs } from '../support/log-capture.js';
import { clientId, origin, region, userPoolId, sub, useMockPool, type Seen } from './mock-pool.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** The Authorization header `aws4` computes for the same request, headers and date. */
function recomputed(s: Seen, creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): string {
  const signedNames = /SignedHeaders=([^,]+)/.exec(s.headers.authorization!)![1]!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedNames) if (name !== 'host') headers[name] = s.headers[name]!;
  // aws4 adds Content-Length to what it signs unless told not to; the request did not sign it.
  const request = { host: new URL(origin).host, method: 'POST', path: '/', service: 'cognito-idp', region, body: s.raw, headers, extraHeadersToIgnore: { 'content-length': true } };
  const signed = aws4.sign(request, creds);
  return String(signed.headers!.Authorization);
}

describe('Cognito ADMIN_USER_PASSWORD_AUTH (SigV4) against AWS-documented answers', function () {
  this.timeout(20_000);
  const pool = useMockPool();
  const { seen, script, tokens, session } = pool;
  const admin = { authFlow: 'ADMIN_USER_PASSWORD_AUTH' as const, credentials };

  it('AdminInitiateAuth then AdminRespondToAuthChallenge (SMS), each signed as aws4 signs it', async () => {
    const done = await tokens();
    const c = await script([
      // [AdminInitiateAuth] response: SMS_MFA with the masked number, as InitiateAuth's.
      { ChallengeName: 'SMS_MFA', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******6098', USER_ID_FOR_SRP: sub }, Session: session(1) },
      done,
    ], admin);
    c.browser.sendsHeaders = { 'user-agent': 'Mozilla/5.0 (test)' };
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.step!.mechanisms[0]!.label).to.equal('Text message to •••• 6098');
    await c.answer('123456');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen.map((s) => s.operation)).to.deep.equal(['AdminInitiateAuth', 'AdminRespondToAuthChallenge']);
    // [ContextData] the user's side of the request, for threat protection (on by default in this flow).
    const context = (path: string) => ({ IpAddress: '127.0.0.1', ServerName: new URL(pool.app!.url).host, ServerPath: path, HttpHeaders: [{ headerName: 'host', headerValue: new URL(pool.app!.url).host }, { headerName: 'user-agent', headerValue: 'Mozilla/5.0 (test)' }] });
    expect(seen[0]!.body).to.deep.equal({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: clientId, UserPoolId: userPoolId, AuthParameters: { USERNAME: 'ann', PASSWORD: 'Ann-pw-1' }, ContextData: context('/login/answer') });
    expect(seen[1]!.body).to.deep.equal({ ChallengeName: 'SMS_MFA', ClientId: clientId, UserPoolId: userPoolId, ChallengeResponses: { SMS_MFA_CODE: '123456', USERNAME: sub }, Session: session(1), ContextData: context('/login/answer') });
    for (const s of seen) {
      expect(s.headers.authorization).to.match(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/${region}/cognito-idp/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`));
      const names = /SignedHeaders=([^,]+)/.exec(s.headers.authorization!)![1]!.split(';');
      expect(names).to.include.members(['host', 'x-amz-date', 'x-amz-target', 'content-type']);
      expect(s.headers.authorization).to.equal(recomputed(s, credentials));
    }
    expect(pool.verified!.profile.id).to.equal(sub);
  });

  it('contextData: false sends no ContextData', async () => {
    const c = await script([await tokens()], { ...admin, contextData: false });
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(seen[0]!.body).to.not.have.property('ContextData');
  });

  it('temporary credentials from a function: X-Amz-Security-Token is sent and signed', async () => {
    const temporary = { ...credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLE-session-token' };
    let asked = 0;
    const c = await script([await tokens()], { authFlow: 'ADMIN_USER_PASSWORD_AUTH', credentials: async () => { asked++; return temporary; } });
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.last!.json.step?.kind, JSON.stringify(c.last!.json)).to.equal('done');
    expect(asked).to.equal(1);
    expect(seen[0]!.headers['x-amz-security-token']).to.equal(temporary.sessionToken);
    expect(/SignedHeaders=([^,]+)/.exec(seen[0]!.headers.authorization!)![1]!.split(';')).to.include('x-amz-security-token');
    expect(seen[0]!.headers.authorization).to.equal(recomputed(seen[0]!, temporary));
  });

  it('credentials IAM refuses (AccessDeniedException) → CONFIGURATION naming the IAM actions; nothing secret in the logs', async () => {
    const c = await script([{
      fault: 'AccessDeniedException', status: 403,
      message: 'User: arn:aws:iam::123456789012:user/app is not authorized to perform: cognito-idp:AdminInitiateAuth on resource: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEfGhI',
    }], admin);
    await c.start('ann');
    await c.answer('Ann-pw-1');
    // An operator's fault: it goes to the app's error handler (router.ts), with the fix in its message.
    expect(c.last!.status).to.equal(500);
    const [error] = pool.app!.serverErrors as MultiStepError[];
    expect(error).to.be.instanceOf(MultiStepError);
    expect(error!.code).to.equal('CONFIGURATION');
    expect(error!.message).to.include('cognito-idp:AdminInitiateAuth and cognito-idp:AdminRespondToAuthChallenge');
    expect(error!.details.upstreamCode).to.equal('AccessDeniedException');
    expect(capturedLogs.join('\n')).to.not.include(credentials.secretAccessKey);
    expect(JSON.stringify(c.last!.json)).to.not.include('AKIDEXAMPLE');
  });

  it('a credentials function that throws → CONFIGURATION, and no call is made', async () => {
    const c = await script([], { authFlow: 'ADMIN_USER_PASSWORD_AUTH', credentials: () => Promise.reject(new Error('no instance role')) });
    await c.start('ann');
    await c.answer('Ann-pw-1');
    expect(c.last!.status).to.equal(500);
    const [error] = pool.app!.serverErrors as MultiStepError[];
    expect(error!.code).to.equal('CONFIGURATION');
    expect(error!.message).to.match(/credentials/);
    expect(seen).to.have.length(0);
  });

  it('the admin flow needs credentials, and credentials are refused for the public flows', () => {
    expect(() => cognito({ region, userPoolId, clientId, authFlow: 'ADMIN_USER_PASSWORD_AUTH' })).to.throw(TypeError, /credentials/);
    expect(() => cognito({ region, userPoolId, clientId, authFlow: 'ADMIN_USER_PASSWORD_AUTH', credentials: { accessKeyId: '', secretAccessKey: 'x' } })).to.throw(TypeError, /accessKeyId/);
    expect(() => cognito({ region, userPoolId, clientId, credentials })).to.throw(TypeError, /only for authFlow 'ADMIN_USER_PASSWORD_AUTH'/);
  });
});
