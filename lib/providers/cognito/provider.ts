/**
 * AWS Cognito user pools, the InitiateAuth / RespondToAuthChallenge conversation as AWS documents
 * it (Amazon Cognito user pools API reference; Developer Guide, "Authentication flows" and
 * "Adding MFA to a user pool"): the client-side flows `USER_SRP_AUTH` (default) and
 * `USER_PASSWORD_AUTH`, `SECRET_HASH` for app clients with a secret, the challenges of
 * challenges.ts, TOTP set up during sign-in (MFA_SETUP) with AssociateSoftwareToken /
 * VerifySoftwareToken, and the ID token verified against the pool's JWKS before `verify` sees
 * the profile. Only the latest `Session` is kept (in the express session, never in the browser);
 * the password is never stored: SRP's secret `a` lives only for the one answer that sends both
 * SRP_A and PASSWORD_VERIFIER.
 *
 * UNVERIFIED against a real pool: how many wrong codes one Session accepts (cognito-local: any
 * number; AWS documents none), and that a Session stays valid after a CodeMismatchException
 * (AWS answers without a new Session; AWS's own client, amazon-cognito-identity-js, retries with
 * the Session it has, as done here).
 */
import { MultiStepError } from '../../errors.js';
import { baseUrl } from '../../http/base-url.js';
import type { Answer, JsonObject, Provider, ProviderContext, ProviderResult, StartInput } from '../../provider.js';
import type { ProviderStep } from '../../step.js';
import {
  choiceMechanisms, codeKeys, codeMechanism, newPasswordField, newPasswordMechanism, passwordMechanism, stringList,
  totpSetupMechanism, type StoredMechanism,
} from './challenges.js';
import { type During, toFailure } from './failures.js';
import { IdTokenVerifier } from './id-token.js';
import { profileFromClaims } from './profile.js';
import { secretHash } from './secret-hash.js';
import { newSrpClient, passwordAuthenticationKey, passwordClaimSignature, srpPoolName, srpTimestamp } from './srp.js';
import { callCognito, isObject, str, type Operation, type WireObject } from './wire.js';

/** Configuration of the Cognito provider. */
export interface CognitoOptions {
  /** The pool's region, e.g. `eu-west-1`. */
  region: string;
  /** The user pool id, e.g. `eu-west-1_AbCdEfGhI`. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** The app client's secret, if it has one (then every call carries SECRET_HASH). Never logged. */
  clientSecret?: string;
  /**
   * The API's base URL. Default `https://cognito-idp.<region>.amazonaws.com/`. For an emulator
   * (cognito-local: `http://localhost:9229/`); the JWKS and issuer are then `<endpoint><userPoolId>`.
   */
  endpoint?: string;
  /** The ID token's expected issuer. Default `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` (or `<endpoint><userPoolId>`). */
  issuer?: string;
  /** The pool's JWKS URL. Default `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** `'USER_SRP_AUTH'` (default; what app clients allow by default) or `'USER_PASSWORD_AUTH'`. */
  authFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** Name shown in authenticator apps for a TOTP set up at sign-in (the otpauth `issuer`). Default "Cognito". */
  totpIssuer?: string;
  /**
   * Turns the `otpauth://` URL of a TOTP being set up into a QR code (`data:image/png;base64,…`),
   * e.g. `(url) => QRCode.toDataURL(url)` with the `qrcode` package. Without it the page shows the key only.
   */
  qrCode?: (otpauthUrl: string) => Promise<string | undefined> | string | undefined;
  /** Name given to an authenticator app set up during sign-in (VerifySoftwareToken FriendlyDeviceName). Default "Authenticator app". */
  totpDeviceName?: string;
}

/** The handles kept in the session for one login. */
interface CognitoState extends JsonObject {
  /** What the user typed. */
  username: string;
  /** Cognito's name for the user (USER_ID_FOR_SRP / USERNAME of a challenge): sent as USERNAME once known. */
  userId?: string;
  /** The latest Session; each answer replaces it. */
  session?: string;
  /** The mechanisms of the current step, by local id. */
  offered: Record<string, StoredMechanism>;
}

type Ctx = ProviderContext<CognitoState>;

const supportedChallenges = new Set(['SMS_MFA', 'SMS_OTP', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'NEW_PASSWORD_REQUIRED', 'MFA_SETUP']);

export class CognitoProvider implements Provider<CognitoState> {
  readonly name = 'cognito';
  private readonly endpoint: URL;
  private readonly idTokens: IdTokenVerifier;
  private readonly poolName: string;
  private readonly authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';

  constructor(private readonly options: CognitoOptions) {
    if (!options.region || !options.userPoolId || !options.clientId) throw new TypeError('Cognito provider: region, userPoolId and clientId are required');
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(options.userPoolId)) throw new TypeError('Cognito provider: userPoolId must look like "<region>_<id>"');
    if (options.authFlow !== undefined && options.authFlow !== 'USER_SRP_AUTH' && options.authFlow !== 'USER_PASSWORD_AUTH') {
      throw new TypeError("Cognito provider: authFlow must be 'USER_SRP_AUTH' or 'USER_PASSWORD_AUTH'");
    }
    this.authFlow = options.authFlow ?? 'USER_SRP_AUTH';
    const aws = `https://cognito-idp.${options.region}.amazonaws.com/`;
    this.endpoint = baseUrl(options.endpoint ?? aws, 'Cognito');
    const issuer = options.issuer ?? `${this.endpoint.href}${options.userPoolId}`;
    this.idTokens = new IdTokenVerifier({
      issuer, clientId: options.clientId,
      jwksUrl: new URL(options.jwksUrl ?? `${issuer}/.well-known/jwks.json`),
    });
    this.poolName = srpPoolName(options.userPoolId);
  }

  async start(ctx: Ctx, input: StartInput): Promise<ProviderResult> {
    // InitiateAuth needs the password (or SRP_A computed from nothing but the name, answered
    // with the password): nothing to ask Cognito before the user typed it.
    ctx.state = { username: input.username, offered: {} };
    return this.single(ctx, passwordMechanism());
  }

  async select(ctx: Ctx, mechanismId: string): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    if (chosen.kind !== 'choose') return this.single(ctx, chosen);
    // SELECT_MFA_TYPE: naming SMS_MFA / EMAIL_OTP is what makes Cognito send the code.
    return this.respond(ctx, 'SELECT_MFA_TYPE', { ANSWER: chosen.challenge! }, 'other');
  }

  async answer(ctx: Ctx, mechanismId: string, answer: Answer): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    switch (chosen.kind) {
      case 'password':
        return this.signIn(ctx, text(answer));
      case 'code':
        return this.respond(ctx, chosen.challenge!, { [codeKeys[chosen.challenge!]!]: text(answer) }, 'code');
      case 'new-password':
        return this.respond(ctx, 'NEW_PASSWORD_REQUIRED', newPasswordResponses(chosen, answer), 'new-password');
      case 'setup-totp':
        return this.verifyTotpSetup(ctx, text(answer));
      case 'choose':
        return this.select(ctx, mechanismId);
    }
  }

  async poll(): Promise<ProviderResult> {
    throw new MultiStepError('ACTION_NOT_ALLOWED'); // Cognito has no approvals made elsewhere
  }

  async resend(): Promise<ProviderResult> {
    // No call sends a sign-in code again within a Session: a new code needs a new InitiateAuth,
    // hence the password again. The steps never set `resendable`.
    throw new MultiStepError('ACTION_NOT_ALLOWED');
  }

  async cancel(): Promise<void> {
    // Nothing to abandon upstream: a Session expires by itself (the app client's
    // AuthSessionValidity, 3 minutes by default).
  }

  /** The password: USER_PASSWORD_AUTH in one call, or USER_SRP_AUTH (SRP_A, then PASSWORD_VERIFIER). */
  private async signIn(ctx: Ctx, password: string): Promise<ProviderResult> {
    delete ctx.state.session;
    delete ctx.state.userId;
    const username = ctx.state.username;
    if (this.authFlow === 'USER_PASSWORD_AUTH') {
      const body = await this.call(ctx, 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH', ClientId: this.options.clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, ...this.secretHash(username) },
      }, 'password');
      return this.interpret(ctx, body);
    }
    const srp = newSrpClient();
    const first = await this.call(ctx, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH', ClientId: this.options.clientId,
      AuthParameters: { USERNAME: username, SRP_A: srp.largeA, ...this.secretHash(username) },
    }, 'password');
    if (first.ChallengeName !== 'PASSWORD_VERIFIER') return this.interpret(ctx, first);
    const p = parameters(first);
    const userId = p.USER_ID_FOR_SRP;
    if (!userId || !p.SRP_B || !p.SALT || !p.SECRET_BLOCK) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    let key: Buffer;
    try {
      key = passwordAuthenticationKey(this.poolName, userId, password, srp, p.SRP_B, p.SALT);
    } catch {
      throw new MultiStepError('UPSTREAM_BAD_RESPONSE'); // B or u zero: not an answer to trust
    }
    const timestamp = srpTimestamp();
    return this.respond(ctx, 'PASSWORD_VERIFIER', {
      PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: passwordClaimSignature(key, this.poolName, userId, p.SECRET_BLOCK, timestamp),
      TIMESTAMP: timestamp,
    }, 'password', userId);
  }

  /** RespondToAuthChallenge with the latest Session, USERNAME and SECRET_HASH added. */
  private async respond(ctx: Ctx, challenge: string, responses: Record<string, string>, during: During, userId?: string): Promise<ProviderResult> {
    const username = userId ?? ctx.state.userId ?? ctx.state.username;
    const session = ctx.state.session;
    if (!session && challenge !== 'PASSWORD_VERIFIER') throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    const body = await this.call(ctx, 'RespondToAuthChallenge', {
      ChallengeName: challenge, ClientId: this.options.clientId,
      ChallengeResponses: { ...responses, USERNAME: username, ...this.secretHash(username) },
      ...(session ? { Session: session } : {}),
    }, during);
    return this.interpret(ctx, body);
  }

  /** MFA_SETUP, authenticator app: VerifySoftwareToken with the Session, then RespondToAuthChallenge MFA_SETUP. */
  private async verifyTotpSetup(ctx: Ctx, code: string): Promise<ProviderResult> {
    if (!ctx.state.session) throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    const verified = await this.call(ctx, 'VerifySoftwareToken', {
      Session: ctx.state.session, UserCode: code, FriendlyDeviceName: this.options.totpDeviceName ?? 'Authenticator app',
    }, 'code');
    if (verified.Status !== 'SUCCESS') throw new MultiStepError('WRONG_ANSWER', { terminal: false });
    return this.respond(ctx, 'MFA_SETUP', {}, 'setup');
  }

  /** One call; a fault becomes the mapped MultiStepError; the Session of every answer replaces the stored one. */
  private async call(ctx: Ctx, operation: Operation, body: JsonObject, during: During): Promise<WireObject> {
    const answer = await callCognito(ctx.http, this.endpoint, operation, body);
    if (!answer.ok) {
      const failure = toFailure(answer.fault, during);
      ctx.log('upstream refused', { operation, upstreamCode: answer.fault.type, upstreamErrorId: answer.fault.requestId ?? null, errorCode: failure.code, terminal: failure.terminal !== false });
      throw failure;
    }
    const session = str(answer.body.Session);
    if (session) ctx.state.session = session;
    ctx.log('upstream answer', { operation, challenge: str(answer.body.ChallengeName) ?? null, tokens: isObject(answer.body.AuthenticationResult) });
    return answer.body;
  }

  /** An answer that is not a fault → the next step, or success. */
  private async interpret(ctx: Ctx, body: WireObject): Promise<ProviderResult> {
    if (isObject(body.AuthenticationResult)) return this.success(ctx, body.AuthenticationResult);
    const challenge = str(body.ChallengeName);
    if (!challenge) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    if (!str(body.Session)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE'); // every challenge comes with one
    const p = parameters(body);
    const userId = p.USER_ID_FOR_SRP ?? p.USERNAME;
    if (userId) ctx.state.userId = userId;
    if (!supportedChallenges.has(challenge)) {
      ctx.log('challenge not supported', { challenge: /^[A-Z_]{1,40}$/.test(challenge) ? challenge : 'other' });
      throw new MultiStepError('MECHANISM_UNSUPPORTED', { details: { restart: true } });
    }
    switch (challenge) {
      case 'SELECT_MFA_TYPE': {
        const choices = choiceMechanisms(stringList(p.MFAS_CAN_CHOOSE));
        if (!choices.some((c) => c.view.type !== 'unsupported')) throw new MultiStepError('MECHANISM_UNSUPPORTED', { details: { restart: true } });
        ctx.state.offered = Object.fromEntries(choices.map((c) => [c.view.id, c]));
        return { type: 'step', step: { kind: 'select', mechanisms: choices.map((c) => c.view) } };
      }
      case 'NEW_PASSWORD_REQUIRED':
        return this.single(ctx, newPasswordMechanism(stringList(p.requiredAttributes)), 'Your password must be changed before you sign in.');
      case 'MFA_SETUP':
        return this.startTotpSetup(ctx, stringList(p.MFAS_CAN_SETUP));
      default:
        return this.single(ctx, codeMechanism(challenge, p));
    }
  }

  /** MFA_SETUP: AssociateSoftwareToken with the Session gives the key (and a new Session). */
  private async startTotpSetup(ctx: Ctx, canSetUp: string[]): Promise<ProviderResult> {
    if (canSetUp.length > 0 && !canSetUp.includes('SOFTWARE_TOKEN_MFA')) throw new MultiStepError('MECHANISM_UNSUPPORTED', { details: { restart: true } });
    const associated = await this.call(ctx, 'AssociateSoftwareToken', { Session: ctx.state.session! }, 'setup');
    const secret = str(associated.SecretCode);
    if (!secret) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    const issuer = this.options.totpIssuer ?? 'Cognito';
    const account = ctx.state.username;
    const url = `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(account)}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
    let qr: string | undefined;
    try {
      qr = await this.options.qrCode?.(url);
    } catch {
      qr = undefined; // the key alone still works
    }
    return this.single(ctx, totpSetupMechanism(secret, qr && /^data:image\/(png|gif|jpeg|webp|svg\+xml);base64,/.test(qr) ? qr : undefined),
      'Set up an authenticator app to finish signing in.');
  }

  private async success(ctx: Ctx, result: WireObject): Promise<ProviderResult> {
    const idToken = str(result.IdToken);
    if (!idToken) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    const claims = await this.idTokens.verify(ctx.http, idToken, ctx.log);
    const expiresIn = typeof result.ExpiresIn === 'number' ? result.ExpiresIn : undefined;
    return {
      type: 'success',
      profile: profileFromClaims(claims, this.name),
      tokens: {
        idToken,
        ...(str(result.AccessToken) ? { accessToken: str(result.AccessToken) } : {}),
        ...(str(result.RefreshToken) ? { refreshToken: str(result.RefreshToken) } : {}),
        ...(expiresIn !== undefined ? { expiresIn } : {}),
        ...(str(result.TokenType) ? { tokenType: str(result.TokenType) } : {}),
      },
    };
  }

  private single(ctx: Ctx, mechanism: StoredMechanism, message?: string): { type: 'step'; step: ProviderStep } {
    ctx.state.offered = { [mechanism.view.id]: mechanism };
    return { type: 'step', step: { kind: 'answer', mechanisms: [mechanism.view], ...(message ? { message } : {}) } };
  }

  private offered(ctx: Ctx, localId: string): StoredMechanism {
    const chosen = Object.hasOwn(ctx.state.offered, localId) ? ctx.state.offered[localId] : undefined;
    if (!chosen || chosen.view.type === 'unsupported') throw new MultiStepError('MECHANISM_NOT_OFFERED');
    return chosen;
  }

  private secretHash(username: string): { SECRET_HASH?: string } {
    return this.options.clientSecret ? { SECRET_HASH: secretHash(this.options.clientSecret, username, this.options.clientId) } : {};
  }
}

/** ChallengeParameters, strings only. */
function parameters(body: WireObject): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(body.ChallengeParameters)) for (const [key, value] of Object.entries(body.ChallengeParameters)) if (typeof value === 'string') out[key] = value;
  return out;
}

function text(answer: Answer): string {
  if (typeof answer !== 'string' || answer.length === 0) throw new MultiStepError('BAD_REQUEST');
  return answer;
}

function newPasswordResponses(chosen: StoredMechanism, answer: Answer): Record<string, string> {
  if (!chosen.attributes?.length) return { NEW_PASSWORD: text(answer) };
  if (typeof answer === 'string') throw new MultiStepError('BAD_REQUEST');
  const responses: Record<string, string> = { NEW_PASSWORD: answer[newPasswordField] ?? '' };
  for (const name of chosen.attributes) responses[`userAttributes.${name}`] = answer[name] ?? '';
  if (Object.values(responses).some((v) => !v)) throw new MultiStepError('BAD_REQUEST', { message: 'Fill in every field.' });
  return responses;
}

/** Creates the Cognito provider. */
export function cognito(options: CognitoOptions): CognitoProvider {
  return new CognitoProvider(options);
}
