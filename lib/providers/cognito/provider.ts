/**
 * AWS Cognito user pools, the InitiateAuth / RespondToAuthChallenge conversation as AWS documents
 * it (Amazon Cognito user pools API reference; Developer Guide, "Authentication flows" and
 * "Adding MFA to a user pool"): the client-side flows `USER_SRP_AUTH` (default) and
 * `USER_PASSWORD_AUTH`, the choice-based `USER_AUTH` (SELECT_CHALLENGE: password, or a code by
 * e-mail or SMS), the server-side `ADMIN_USER_PASSWORD_AUTH` (AdminInitiateAuth /
 * AdminRespondToAuthChallenge, SigV4-signed), `SECRET_HASH` for app clients with a secret, the challenges of
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
import { mayStartOutOfBand } from '../../limits/out-of-band.js';
import type { Answer, JsonObject, Provider, ProviderContext, ProviderResult, StartInput } from '../../provider.js';
import type { ProviderStep } from '../../step.js';
import {
  choiceMechanisms, codeKeys, codeMechanism, newPasswordField, newPasswordMechanism, passwordMechanism, sendsCode, stringList,
  totpSetupMechanism, userAuthChoices, type StoredMechanism,
} from './challenges.js';
import { type During, toFailure } from './failures.js';
import { IdTokenVerifier } from './id-token.js';
import { contextData } from './context-data.js';
import { profileFromClaims } from './profile.js';
import { secretHash } from './secret-hash.js';
import { type AwsCredentialsOption, createSigner, type RequestSigner } from './signer.js';
import { newSrpClient, passwordAuthenticationKey, passwordClaimSignature, type SrpClient, srpPoolName, srpTimestamp } from './srp.js';
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
  /**
   * How the sign-in starts (the app client must allow it: `ALLOW_<flow>`):
   * - `'USER_SRP_AUTH'` (default; allowed by default): the password is proven with SRP, never sent;
   * - `'USER_PASSWORD_AUTH'`: the password is sent to Cognito (over TLS);
   * - `'USER_AUTH'`: choice-based sign-in (Essentials tier or above): Cognito names the methods the
   *   user has (SELECT_CHALLENGE) and the user picks the password or a one-time code by e-mail or SMS;
   * - `'ADMIN_USER_PASSWORD_AUTH'`: server-side, AdminInitiateAuth with IAM `credentials`; the password
   *   is sent to Cognito (over TLS).
   */
  authFlow?: CognitoAuthFlow;
  /**
   * IAM credentials for `authFlow: 'ADMIN_USER_PASSWORD_AUTH'` (required there, refused elsewhere): an
   * access key pair, or a function such as `fromNodeProviderChain()` of `@aws-sdk/credential-providers`.
   * They need `cognito-idp:AdminInitiateAuth` and `cognito-idp:AdminRespondToAuthChallenge` on the pool.
   * Never logged.
   */
  credentials?: AwsCredentialsOption;
  /**
   * Tell Cognito's threat protection the user's IP address (from `req.ip`: set Express's
   * `trust proxy` behind a proxy), and with the admin flow also the server name, path and a few
   * headers (host, user-agent, accept-language, referer, x-forwarded-for). Default: on for
   * `ADMIN_USER_PASSWORD_AUTH` (ContextData); off for the other flows, whose UserContextData
   * Cognito reads only when the app client has "propagate additional user context data" on
   * (needs a client secret): turn it on together with that setting.
   */
  contextData?: boolean;
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

/** The sign-in flows the provider can start. */
export type CognitoAuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'USER_AUTH' | 'ADMIN_USER_PASSWORD_AUTH';

const authFlows: readonly CognitoAuthFlow[] = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'USER_AUTH', 'ADMIN_USER_PASSWORD_AUTH'];

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
  /**
   * USER_AUTH: the challenge the Session waits for, while the first factor is not answered yet:
   * SELECT_CHALLENGE (the user's choice), or PASSWORD / PASSWORD_SRP asked for directly.
   */
  answerWith?: 'SELECT_CHALLENGE' | 'PASSWORD' | 'PASSWORD_SRP';
  /** USER_AUTH: the first-factor code being typed (EMAIL_OTP / SMS_OTP), which a resend asks for again. */
  codeChallenge?: string;
  /** USER_AUTH: the first factors offered (their challenge names), for "try another way". */
  firstFactors?: string[];
  /** USER_AUTH: Cognito refused the name before any choice; every password is then refused alike. */
  unknownUser?: boolean;
}

type Ctx = ProviderContext<CognitoState>;

const supportedChallenges = new Set([
  'SMS_MFA', 'SMS_OTP', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'NEW_PASSWORD_REQUIRED', 'MFA_SETUP',
  'SELECT_CHALLENGE', 'PASSWORD', 'PASSWORD_SRP',
]);

export class CognitoProvider implements Provider<CognitoState> {
  readonly name = 'cognito';
  private readonly endpoint: URL;
  private readonly idTokens: IdTokenVerifier;
  private readonly poolName: string;
  private readonly authFlow: CognitoAuthFlow;
  /** Signs the admin calls; set exactly when the flow is ADMIN_USER_PASSWORD_AUTH. */
  private readonly sign: RequestSigner | undefined;
  private readonly sendContext: boolean;

  constructor(private readonly options: CognitoOptions) {
    if (!options.region || !options.userPoolId || !options.clientId) throw new TypeError('Cognito provider: region, userPoolId and clientId are required');
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(options.userPoolId)) throw new TypeError('Cognito provider: userPoolId must look like "<region>_<id>"');
    if (options.authFlow !== undefined && !authFlows.includes(options.authFlow)) {
      throw new TypeError(`Cognito provider: authFlow must be one of ${authFlows.map((f) => `'${f}'`).join(', ')}`);
    }
    this.authFlow = options.authFlow ?? 'USER_SRP_AUTH';
    if (this.authFlow === 'ADMIN_USER_PASSWORD_AUTH') {
      if (!options.credentials) throw new TypeError("Cognito provider: authFlow 'ADMIN_USER_PASSWORD_AUTH' needs IAM `credentials`");
      if (typeof options.credentials !== 'function' && (!options.credentials.accessKeyId || !options.credentials.secretAccessKey)) {
        throw new TypeError('Cognito provider: credentials need accessKeyId and secretAccessKey');
      }
      this.sign = createSigner(options.region, options.credentials);
    } else {
      // The public flows are unauthenticated: credentials there would be a misunderstanding (and a secret held for nothing).
      if (options.credentials) throw new TypeError("Cognito provider: `credentials` are only for authFlow 'ADMIN_USER_PASSWORD_AUTH'");
      this.sign = undefined;
    }
    this.sendContext = options.contextData ?? this.authFlow === 'ADMIN_USER_PASSWORD_AUTH';
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
    ctx.state = { username: input.username, offered: {} };
    if (this.authFlow === 'USER_AUTH') return this.startUserAuth(ctx);
    // The other flows' InitiateAuth needs the password (or SRP_A computed from nothing but the
    // name, answered with the password): nothing to ask Cognito before the user typed it.
    return this.single(ctx, passwordMechanism());
  }

  async select(ctx: Ctx, mechanismId: string): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    if (chosen.kind !== 'choose') return this.withAlternatives(ctx, this.single(ctx, chosen));
    // Naming SMS / e-mail is what makes Cognito send the code: the send limits first.
    if (sendsCode(chosen.challenge!)) await ctx.outOfBand?.check();
    if (chosen.selects === 'SELECT_CHALLENGE') return this.chooseFirstFactor(ctx, chosen.challenge!);
    return this.respond(ctx, 'SELECT_MFA_TYPE', { ANSWER: chosen.challenge! }, 'other');
  }

  async answer(ctx: Ctx, mechanismId: string, answer: Answer): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    switch (chosen.kind) {
      case 'password':
        return this.signIn(ctx, chosen, text(answer));
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

  /** USER_AUTH: back to the choice of first factor (no call: choosing then starts afresh with PREFERRED_CHALLENGE). */
  async alternatives(ctx: Ctx): Promise<ProviderResult> {
    const factors = ctx.state.firstFactors;
    if (!factors || factors.length < 2) throw new MultiStepError('ACTION_NOT_ALLOWED');
    delete ctx.state.answerWith;
    delete ctx.state.codeChallenge;
    return this.choiceStep(ctx, userAuthChoices(factors));
  }

  async poll(): Promise<ProviderResult> {
    throw new MultiStepError('ACTION_NOT_ALLOWED'); // Cognito has no approvals made elsewhere
  }

  async resend(ctx: Ctx): Promise<ProviderResult> {
    // No call sends a code again within a Session. A USER_AUTH first-factor code is asked for
    // anew with a new InitiateAuth (what AWS's Amplify does to "resend"): no password involved,
    // so only that step is `resendable`. An MFA code after a password would need the password again.
    const challenge = ctx.state.codeChallenge;
    if (!challenge) throw new MultiStepError('ACTION_NOT_ALLOWED');
    delete ctx.state.answerWith;
    return this.chooseFirstFactor(ctx, challenge);
  }

  async cancel(): Promise<void> {
    // Nothing to abandon upstream: a Session expires by itself (the app client's
    // AuthSessionValidity, 3 minutes by default).
  }

  /**
   * USER_AUTH: InitiateAuth with the name only. Cognito answers SELECT_CHALLENGE with the methods
   * this user has (AvailableChallenges), or at once with the one challenge there is.
   */
  private async startUserAuth(ctx: Ctx): Promise<ProviderResult> {
    const username = ctx.state.username;
    let body: WireObject;
    try {
      body = await this.call(ctx, 'InitiateAuth', {
        AuthFlow: 'USER_AUTH', ClientId: this.options.clientId,
        AuthParameters: { USERNAME: username, ...this.secretHash(username) },
      }, 'password');
    } catch (error) {
      // An unknown name (a pool without prevent-user-existence-errors): asked for a password like
      // anyone else, and refused like a wrong one, so the pages never tell the two apart.
      if (!MultiStepError.is(error) || error.code !== 'AUTH_FAILED') throw error;
      ctx.state.unknownUser = true;
      return this.single(ctx, passwordMechanism());
    }
    return this.interpret(ctx, body);
  }

  /**
   * USER_AUTH: the user's first factor. With the Session of SELECT_CHALLENGE unanswered,
   * RespondToAuthChallenge SELECT_CHALLENGE with ANSWER (and the password or SRP_A), or the
   * PASSWORD / PASSWORD_SRP challenge answered directly; otherwise (after a wrong password, or to
   * send a code again) a new InitiateAuth naming it as PREFERRED_CHALLENGE: all three as the API
   * reference (ChallengeResponses, AuthParameters) describes them and AWS's Amplify sends them.
   */
  private async firstFactor(ctx: Ctx, challenge: string, extra: Record<string, string> = {}): Promise<WireObject> {
    const during: During = challenge === 'PASSWORD' || challenge === 'PASSWORD_SRP' ? 'password' : 'other';
    const waiting = ctx.state.answerWith;
    delete ctx.state.answerWith; // a Session answers once
    if (waiting && ctx.state.session && (waiting === 'SELECT_CHALLENGE' || waiting === challenge)) {
      const username = ctx.state.userId ?? ctx.state.username;
      return this.call(ctx, 'RespondToAuthChallenge', {
        ChallengeName: waiting, ClientId: this.options.clientId,
        ChallengeResponses: { ...(waiting === 'SELECT_CHALLENGE' ? { ANSWER: challenge } : {}), ...extra, USERNAME: username, ...this.secretHash(username) },
        Session: ctx.state.session,
      }, during);
    }
    delete ctx.state.session;
    return this.call(ctx, 'InitiateAuth', {
      AuthFlow: 'USER_AUTH', ClientId: this.options.clientId,
      AuthParameters: { USERNAME: ctx.state.username, PREFERRED_CHALLENGE: challenge, ...extra, ...this.secretHash(ctx.state.username) },
    }, during);
  }

  /** USER_AUTH: a code by e-mail or SMS chosen as the first factor (or asked for again). */
  private async chooseFirstFactor(ctx: Ctx, challenge: string): Promise<ProviderResult> {
    const body = await this.firstFactor(ctx, challenge);
    const result = await this.interpret(ctx, body);
    // The code of a first factor chosen here can be asked for again (see resend).
    if (sendsCode(challenge) && body.ChallengeName === challenge && result.type === 'step') {
      ctx.state.codeChallenge = challenge;
      // The step's mechanisms are the stored views themselves (single / choiceStep): one mark serves both.
      for (const mechanism of result.step.mechanisms) mechanism.resendable = true;
      this.withAlternatives(ctx, result);
    }
    return result;
  }

  /** A first-factor step of a USER_AUTH login that had a choice: "try another way" goes back to it. */
  private withAlternatives<R extends ProviderResult>(ctx: Ctx, result: R): R {
    if (result.type === 'step' && (ctx.state.firstFactors?.length ?? 0) > 1) result.step.alternatives = true;
    return result;
  }

  private choiceStep(ctx: Ctx, choices: StoredMechanism[]): ProviderResult {
    ctx.state.offered = Object.fromEntries(choices.map((c) => [c.view.id, c]));
    return { type: 'step', step: { kind: 'select', mechanisms: choices.map((c) => c.view) } };
  }

  /** The password: USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH in one call, USER_SRP_AUTH (SRP_A, then PASSWORD_VERIFIER), or USER_AUTH's choice. */
  private async signIn(ctx: Ctx, chosen: StoredMechanism, password: string): Promise<ProviderResult> {
    if (ctx.state.unknownUser) throw new MultiStepError('AUTH_FAILED', { terminal: false });
    if (this.authFlow === 'USER_AUTH') {
      if (chosen.challenge === 'PASSWORD') return this.interpret(ctx, await this.firstFactor(ctx, 'PASSWORD', { PASSWORD: password }));
      const srp = newSrpClient();
      return this.verifyPassword(ctx, await this.firstFactor(ctx, 'PASSWORD_SRP', { SRP_A: srp.largeA }), srp, password);
    }
    delete ctx.state.session;
    delete ctx.state.userId;
    const username = ctx.state.username;
    if (this.authFlow === 'USER_PASSWORD_AUTH' || this.authFlow === 'ADMIN_USER_PASSWORD_AUTH') {
      const admin = this.authFlow === 'ADMIN_USER_PASSWORD_AUTH';
      const body = await this.call(ctx, admin ? 'AdminInitiateAuth' : 'InitiateAuth', {
        AuthFlow: this.authFlow, ClientId: this.options.clientId, ...(admin ? { UserPoolId: this.options.userPoolId } : {}),
        AuthParameters: { USERNAME: username, PASSWORD: password, ...this.secretHash(username) },
      }, 'password');
      return this.interpret(ctx, body);
    }
    const srp = newSrpClient();
    const first = await this.call(ctx, 'InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH', ClientId: this.options.clientId,
      AuthParameters: { USERNAME: username, SRP_A: srp.largeA, ...this.secretHash(username) },
    }, 'password');
    return this.verifyPassword(ctx, first, srp, password);
  }

  /** SRP's second half: PASSWORD_VERIFIER answered with the proof of the password. */
  private async verifyPassword(ctx: Ctx, first: WireObject, srp: SrpClient, password: string): Promise<ProviderResult> {
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

  /** (Admin)RespondToAuthChallenge with the latest Session, USERNAME and SECRET_HASH added. */
  private async respond(ctx: Ctx, challenge: string, responses: Record<string, string>, during: During, userId?: string): Promise<ProviderResult> {
    const username = userId ?? ctx.state.userId ?? ctx.state.username;
    const session = ctx.state.session;
    if (!session && challenge !== 'PASSWORD_VERIFIER') throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    const admin = this.sign !== undefined;
    const body = await this.call(ctx, admin ? 'AdminRespondToAuthChallenge' : 'RespondToAuthChallenge', {
      ChallengeName: challenge, ClientId: this.options.clientId, ...(admin ? { UserPoolId: this.options.userPoolId } : {}),
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
    const sent = this.sendContext ? { ...body, ...contextData(operation, ctx.client) } : body;
    const answer = await callCognito(ctx.http, this.endpoint, operation, sent, operation.startsWith('Admin') ? this.sign : undefined);
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
      case 'SELECT_CHALLENGE':
        return this.firstFactorChoice(ctx, body);
      case 'PASSWORD':
      case 'PASSWORD_SRP':
        // USER_AUTH asking for the password itself (e.g. the only method the user has).
        ctx.state.answerWith = challenge;
        return this.single(ctx, passwordMechanism(challenge));
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

  /**
   * USER_AUTH's SELECT_CHALLENGE: the methods of AvailableChallenges that work here (password —
   * by SRP when offered —, a code by e-mail or SMS). Only one: its step at once (a password needs
   * no call yet; a code is then sent, within the send limits).
   */
  private async firstFactorChoice(ctx: Ctx, body: WireObject): Promise<ProviderResult> {
    const available = Array.isArray(body.AvailableChallenges) ? body.AvailableChallenges.filter((c): c is string => typeof c === 'string') : [];
    const choices = userAuthChoices(available);
    const left = available.filter((c) => !choices.some((m) => m.challenge === c) && c !== 'PASSWORD');
    if (left.length) ctx.log('sign-in methods not offered', { methods: left.filter((c) => /^[A-Z_]{1,40}$/.test(c)).join(',') });
    if (choices.length === 0) throw new MultiStepError('MECHANISM_UNSUPPORTED', { details: { restart: true } });
    ctx.state.answerWith = 'SELECT_CHALLENGE';
    ctx.state.firstFactors = choices.map((c) => c.challenge!);
    if (choices.length === 1 && choices[0]!.kind === 'password') return this.single(ctx, choices[0]!);
    if (choices.length === 1 && choices[0]!.kind === 'choose' && (await mayStartOutOfBand(ctx))) return this.chooseFirstFactor(ctx, choices[0]!.challenge!);
    return this.choiceStep(ctx, choices);
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
