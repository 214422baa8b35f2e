/**
 * THE DEMO'S STAND-IN FOR WHAT COGNITO-LOCAL LACKS: setting up an authenticator app during
 * sign-in (the MFA_SETUP challenge). Demo only; the library never uses this, and its tests of
 * MFA_SETUP against AWS's documented answers are test/cognito/documented-responses.test.ts.
 *
 * cognito-local never asks MFA_SETUP, and its AssociateSoftwareToken / VerifySoftwareToken refuse
 * a Session ("via Session (MFA_SETUP flow) is not supported; call with AccessToken"). This is a
 * small HTTP front on its own loopback port: the demo's Cognito provider uses it as `endpoint`,
 * and it forwards every request to cognito-local unchanged (the JWKS GET included), except the
 * MFA_SETUP conversation of the users `needsSetup` names (the demo's `mona`: a pool whose MFA is
 * "Required", in spirit, for her), which it answers in the shapes AWS documents (Amazon Cognito
 * user pools API reference):
 *
 * 1. InitiateAuth (USER_PASSWORD_AUTH) is forwarded. When cognito-local accepts the password
 *    and answers with tokens (so the user has no MFA method), the tokens are held here and the
 *    answer is the challenge instead. [InitiateAuth] "MFA_SETUP: If MFA is required, users who
 *    don't have at least one of the MFA methods set up are presented with an MFA_SETUP
 *    challenge. The user must set up at least one MFA type to continue to authenticate." and
 *    "The MFA types enabled for the user pool will be listed in the challenge parameters
 *    MFAS_CAN_SETUP value": `{ ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP:
 *    '["SOFTWARE_TOKEN_MFA"]' }, Session }`, the Session one of this front's own.
 * 2. AssociateSoftwareToken `{ Session }` → `{ SecretCode, Session }` ([AssociateSoftwareToken]
 *    response syntax). The fresh base32 secret is cognito-local's own: its AssociateSoftwareToken
 *    is called with the held AccessToken (the way it does support), which stores the secret in the
 *    user record, not yet verified.
 * 3. VerifySoftwareToken `{ Session, UserCode, FriendlyDeviceName }` → `{ Status: 'SUCCESS',
 *    Session }` ([VerifySoftwareToken] response syntax). The code is checked by cognito-local's
 *    VerifySoftwareToken with the AccessToken (its TOTP check, otplib, RFC 6238), which then
 *    writes the user record as the demo's starter does for `tia` (SoftwareTokenMfaConfiguration
 *    verified, UserMFASettingList with SOFTWARE_TOKEN_MFA): the user's next sign-in is
 *    cognito-local's own SOFTWARE_TOKEN_MFA challenge, and this front only forwards it. A wrong
 *    code: HTTP 400 EnableSoftwareTokenMFAException ([VerifySoftwareToken] Errors: "This exception
 *    is thrown when there is a code mismatch and the service fails to configure the software
 *    token TOTP multi-factor authentication (MFA)."), the Session still valid for another code.
 * 4. RespondToAuthChallenge `{ ChallengeName: 'MFA_SETUP', ChallengeResponses: { USERNAME },
 *    Session }` → `{ AuthenticationResult, ChallengeParameters: {} }` ([RespondToAuthChallenge],
 *    [AuthenticationResultType]): the tokens cognito-local gave in step 1.
 *
 * A Session of this front that is spent, used out of order, for another user or app client, or
 * older than 3 minutes (an app client's default AuthSessionValidity) is answered NotAuthorizedException "Invalid session for
 * the user, session is expired." (the message test/cognito/documented-responses.test.ts uses).
 * Faults are AWS JSON 1.1 faults: HTTP 400, `{ "__type", "message" }`, header x-amzn-ErrorType
 * ("Common errors").
 *
 * [InitiateAuth] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 * [AssociateSoftwareToken] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
 * [VerifySoftwareToken] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
 * [RespondToAuthChallenge] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
 * [AuthenticationResultType] https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AuthenticationResultType.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const amzJson = 'application/x-amz-json-1.1';
const targetPrefix = 'AWSCognitoIdentityProviderService.';
/** An app client's AuthSessionValidity by default (3 minutes). */
const defaultSessionValidityMs = 3 * 60_000;
/** How this front's Sessions begin (opaque strings, as AWS's are): one it no longer holds is refused as expired, not forwarded. */
const sessionPrefix = 'demo-mfa-setup.';

export interface MfaSetupFrontOptions {
  /** cognito-local's address, e.g. `http://127.0.0.1:9229`. */
  target: string;
  /** Whether this user must set up an authenticator app when cognito-local signs them in with the password alone. */
  needsSetup(username: string): boolean;
  /** AssociateSoftwareToken gave the user this key (shown on the demo's phone page while it is being set up). */
  onAssociated?(username: string, secret: string): void;
  /** VerifySoftwareToken accepted a code: the user's authenticator app is set up with this key. */
  onSetUp?(username: string, secret: string): void;
  /** Default 0: a free port. */
  port?: number;
  /** How long a Session of this front is valid. Default 3 minutes (an app client's default AuthSessionValidity). */
  sessionValidityMs?: number;
}

export interface MfaSetupFront {
  /** The front's address: the demo provider's `endpoint` (and the issuer's domain). */
  url: string;
  close(): Promise<void>;
}

/** One MFA_SETUP in progress, by the Session this front gave last. */
interface Setup {
  username: string;
  clientId: string;
  /** cognito-local's answer to the password: held until the setup is done. */
  result: Record<string, unknown>;
  /** What the Session may be used for next. */
  next: 'AssociateSoftwareToken' | 'VerifySoftwareToken' | 'RespondToAuthChallenge';
  secret?: string;
  expires: number;
}

interface Upstream { status: number; headers: IncomingHttpHeaders; body: Buffer }

export async function startMfaSetupFront(options: MfaSetupFrontOptions): Promise<MfaSetupFront> {
  const target = new URL(options.target);
  const sessionValidityMs = options.sessionValidityMs ?? defaultSessionValidityMs;
  const setups = new Map<string, Setup>();

  /** The request as it came, to cognito-local. */
  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> => new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    const upstream = httpRequest({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });

  /** One AWS JSON 1.1 call to cognito-local (AssociateSoftwareToken / VerifySoftwareToken with the AccessToken). */
  const call = async (operation: string, body: Record<string, unknown>): Promise<{ ok: boolean; json: Record<string, unknown> }> => {
    const response = await fetch(new URL('/', target), {
      method: 'POST',
      headers: { 'content-type': amzJson, 'x-amz-target': targetPrefix + operation },
      body: JSON.stringify(body),
    });
    return { ok: response.ok, json: (await response.json()) as Record<string, unknown> };
  };

  const newSession = (setup: Omit<Setup, 'expires'>): string => {
    const now = Date.now();
    for (const [old, { expires }] of setups) if (expires < now) setups.delete(old);
    const session = sessionPrefix + randomBytes(48).toString('base64url');
    setups.set(session, { ...setup, expires: Date.now() + sessionValidityMs });
    return session;
  };

  /** The setup a Session of this front belongs to, if it may be used for `operation` now. */
  const setupOf = (session: unknown, operation: Setup['next']): Setup | 'expired' | undefined => {
    if (typeof session !== 'string' || !session.startsWith(sessionPrefix)) return undefined; // not this front's: forwarded
    const setup = setups.get(session);
    // Spent (each is used once, but for another code after a refused one), out of order, or too old.
    if (!setup || setup.expires < Date.now() || setup.next !== operation) {
      setups.delete(session);
      return 'expired';
    }
    return setup;
  };

  const reply = (res: ServerResponse, body: Record<string, unknown>): void => {
    res.writeHead(200, { 'content-type': amzJson, 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const fault = (res: ServerResponse, type: string, message: string): void => {
    res.writeHead(400, { 'content-type': amzJson, 'x-amzn-errortype': `${type}:`, 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify({ __type: type, message }));
  };
  const expired = (res: ServerResponse) => fault(res, 'NotAuthorizedException', 'Invalid session for the user, session is expired.');
  const pass = (res: ServerResponse, upstream: Upstream): void => {
    const headers = { ...upstream.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const operation = req.method === 'POST' && amzTarget.startsWith(targetPrefix) ? amzTarget.slice(targetPrefix.length) : '';
    let json: Record<string, any> = {};
    if (operation) {
      try {
        json = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        json = {};
      }
    }

    switch (operation) {
      case 'InitiateAuth': {
        const upstream = await forward(req, body);
        const username = json.AuthParameters?.USERNAME;
        if (upstream.status !== 200 || json.AuthFlow !== 'USER_PASSWORD_AUTH' || typeof username !== 'string' || !options.needsSetup(username)) return pass(res, upstream);
        const answer = JSON.parse(upstream.body.toString('utf8')) as Record<string, unknown>;
        const result = answer.AuthenticationResult;
        // A challenge (the user has a method already): cognito-local's own answer.
        if (typeof result !== 'object' || result === null) return pass(res, upstream);
        const session = newSession({ username, clientId: String(json.ClientId), result: result as Record<string, unknown>, next: 'AssociateSoftwareToken' });
        return reply(res, { ChallengeName: 'MFA_SETUP', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, Session: session });
      }
      case 'AssociateSoftwareToken': {
        const setup = setupOf(json.Session, 'AssociateSoftwareToken');
        if (setup === undefined) break;
        if (setup === 'expired') return expired(res);
        const associated = await call('AssociateSoftwareToken', { AccessToken: setup.result.AccessToken });
        if (!associated.ok || typeof associated.json.SecretCode !== 'string') return fault(res, 'InternalErrorException', 'The key could not be made.');
        setups.delete(json.Session);
        const secret = associated.json.SecretCode;
        options.onAssociated?.(setup.username, secret);
        return reply(res, { SecretCode: secret, Session: newSession({ ...setup, secret, next: 'VerifySoftwareToken' }) });
      }
      case 'VerifySoftwareToken': {
        const setup = setupOf(json.Session, 'VerifySoftwareToken');
        if (setup === undefined) break;
        if (setup === 'expired') return expired(res);
        const verified = await call('VerifySoftwareToken', {
          AccessToken: setup.result.AccessToken, UserCode: json.UserCode,
          ...(typeof json.FriendlyDeviceName === 'string' ? { FriendlyDeviceName: json.FriendlyDeviceName } : {}),
        });
        if (!verified.ok) {
          // cognito-local says CodeMismatchException; AWS, in this flow, EnableSoftwareTokenMFAException. The Session stays valid.
          if (/CodeMismatch/.test(String(verified.json.__type))) return fault(res, 'EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA');
          return fault(res, 'InvalidParameterException', String(verified.json.message ?? 'Invalid code.'));
        }
        setups.delete(json.Session);
        options.onSetUp?.(setup.username, setup.secret!);
        return reply(res, { Status: 'SUCCESS', Session: newSession({ ...setup, next: 'RespondToAuthChallenge' }) });
      }
      case 'RespondToAuthChallenge': {
        const setup = setupOf(json.Session, 'RespondToAuthChallenge');
        if (setup === undefined) break;
        setups.delete(json.Session);
        if (setup === 'expired' || json.ChallengeName !== 'MFA_SETUP' || json.ClientId !== setup.clientId || json.ChallengeResponses?.USERNAME !== setup.username) return expired(res);
        return reply(res, { AuthenticationResult: setup.result, ChallengeParameters: {} });
      }
    }
    pass(res, await forward(req, body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) fault(res, 'InternalErrorException', 'cognito-local did not answer.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
