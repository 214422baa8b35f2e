/**
 * A loopback Amazon Cognito user pool for the bench: the three requests of a USER_PASSWORD_AUTH
 * sign-in with an SMS code, answered with the shapes AWS documents, the same shapes
 * test/cognito/documented-responses.test.ts scripts (its header names the sources):
 *
 * - `POST /`, `X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth`, AuthFlow
 *   USER_PASSWORD_AUTH → `{ChallengeName: 'SMS_MFA', ChallengeParameters: {CODE_DELIVERY_DELIVERY_MEDIUM,
 *   CODE_DELIVERY_DESTINATION ('+*******1234'), USER_ID_FOR_SRP}, Session}` ([InitiateAuth]); a wrong
 *   password or unknown user → 400 NotAuthorizedException "Incorrect username or password." ([Lockout]).
 * - `RespondToAuthChallenge` SMS_MFA with `SMS_MFA_CODE`, `USERNAME` and the Session ([ChallengeResponses]):
 *   the code texted → `{AuthenticationResult: {AccessToken, ExpiresIn: 3600, IdToken, RefreshToken,
 *   TokenType: 'Bearer'}, ChallengeParameters: {}}` ([Result]); another code → 400
 *   `{"__type": "CodeMismatchException", "message": "Invalid code or auth state for the user."}` (the
 *   exception: [Respond] Errors; the message as Cognito sends it, quoted in aws-amplify/amplify-js
 *   issues #3066 and #11069), the Session kept; an unknown or expired Session → 400
 *   NotAuthorizedException "Invalid session for the user, session is expired." ([Expired]).
 * - `GET /<userPoolId>/.well-known/jwks.json` → the pool's key set (`{keys: [{alg, e, kid, kty, n, use}]}`,
 *   Developer Guide "Verifying a JSON Web Token").
 *
 * Answers are AWS JSON 1.1 (`Content-Type: application/x-amz-json-1.1`, an `x-amzn-RequestId`;
 * faults also `x-amzn-ErrorType`). The ID token is signed per login, RS256 as Cognito signs it
 * (Developer Guide "Understanding the identity (ID) token": header `{kid, alg}`, the default
 * payload's claims), with a 2048-bit key made at startup; node:crypto signs it directly (about a
 * quarter of a millisecond, on this thread, for both variants alike). The Session is opaque and as
 * long as the one in AWS's own InitiateAuth example (846 characters, "AYABe…"); each is used once.
 * The access and refresh tokens are the fixtures' fixed placeholders (neither app reads them).
 *
 * Not a Cognito emulator: USER_PASSWORD_AUTH and SMS_MFA only, no SECRET_HASH, no lock-out.
 * Requests the bench never sends are refused as InvalidParameterException.
 */
import { createHash, generateKeyPairSync, randomBytes, randomInt, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface CognitoUser {
  username: string;
  password: string;
  /** Last four digits of the phone the SMS goes to. */
  phoneLast4: string;
  displayName?: string;
  email?: string;
}

export interface CognitoUpstreamOptions {
  users: CognitoUser[];
  /** `<region>_<id>`. */
  userPoolId: string;
  clientId: string;
}

interface PoolUser extends CognitoUser {
  /** The user's stable id (the ID token's `sub`). */
  sub: string;
}

interface PendingSession {
  username: string;
  code: string;
  expiresAt: number;
}

const AMZ_JSON = 'application/x-amz-json-1.1';
const TARGET = 'AWSCognitoIdentityProviderService.';
/** AuthSessionValidity's default: 3 minutes. */
const SESSION_TTL_MS = 3 * 60_000;
const ID_TOKEN_TTL_S = 3600;
const BODY_LIMIT = 64 * 1024;
/** The placeholders of test/cognito/documented-responses.test.ts. */
const ACCESS_TOKEN = 'eyJraWQiOiJhY2Nlc3MiLCJhbGciOiJSUzI1NiJ9.e30.c2ln';
const REFRESH_TOKEN = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.cmVmcmVzaA';

class Fault {
  constructor(readonly type: string, readonly message: string) {}
}

const invalid = (what: string) => new Fault('InvalidParameterException', `bench Cognito upstream: ${what}`);

export class CognitoUpstream {
  /** `http://127.0.0.1:<port>/`: the endpoint; the issuer is `<url><userPoolId>`. */
  readonly url: string;
  readonly issuer: string;
  /** Requests by operation (`InitiateAuth`, `RespondToAuthChallenge`, `jwks`, `other`) since the last {@link beginPhase}. */
  requests: Record<string, number> = {};
  /** TCP connections accepted since the last {@link beginPhase}. */
  connectionsOpened = 0;

  private readonly users = new Map<string, PoolUser>();
  /** Insertion order = creation order and the lifetime is fixed, so expired ones are at the front. */
  private readonly sessions = new Map<string, PendingSession>();
  private readonly codes = new Map<string, string>();
  private readonly jwks: string;
  private readonly tokenHeader: string;

  private constructor(
    private readonly server: Server,
    private readonly options: CognitoUpstreamOptions,
    private readonly key: KeyObject,
    publicJwk: Record<string, unknown>,
  ) {
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}/`;
    this.issuer = `${this.url}${options.userPoolId}`;
    for (const user of options.users) {
      const sub = createHash('sha256').update(`${options.userPoolId}/${user.username}`).digest('hex');
      // A UUID-shaped sub, as Cognito's are.
      this.users.set(user.username, { ...user, sub: `${sub.slice(0, 8)}-${sub.slice(8, 12)}-${sub.slice(12, 16)}-${sub.slice(16, 20)}-${sub.slice(20, 32)}` });
    }
    const kid = createHash('sha256').update(String(publicJwk.n)).digest('base64');
    this.jwks = JSON.stringify({ keys: [{ alg: 'RS256', e: publicJwk.e, kid, kty: 'RSA', n: publicJwk.n, use: 'sig' }] });
    this.tokenHeader = Buffer.from(JSON.stringify({ kid, alg: 'RS256' })).toString('base64url');
  }

  static async start(options: CognitoUpstreamOptions): Promise<CognitoUpstream> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let upstream: CognitoUpstream | undefined;
    const server = createServer((req, res) => upstream!.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (_socket: Socket) => {
      if (upstream) upstream.connectionsOpened++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    upstream = new CognitoUpstream(server, options, privateKey, publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
    return upstream;
  }

  /** The SMS code last "texted" to the user ('' if none). */
  lastCode(username: string): string {
    return this.codes.get(username) ?? '';
  }

  /** Forgets every Session and code (the start of a run). */
  reset(): void {
    this.sessions.clear();
    this.codes.clear();
  }

  /** Starts counting requests and connections anew. */
  beginPhase(): void {
    this.requests = {};
    this.connectionsOpened = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------------ HTTP

  private count(what: string): void {
    this.requests[what] = (this.requests[what] ?? 0) + 1;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && req.url === `/${this.options.userPoolId}/.well-known/jwks.json`) {
      this.count('jwks');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(this.jwks) }).end(this.jwks);
      return;
    }
    if (req.method !== 'POST' || req.url !== '/') {
      this.count('other');
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET) ? target.slice(TARGET.length) : '';
      this.count(operation === 'InitiateAuth' || operation === 'RespondToAuthChallenge' ? operation : 'other');
      let answer: object | Fault;
      try {
        if (size > BODY_LIMIT) throw invalid('body too large');
        if (!String(req.headers['content-type'] ?? '').startsWith(AMZ_JSON)) throw invalid(`Content-Type must be ${AMZ_JSON}`);
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('the body must be a JSON object');
        if (operation === 'InitiateAuth') answer = this.initiateAuth(body as Record<string, unknown>);
        else if (operation === 'RespondToAuthChallenge') answer = this.respondToAuthChallenge(body as Record<string, unknown>);
        else throw invalid(`operation ${JSON.stringify(target)} not served`);
      } catch (error) {
        answer = error instanceof Fault ? error : invalid('the body is not JSON');
      }
      this.reply(res, answer);
    });
  }

  private reply(res: ServerResponse, answer: object | Fault): void {
    const fault = answer instanceof Fault;
    const text = JSON.stringify(fault ? { __type: answer.type, message: answer.message } : answer);
    res.writeHead(fault ? 400 : 200, {
      'content-type': AMZ_JSON,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(fault ? { 'x-amzn-errortype': `${answer.type}:` } : {}),
    }).end(text);
  }

  // ------------------------------------------------------------------------ operations

  private initiateAuth(body: Record<string, unknown>): object {
    if (body.AuthFlow !== 'USER_PASSWORD_AUTH') throw invalid('AuthFlow must be USER_PASSWORD_AUTH');
    if (body.ClientId !== this.options.clientId) throw invalid('unknown ClientId');
    const params = body.AuthParameters as Record<string, unknown> | undefined;
    const username = params?.USERNAME;
    const password = params?.PASSWORD;
    if (typeof username !== 'string' || typeof password !== 'string') throw invalid('AuthParameters USERNAME and PASSWORD are required');
    const user = this.users.get(username);
    if (!user || user.password !== password) throw new Fault('NotAuthorizedException', 'Incorrect username or password.');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.codes.set(username, code);
    const session = `AYABe${randomBytes(631).toString('base64url').slice(0, 841)}`; // 846 characters
    this.purge();
    this.sessions.set(session, { username, code, expiresAt: Date.now() + SESSION_TTL_MS });
    return {
      ChallengeName: 'SMS_MFA',
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: `+*******${user.phoneLast4}`, USER_ID_FOR_SRP: username },
      Session: session,
    };
  }

  private respondToAuthChallenge(body: Record<string, unknown>): object {
    if (body.ChallengeName !== 'SMS_MFA') throw invalid('ChallengeName must be SMS_MFA');
    if (body.ClientId !== this.options.clientId) throw invalid('unknown ClientId');
    const responses = body.ChallengeResponses as Record<string, unknown> | undefined;
    const session = typeof body.Session === 'string' ? this.sessions.get(body.Session) : undefined;
    if (!session || session.expiresAt <= Date.now()) throw new Fault('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    if (responses?.USERNAME !== session.username) throw invalid('ChallengeResponses.USERNAME is not the user of the Session');
    if (responses.SMS_MFA_CODE !== session.code) throw new Fault('CodeMismatchException', 'Invalid code or auth state for the user.');
    this.sessions.delete(body.Session as string); // "session can only be used once"
    return {
      AuthenticationResult: { AccessToken: ACCESS_TOKEN, ExpiresIn: 3600, IdToken: this.idToken(this.users.get(session.username)!), RefreshToken: REFRESH_TOKEN, TokenType: 'Bearer' },
      ChallengeParameters: {},
    };
  }

  /** An ID token with the default payload's claims (those this user has), signed RS256. */
  private idToken(user: PoolUser): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: user.sub,
      ...(user.email ? { email_verified: true } : {}),
      iss: this.issuer,
      'cognito:username': user.username,
      origin_jti: randomUUID(),
      aud: this.options.clientId,
      event_id: randomUUID(),
      token_use: 'id',
      auth_time: now,
      ...(user.displayName ? { name: user.displayName } : {}),
      exp: now + ID_TOKEN_TTL_S,
      iat: now,
      jti: randomUUID(),
      ...(user.email ? { email: user.email } : {}),
    };
    const signingInput = `${this.tokenHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), this.key).toString('base64url')}`;
  }

  /** Drops expired Sessions (they are in creation order). */
  private purge(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) {
      if (s.expiresAt > now) break;
      this.sessions.delete(id);
    }
  }
}
