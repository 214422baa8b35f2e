/**
 * The demo's MFA_SETUP front for cognito-local (examples/server-rendered/cognito-mfa-setup.ts),
 * called directly as the provider calls it: every answer it makes itself fits AWS's own service
 * model of the operation (aws-sdk v2's apis/cognito-idp-2016-04-18.min.json, installed with
 * cognito-local; the same check as documented-responses.test.ts), its faults are AWS JSON 1.1
 * faults, its Sessions are refused out of order, twice or too late, and everything else is
 * cognito-local's own answer, unchanged.
 */
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { startMfaSetupFront, type MfaSetupFront } from '../../examples/server-rendered/cognito-mfa-setup.js';
import { totpAt } from '../../lib/testing/idcs/totp.js';
import { startCognitoLocal, type CognitoLocal } from '../support/cognito-local.js';

interface ModelShape { type?: string; shape?: string; members?: Record<string, ModelShape>; required?: string[]; value?: ModelShape }
const model: { operations: Record<string, { input: ModelShape; output: ModelShape }>; shapes: Record<string, ModelShape> } =
  createRequire(createRequire(import.meta.url).resolve('cognito-local'))('aws-sdk/apis/cognito-idp-2016-04-18.min.json');

/** Problems of `value` against a model shape (empty: it fits): member names, required members, types. */
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
    default:
      return typeof value === 'string' ? [] : [`${path}: not a string`];
  }
}

interface Answer { status: number; headers: Headers; json: any }

describe('the demo\'s MFA_SETUP front for cognito-local', function () {
  this.timeout(20_000);
  let local: CognitoLocal;
  let front: MfaSetupFront;
  let poolId: string;
  let clientId: string;
  const setUp = new Map<string, string>();
  const associated: string[] = [];

  before(async () => {
    local = await startCognitoLocal();
    poolId = (await local.call('CreateUserPool', { PoolName: 'front', MfaConfiguration: 'OPTIONAL' })).UserPool.Id;
    clientId = (await local.call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'front', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).UserPoolClient.ClientId;
    for (const name of ['mia', 'max', 'pat']) {
      await local.call('AdminCreateUser', { UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS', TemporaryPassword: `${name}-pw`, UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }] });
      await local.call('AdminSetUserPassword', { UserPoolId: poolId, Username: name, Password: `${name}-pw`, Permanent: true });
    }
    front = await startMfaSetupFront({
      target: local.url,
      needsSetup: (username) => username === 'mia' || username === 'max', // pat: password only
      onAssociated: (username) => associated.push(username),
      onSetUp: (username, secret) => setUp.set(username, secret),
      sessionValidityMs: 1_000,
    });
  });
  after(async () => {
    await front?.close();
    await local?.close();
  });

  /** One AWS JSON 1.1 call to the front; a 200 answer is checked against the model's output shape. */
  async function call(operation: string, body: Record<string, unknown>): Promise<Answer> {
    const response = await fetch(`${front.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (response.status === 200) expect(misfits(json, model.operations[operation]!.output, `${operation} answer`), JSON.stringify(json)).to.deep.equal([]);
    return { status: response.status, headers: response.headers, json };
  }
  const initiate = (username: string) => call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: `${username}-pw` } });
  /** An AWS JSON 1.1 fault ("Common errors"): HTTP 400, `{ __type, message }`, the name in x-amzn-ErrorType. */
  const expectFault = (answer: Answer, type: string, message?: string) => {
    expect(answer.status, JSON.stringify(answer.json)).to.equal(400);
    expect(answer.headers.get('content-type')).to.equal('application/x-amz-json-1.1');
    expect(answer.headers.get('x-amzn-errortype')).to.equal(`${type}:`);
    expect(Object.keys(answer.json).sort()).to.deep.equal(['__type', 'message']);
    expect(answer.json.__type).to.equal(type);
    if (message) expect(answer.json.message).to.equal(message);
  };
  const expired = 'Invalid session for the user, session is expired.';

  it('mia: MFA_SETUP, AssociateSoftwareToken, a refused code, VerifySoftwareToken, then the tokens cognito-local gave', async () => {
    const challenge = await initiate('mia');
    expect(challenge.status).to.equal(200);
    // [InitiateAuth]: exactly these three members, MFAS_CAN_SETUP a JSON array in a string.
    expect(challenge.json).to.have.all.keys('ChallengeName', 'ChallengeParameters', 'Session');
    expect(challenge.json).to.deep.include({ ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } });

    const key = await call('AssociateSoftwareToken', { Session: challenge.json.Session });
    expect(key.json).to.have.all.keys('SecretCode', 'Session');
    expect(key.json.SecretCode).to.match(/^[A-Z2-7]{16,}$/);
    expect(key.json.Session).to.not.equal(challenge.json.Session);
    expect(associated).to.deep.equal(['mia']);

    const right = totpAt(key.json.SecretCode, Date.now());
    const wrong = await call('VerifySoftwareToken', { Session: key.json.Session, UserCode: right === '000000' ? '111111' : '000000', FriendlyDeviceName: 'Phone' });
    expectFault(wrong, 'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
    expect(setUp.has('mia')).to.equal(false);
    // The Session stays valid for another code.
    const verified = await call('VerifySoftwareToken', { Session: key.json.Session, UserCode: totpAt(key.json.SecretCode, Date.now()), FriendlyDeviceName: 'Phone' });
    expect(verified.json).to.have.all.keys('Status', 'Session');
    expect(verified.json.Status).to.equal('SUCCESS');
    expect(setUp.get('mia')).to.equal(key.json.SecretCode);

    const done = await call('RespondToAuthChallenge', { ChallengeName: 'MFA_SETUP', ClientId: clientId, ChallengeResponses: { USERNAME: 'mia' }, Session: verified.json.Session });
    expect(done.json).to.have.all.keys('AuthenticationResult', 'ChallengeParameters');
    expect(done.json.ChallengeParameters).to.deep.equal({});
    expect(done.json.AuthenticationResult.IdToken).to.be.a('string');
    // The Session is spent.
    expectFault(await call('RespondToAuthChallenge', { ChallengeName: 'MFA_SETUP', ClientId: clientId, ChallengeResponses: { USERNAME: 'mia' }, Session: verified.json.Session }), 'NotAuthorizedException', expired);

    // Set up in cognito-local's own record: its own SOFTWARE_TOKEN_MFA next time, passed on unchanged.
    const next = await initiate('mia');
    expect(next.json.ChallengeName).to.equal('SOFTWARE_TOKEN_MFA');
    expect(next.json.ChallengeParameters).to.deep.include({ FRIENDLY_DEVICE_NAME: 'Phone' });
    const signedIn = await call('RespondToAuthChallenge', {
      ChallengeName: 'SOFTWARE_TOKEN_MFA', ClientId: clientId, Session: next.json.Session,
      ChallengeResponses: { USERNAME: 'mia', SOFTWARE_TOKEN_MFA_CODE: totpAt(key.json.SecretCode, Date.now()) },
    });
    expect(signedIn.json.AuthenticationResult.IdToken).to.be.a('string');
  });

  it('its Sessions are refused out of order, twice, for another user, and after their validity', async () => {
    const first = (await initiate('max')).json.Session;
    // The tokens before the setup is done: refused, and the Session is gone.
    expectFault(await call('RespondToAuthChallenge', { ChallengeName: 'MFA_SETUP', ClientId: clientId, ChallengeResponses: { USERNAME: 'max' }, Session: first }), 'NotAuthorizedException', expired);
    expectFault(await call('AssociateSoftwareToken', { Session: first }), 'NotAuthorizedException', expired);

    const second = (await initiate('max')).json.Session;
    const key = (await call('AssociateSoftwareToken', { Session: second })).json;
    expectFault(await call('AssociateSoftwareToken', { Session: second }), 'NotAuthorizedException', expired); // used once
    const verified = (await call('VerifySoftwareToken', { Session: key.Session, UserCode: totpAt(key.SecretCode, Date.now()) })).json;
    expect(verified.Status).to.equal('SUCCESS');
    // Another user's name with it: refused (and spent).
    expectFault(await call('RespondToAuthChallenge', { ChallengeName: 'MFA_SETUP', ClientId: clientId, ChallengeResponses: { USERNAME: 'mia' }, Session: verified.Session }), 'NotAuthorizedException', expired);

    // max is set up now; a third user who needs setup would wait too long: here, a Session past its validity.
    const late = await front.close().then(async () => {
      front = await startMfaSetupFront({ target: local.url, needsSetup: (u) => u === 'pat', sessionValidityMs: 50 });
      return (await initiate('pat')).json.Session as string;
    });
    await new Promise((r) => setTimeout(r, 120));
    expectFault(await call('AssociateSoftwareToken', { Session: late }), 'NotAuthorizedException', expired);
  });

  it('passes on everything else unchanged: a user who needs no setup, a refused password, a Session not its own, the JWKS', async () => {
    const direct = async (operation: string, body: Record<string, unknown>) => {
      const response = await fetch(`${local.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: await response.json() };
    };
    await front.close();
    front = await startMfaSetupFront({ target: local.url, needsSetup: () => false });
    const pat = await initiate('pat');
    expect(pat.json.AuthenticationResult.IdToken).to.be.a('string');
    const badPassword = { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'pat', PASSWORD: 'wrong' } };
    const refused = await call('InitiateAuth', badPassword);
    expect(refused).to.deep.include(await direct('InitiateAuth', badPassword));
    const notOurs = await call('AssociateSoftwareToken', { Session: 'a-session-of-cognito-local' });
    expect(notOurs).to.deep.include(await direct('AssociateSoftwareToken', { Session: 'a-session-of-cognito-local' }));
    expect(notOurs.json.message).to.match(/not supported/);
    const jwks = await fetch(`${front.url}/${poolId}/.well-known/jwks.json`);
    expect(jwks.status).to.equal(200);
    expect(await jwks.json()).to.deep.equal(await (await fetch(`${local.url}/${poolId}/.well-known/jwks.json`)).json());
  });
});
