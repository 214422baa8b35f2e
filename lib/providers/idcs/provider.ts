/**
 * Oracle IDCS / OCI IAM identity domains, Authenticate API (`GET/POST /sso/v1/sdk/authenticate`
 * with a requestState that changes on every answer), as Oracle documents it: the docs page
 * "Using the Authenticate API to Develop a Custom Sign-in Page" (2025-01-14), Oracle's Postman
 * collections and sample sign-in client (idcsAuthnSDK.js, loginApp.js), all in
 * ../shared/vendor/idcs. The requestState, the app's access token and the authnToken never
 * leave the server.
 */
import { MultiStepError } from '../../errors.js';
import { baseUrl } from '../../http/base-url.js';
import { parseJsonBody } from '../../http/upstream-client.js';
import { createLogger } from '../../log.js';
import type { Answer, AnswerOptions, JsonObject, Provider, ProviderContext, ProviderResult, StartInput } from '../../provider.js';
import type { ProviderStep } from '../../step.js';
import { AccessTokenCache } from './access-token.js';
import { trustedDeviceName } from './device-name.js';
import { enrollmentChoices, enrollmentView } from './enrollment.js';
import { awaitsAnswer, describeDevice, offeredFactors, passwordFactor, refreshFactor, sendingFactors, type StoredFactor } from './factors.js';
import { type During, offersRetry, toFailure } from './failures.js';
import { termsOfUse } from './terms.js';
import { fetchUser, type UserInfoSettings } from './user-info.js';
import { factorObject, factorsOf, readResponse, type IdcsResponse } from './wire.js';

/** Configuration of the IDCS provider. */
export interface IdcsOptions {
  /** Identity domain URL, e.g. `https://idcs-0123456789abcdef.identity.oraclecloud.com`. */
  url: string;
  /** Client id of the confidential app (grants: Client Credentials and JWT Assertion; app role "Signin"). */
  clientId: string;
  /** Its client secret. Used only at the token endpoint; never logged. */
  clientSecret: string;
  /** The app whose sign-on policy applies (`appName` of the first call). */
  appName?: string;
  /** Scope of the app's client-credentials token. Default `urn:opc:idm:__myscopes__`. */
  scope?: string;
  /** Scope of the user token from the jwt-bearer exchange. Default `urn:opc:idm:__myscopes__`, as in Oracle's collections. */
  userTokenScope?: string;
  /**
   * How an authenticator app is enrolled during sign-in: `'online'` (Oracle Mobile
   * Authenticator scans the QR code and registers itself; the page waits) or `'offline'`
   * (`offlineTotp: true`, as Oracle's sample client sends: any TOTP app, QR code and key,
   * then a typed code). Default `'online'`.
   */
  totpEnrollment?: 'online' | 'offline';
  /**
   * UNVERIFIED: send the trustToken this browser kept from an earlier login of the user (as a
   * top-level `trustToken` of the password submit). Oracle documents issuing the token, not
   * sending it back. Default `false`: the token is handed to `verify` only.
   */
  sendTrustToken?: boolean;
  /** Upstream calls one user action may chain (e.g. `createToken` after a verified enrollment). Default 4. */
  maxChainedCalls?: number;
}

/** The handles kept in the session for one login. */
interface IdcsState extends JsonObject {
  username: string;
  /** The latest requestState IDCS handed out with a step (a failure without a step keeps the previous one). */
  requestState?: string;
  /** The mechanisms of the current step, by local id. */
  offered: Record<string, StoredFactor>;
  /** Local id of the mechanism in play. */
  current?: string;
  /** Whether IDCS offers to trust this device, and for how long (`trustedDeviceSettings`). */
  trustDays?: number;
  /** The user ticked "remember this device": the name the device is listed under. */
  trustedDeviceName?: string;
  /** A wrong password was typed: the next one goes with the requestState the failed call used. */
  passwordFailed?: boolean;
  /** A remembered device's trustToken (only with `sendTrustToken`), sent with the password once. */
  pendingTrustToken?: string;
}

type Ctx = ProviderContext<IdcsState>;

interface Operation extends JsonObject {
  op: string;
  authFactor?: string;
  credentials?: JsonObject;
}

const authenticatePath = 'sso/v1/sdk/authenticate';
const myScopes = 'urn:opc:idm:__myscopes__';

export class IdcsProvider implements Provider<IdcsState> {
  readonly name = 'idcs';
  private readonly base: URL;
  private readonly tokens: AccessTokenCache;
  private readonly userInfo: UserInfoSettings;
  private readonly maxChainedCalls: number;

  constructor(private readonly options: IdcsOptions) {
    if (!options.clientId || !options.clientSecret) throw new TypeError('IDCS provider: clientId and clientSecret are required');
    if (options.totpEnrollment !== undefined && options.totpEnrollment !== 'online' && options.totpEnrollment !== 'offline') {
      throw new TypeError("IDCS provider: totpEnrollment must be 'online' or 'offline'");
    }
    this.base = baseUrl(options.url, 'IDCS');
    const client = { tokenUrl: new URL('oauth2/v1/token', this.base), clientId: options.clientId, clientSecret: options.clientSecret };
    this.tokens = new AccessTokenCache(client, options.scope ?? myScopes, createLogger('idcs'));
    this.userInfo = { client, meUrl: new URL('admin/v1/Me', this.base), scope: options.userTokenScope ?? myScopes };
    this.maxChainedCalls = options.maxChainedCalls ?? 4;
  }

  async start(ctx: Ctx, input: StartInput): Promise<ProviderResult> {
    ctx.state = { username: input.username, offered: {}, ...(input.deviceToken && this.options.sendTrustToken ? { pendingTrustToken: input.deviceToken } : {}) };
    const first = await this.begin(ctx);
    if (first.nextAuthFactors.includes('USERNAME') && first.nextOp.includes('credSubmit')) {
      // "User name first" (what idcsAuthnSDK.js postUserName sends): the name is already known.
      return this.submit(ctx, { op: 'credSubmit', authFactor: 'USERNAME', credentials: { username: input.username } }, 'password');
    }
    return this.interpret(ctx, first);
  }

  async select(ctx: Ctx, mechanismId: string): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    ctx.state.current = chosen.view.id;
    switch (chosen.factor) {
      case 'SKIP':
        return this.submit(ctx, { op: 'createToken' }, 'other');
      case 'ENROLL': {
        const factor = chosen.enrollFactor!;
        if (factor === 'SMS') return this.single(ctx, chosen, 'answer'); // the phone number first
        const offline = factor === 'TOTP' && this.options.totpEnrollment === 'offline';
        return this.submit(ctx, { op: 'enrollment', authFactor: factor, ...(offline ? { credentials: { offlineTotp: true } } : {}) }, 'enrollment', chosen);
      }
      default:
        if (!sendingFactors.has(chosen.factor)) return this.single(ctx, chosen, 'answer');
        // Choosing a device is what makes IDCS send the code or the push (docs: "Use a backup factor").
        return this.submit(ctx, { op: 'credSubmit', authFactor: chosen.factor, credentials: deviceOf(chosen) }, chosen.factor === 'PUSH' ? 'push' : 'factor', chosen);
    }
  }

  async answer(ctx: Ctx, mechanismId: string, answer: Answer, options: AnswerOptions): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    ctx.state.current = chosen.view.id;
    if (options.rememberDevice && ctx.state.trustDays) ctx.state.trustedDeviceName = trustedDeviceName(ctx.client.userAgent);
    switch (chosen.factor) {
      case 'USERNAME_PASSWORD':
        return this.submitPassword(ctx, text(answer));
      case 'TOU': {
        const choice = text(answer).toLowerCase();
        if (choice !== 'accept' && choice !== 'decline') throw new MultiStepError('BAD_REQUEST', { message: 'Answer "accept" or "decline".' });
        return this.submit(ctx, { op: 'acceptTOU', credentials: { consent: choice === 'accept' } }, 'terms');
      }
      case 'ENROLL':
        return this.answerEnrollment(ctx, chosen, answer);
      default:
        return this.submit(ctx, this.withTrust(ctx, { op: 'credSubmit', authFactor: chosen.factor, credentials: credentialsFor(chosen, answer) }), 'factor', chosen);
    }
  }

  async poll(ctx: Ctx): Promise<ProviderResult> {
    const chosen = this.currentFactor(ctx);
    // Docs, "Authenticate Using the Preferred Factor (PUSH)": poll with credSubmit and the latest requestState.
    if (chosen.factor === 'ENROLL') return this.submit(ctx, { op: 'credSubmit' }, 'enrollment', chosen);
    if (chosen.factor !== 'PUSH') throw new MultiStepError('ACTION_NOT_ALLOWED');
    return this.submit(ctx, this.withTrust(ctx, { op: 'credSubmit' }), 'push', chosen);
  }

  async resend(ctx: Ctx): Promise<ProviderResult> {
    const chosen = this.currentFactor(ctx);
    const result = await this.submit(ctx, { op: 'resendCode' }, 'other', chosen);
    if (result.type === 'step') result.step.message = 'A new code has been sent.';
    return result;
  }

  async alternatives(ctx: Ctx): Promise<ProviderResult> {
    delete ctx.state.current;
    return this.submit(ctx, { op: 'getBackupFactors' }, 'other');
  }

  async cancel(): Promise<void> {
    // The Authenticate API has no call to abandon a sign-in: the requestState simply expires.
  }

  /** The first call: which factors the sign-on policy asks for first. */
  private begin(ctx: Ctx): Promise<IdcsResponse> {
    const url = new URL(authenticatePath, this.base);
    if (this.options.appName) url.searchParams.set('appName', this.options.appName);
    return this.send(ctx, 'GET', url, undefined, 'other');
  }

  /**
   * A wrong password (401 `AUTH-3001`) comes without nextOp; Oracle's sample client shows the
   * message and, on the next try, sends the requestState the failed call used (loginApp.js
   * updates it only from answers that carry nextOp). Should IDCS refuse that one, the login
   * begins again upstream, invisibly to the user.
   */
  private async submitPassword(ctx: Ctx, password: string): Promise<ProviderResult> {
    const trustToken = ctx.state.pendingTrustToken;
    const operation: Operation = { op: 'credSubmit', credentials: { username: ctx.state.username, password }, ...(trustToken ? { trustToken } : {}) };
    const retrying = ctx.state.passwordFailed === true;
    try {
      return await this.submit(ctx, operation, 'password');
    } catch (error) {
      if (!MultiStepError.is(error)) throw error;
      if (error.code === 'AUTH_FAILED' && error.terminal === false) ctx.state.passwordFailed = true;
      if (!retrying || error.code !== 'TRANSACTION_EXPIRED') throw error;
      ctx.log('requestState refused after a wrong password; beginning again');
      const first = await this.begin(ctx);
      if (!first.nextOp.includes('credSubmit')) return this.interpret(ctx, first);
      return await this.submit(ctx, operation, 'password');
    } finally {
      delete ctx.state.pendingTrustToken;
    }
  }

  private answerEnrollment(ctx: Ctx, chosen: StoredFactor, answer: Answer): Promise<ProviderResult> {
    const factor = chosen.enrollFactor!;
    if (factor === 'SMS' && chosen.view.type === 'phone-number') {
      const { countryCode, phoneNumber } = fields(answer);
      return this.submit(ctx, { op: 'enrollment', authFactor: 'SMS', credentials: { phoneNumber: phoneNumber!, ...(countryCode ? { countryCode } : {}) } }, 'enrollment', chosen);
    }
    // Enrollment is proven without authFactor, as in Oracle's collection and sample client.
    if (factor === 'SECURITY_QUESTIONS') return this.submit(ctx, { op: 'credSubmit', credentials: questionAnswers(chosen, answer) }, 'factor', chosen);
    return this.submit(ctx, { op: 'credSubmit', credentials: { otpCode: text(answer) } }, 'factor', chosen);
  }

  /**
   * Sends an operation with the latest requestState and turns the answer into a result. A wrong
   * code or answer that comes with a fresh step is a `retry` of the same mechanism.
   */
  private async submit(ctx: Ctx, operation: Operation, during: During, chosen?: StoredFactor): Promise<ProviderResult> {
    if (!ctx.state.requestState) throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    const response = await this.send(ctx, 'POST', new URL(authenticatePath, this.base), { ...operation, requestState: ctx.state.requestState }, during);
    if (response.status !== 'failed') return this.interpret(ctx, response, chosen);
    const failure = toFailure(response, during);
    ctx.log('upstream refused', { upstreamCode: response.cause?.code ?? null, upstreamErrorId: response.ecId ?? null, errorCode: failure.code, terminal: failure.terminal !== false });
    if (failure.code === 'WRONG_ANSWER' && failure.terminal === false && chosen) {
      const refreshed = refreshFactor(chosen, response);
      if (refreshed !== chosen) return { type: 'retry', step: this.single(ctx, refreshed, 'answer', response).step, error: failure };
    }
    throw failure;
  }

  /**
   * One authenticate call. An HTML 401 means the app's access token is no longer valid: renew
   * it and replay the same call once. The requestState of every answer that carries a step
   * replaces the stored one.
   */
  private async send(ctx: Ctx, method: 'GET' | 'POST', url: URL, json: JsonObject | undefined, during: During): Promise<IdcsResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get(ctx.http);
      const response = await ctx.http.request({ method, url, headers: { authorization: `Bearer ${token}` }, ...(json ? { json } : {}) }, ctx.jar);
      if (response.status === 401 && !/\bjson\b/i.test(response.contentType)) {
        this.tokens.invalidate(token);
        if (attempt === 0) { ctx.log('access token rejected, renewing'); continue; }
        throw new MultiStepError('UPSTREAM_UNAVAILABLE');
      }
      if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
      const parsed = readResponse(parseJsonBody(response), response.status);
      if (parsed.status !== 'failed' || offersRetry(parsed)) {
        if (parsed.requestState) ctx.state.requestState = parsed.requestState;
        else delete ctx.state.requestState;
        if (parsed.status !== 'failed' && during === 'password') delete ctx.state.passwordFailed;
      }
      ctx.log('upstream answer', { method, op: typeof json?.op === 'string' ? json.op : null, status: parsed.status, nextOp: parsed.nextOp, factors: factorsOf(parsed) });
      return parsed;
    }
  }

  /** Any answer that is not a failure → the next step, or success. `chosen` is the mechanism the call was about. */
  private async interpret(ctx: Ctx, response: IdcsResponse, chosen?: StoredFactor, chained = 0): Promise<ProviderResult> {
    if (response.trustDurationInDays) ctx.state.trustDays = response.trustDurationInDays;
    if (response.authnToken) return this.success(ctx, response);
    if (response.status === 'pending') return this.pending(ctx, response, chosen);
    const { nextOp } = response;
    if (nextOp.includes('acceptTOU')) return this.single(ctx, termsOfUse(response), 'answer', response);
    if (chosen?.factor === 'ENROLL' && nextOp.includes('credSubmit') && factorObject(response, chosen.enrollFactor!)) {
      const { stored, pending } = enrollmentView(chosen, response);
      return this.single(ctx, stored, pending ? 'pending' : 'answer', response);
    }
    if (nextOp.includes('enrollment') && response.nextAuthFactors.length > 0 && !nextOp.includes('credSubmit')) {
      const choices = enrollmentChoices(response);
      if (!(choices.length === 1 && choices[0]!.factor === 'SKIP')) return this.choose(ctx, choices, response);
    } else if (nextOp.includes('credSubmit')) {
      return this.choose(ctx, offeredFactors(response).map((offered) => sameAs(chosen, offered)), response);
    }
    if (nextOp.includes('createToken')) {
      // A verified enrollment (`nextOp: [createToken, createSession, enrollment]`, no factors), or an optional one with nothing we can enroll.
      if (chained >= this.maxChainedCalls) {
        ctx.log('too many chained calls', { chained });
        throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
      }
      const next = await this.send(ctx, 'POST', new URL(authenticatePath, this.base), { op: 'createToken', requestState: ctx.state.requestState ?? '' }, 'other');
      if (next.status === 'failed') throw toFailure(next, 'other');
      return this.interpret(ctx, next, undefined, chained + 1);
    }
    ctx.log('unexpected response', { nextOp, status: response.status });
    throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  }

  /** `status: "pending"`: a push awaiting approval (AUTH-1108), or an app enrollment awaiting the app (AUTH-1109). */
  private pending(ctx: Ctx, response: IdcsResponse, chosen?: StoredFactor): ProviderResult {
    if (chosen?.factor === 'ENROLL') {
      const { stored } = enrollmentView(chosen, response);
      // A repeated poll keeps the QR code of the first answer.
      const view = factorObject(response, chosen.enrollFactor!) ? stored.view : chosen.view;
      return this.single(ctx, { ...stored, view }, 'pending', response);
    }
    const push = chosen?.factor === 'PUSH' ? chosen : offeredFactors(response).find((f) => f.factor === 'PUSH');
    if (!push && response.cause?.code !== 'AUTH-1108') {
      ctx.log('unexpected pending answer', { upstreamCode: response.cause?.code ?? null });
      throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    }
    const stored = push ?? { factor: 'PUSH', view: { id: 'push', type: 'push', label: 'Push notification', prompt: 'Approve the notification sent to your device.' } };
    if (!chosen) describeDevice(stored, response.displayName);
    return this.single(ctx, stored, 'pending', response);
  }

  /** A choice among the offered mechanisms; one that needs no upstream call to use is used straight away. */
  private choose(ctx: Ctx, offered: StoredFactor[], response: IdcsResponse): ProviderResult {
    const usable = offered.filter((m) => m.view.type !== 'unsupported');
    if (usable.length === 0) throw new MultiStepError('MECHANISM_UNSUPPORTED', { details: { restart: true } });
    if (offered.length === 1) {
      const only = usable[0]!;
      const direct = only.factor !== 'ENROLL' && only.factor !== 'SKIP' && (!sendingFactors.has(only.factor) || awaitsAnswer(response, only.factor));
      if (direct) return this.single(ctx, only, 'answer', response);
    }
    ctx.state.offered = Object.fromEntries(offered.map((m) => [m.view.id, m]));
    delete ctx.state.current;
    return { type: 'step', step: this.decorate(ctx, { kind: 'select', mechanisms: offered.map((m) => m.view) }, response) };
  }

  /** A step with exactly one mechanism in play. */
  private single(ctx: Ctx, mechanism: StoredFactor, kind: 'answer' | 'pending', response?: IdcsResponse): { type: 'step'; step: ProviderStep } {
    const view = { ...mechanism.view };
    const codeFactor = mechanism.factor === 'SMS' || mechanism.factor === 'EMAIL' || mechanism.enrollFactor === 'SMS' || mechanism.enrollFactor === 'EMAIL';
    if (response?.nextOp.includes('resendCode') && codeFactor && view.type === 'otp') view.resendable = true;
    else delete view.resendable;
    // An app enrollment may also be proven with a typed code (the TOTP object lists otpCode).
    if (kind === 'pending') view.acceptsCode = mechanism.factor === 'ENROLL' && mechanism.enrollFactor === 'TOTP';
    ctx.state.offered = { [view.id]: { ...mechanism, view } };
    ctx.state.current = view.id;
    return { type: 'step', step: this.decorate(ctx, { kind, mechanisms: [view] }, response) };
  }

  /** "Try another way" and "remember this device", where IDCS offers them. */
  private decorate(ctx: Ctx, step: ProviderStep, response?: IdcsResponse): ProviderStep {
    if (response?.nextOp.includes('getBackupFactors')) step.alternatives = true;
    const mfa = step.mechanisms.some((m) => m.type !== 'password' && m.type !== 'consent' && m.type !== 'skip' && !m.enroll);
    if (ctx.state.trustDays && mfa) step.rememberDevice = { days: ctx.state.trustDays };
    return step;
  }

  private async success(ctx: Ctx, response: IdcsResponse): Promise<ProviderResult> {
    const { profile, tokens } = await fetchUser(ctx.http, this.userInfo, response.authnToken!, ctx.log);
    if (response.trustToken) tokens.trustToken = response.trustToken;
    const result: ProviderResult = { type: 'success', profile, tokens };
    if (response.trustToken && ctx.state.trustedDeviceName) {
      result.deviceToken = { value: response.trustToken, maxAgeSeconds: (ctx.state.trustDays ?? 15) * 86_400 };
    }
    return result;
  }

  /**
   * Adds the trusted-device request to a factor answer when the user asked for it: the fields
   * of idcsAuthnSDK.js (`trustedDevice`, `trustedDeviceDisplayName` "<browser> on <OS>").
   */
  private withTrust(ctx: Ctx, operation: Operation): Operation {
    const name = ctx.state.trustedDeviceName;
    return name ? { ...operation, trustedDevice: true, trustedDeviceDisplayName: name } : operation;
  }

  private offered(ctx: Ctx, localId: string): StoredFactor {
    const chosen = Object.hasOwn(ctx.state.offered, localId) ? ctx.state.offered[localId] : undefined;
    if (!chosen || chosen.view.type === 'unsupported') throw new MultiStepError('MECHANISM_NOT_OFFERED');
    return chosen;
  }

  private currentFactor(ctx: Ctx): StoredFactor {
    if (!ctx.state.current) throw new MultiStepError('ACTION_NOT_ALLOWED');
    return this.offered(ctx, ctx.state.current);
  }
}

/** The mechanism the user chose keeps its id and device when IDCS answers about the same factor. */
function sameAs(chosen: StoredFactor | undefined, offered: StoredFactor): StoredFactor {
  if (!chosen || chosen.factor !== offered.factor || offered.deviceId !== undefined) return offered;
  const { maskedAddress, device, questions } = offered.view;
  return {
    ...chosen,
    ...(offered.questionIds && questions?.length ? { questionIds: offered.questionIds } : {}),
    view: { ...chosen.view, ...(maskedAddress ? { maskedAddress } : {}), ...(device ? { device } : {}), ...(questions?.length ? { questions } : {}) },
  };
}

function deviceOf(chosen: StoredFactor): JsonObject {
  return chosen.deviceId ? { deviceId: chosen.deviceId } : {};
}

function text(answer: Answer): string {
  if (typeof answer !== 'string') throw new MultiStepError('BAD_REQUEST');
  return answer;
}

function fields(answer: Answer): Record<string, string> {
  if (typeof answer === 'string') throw new MultiStepError('BAD_REQUEST');
  return answer;
}

/** `credentials.questions` of a security-questions answer: `[{questionId, answer}]`. */
function questionAnswers(chosen: StoredFactor, answer: Answer): JsonObject {
  return {
    questions: Object.entries(fields(answer)).map(([local, value]) => {
      const questionId = chosen.questionIds?.[local];
      if (!questionId) throw new MultiStepError('MECHANISM_NOT_OFFERED');
      return { questionId, answer: value };
    }),
  };
}

/** The credentials of a factor answer (AuthAPIFactorsCredentials.md), with the device IDCS listed for it. */
function credentialsFor(chosen: StoredFactor, answer: Answer): JsonObject {
  switch (chosen.factor) {
    case 'SECURITY_QUESTIONS':
      return questionAnswers(chosen, answer);
    case 'BYPASSCODE':
      return { bypassCode: text(answer) };
    default:
      return { otpCode: text(answer), ...deviceOf(chosen) };
  }
}

/** Creates the IDCS provider. */
export function idcs(options: IdcsOptions): IdcsProvider {
  return new IdcsProvider(options);
}
