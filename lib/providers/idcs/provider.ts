/**
 * Oracle IDCS / OCI IAM Identity Domains authentication API: `GET/POST
 * /sso/v1/sdk/authenticate` with a requestState that changes on every response.
 * Wire facts: idcs.md. The requestState and the app's access token never leave the server.
 */
import { MultiStepError } from '../../errors.js';
import { baseUrl } from '../../http/base-url.js';
import { parseJsonBody } from '../../http/upstream-client.js';
import { createLogger } from '../../log.js';
import type { Answer, AnswerOptions, JsonObject, Provider, ProviderContext, ProviderResult, StartInput } from '../../provider.js';
import type { ProviderStep } from '../../step.js';
import { AccessTokenCache } from './access-token.js';
import { readClaims, toProfile } from './authn-token.js';
import { enrollmentChoices, offeredFactors, termsOfUse, totpEnrollmentView, type StoredFactor } from './factors.js';
import { toFailure } from './failures.js';
import { readResponse, type IdcsResponse } from './wire.js';

/** Configuration of the IDCS provider. */
export interface IdcsOptions {
  /** Identity domain URL, e.g. `https://idcs-0123456789abcdef.identity.oraclecloud.com`. */
  url: string;
  /** Client id of the confidential app that has the "Signin" (authentication API) role. */
  clientId: string;
  /** Its client secret. Used only for the token request; never logged. */
  clientSecret: string;
  /** The app whose sign-on policy applies (`appName` of the first call). */
  appName?: string;
  /** Scope of the client-credentials token. Default `urn:opc:idm:__myscopes__`. */
  scope?: string;
}

/** The handles kept in the session for one login. */
interface IdcsState extends JsonObject {
  username: string;
  /** Always the latest one IDCS sent. */
  requestState?: string;
  /** The mechanisms of the current step, by local id. */
  offered: Record<string, StoredFactor>;
  /** Local id of the mechanism in play. */
  current?: string;
  /** Whether IDCS offers to trust this device, and for how long. */
  trustDays?: number;
  /** The user ticked "remember this device". */
  remember?: boolean;
  displayName?: string;
  /** A remembered device's trustToken, sent with the first credentials and then dropped. */
  pendingTrustToken?: string;
}

type Ctx = ProviderContext<IdcsState>;
type During = 'password' | 'factor' | 'push' | 'other';

interface Operation extends JsonObject {
  op: string;
  authFactor?: string;
  credentials?: JsonObject;
}

const authenticatePath = 'sso/v1/sdk/authenticate';

export class IdcsProvider implements Provider<IdcsState> {
  readonly name = 'idcs';
  private readonly base: URL;
  private readonly tokens: AccessTokenCache;

  constructor(private readonly options: IdcsOptions) {
    if (!options.clientId || !options.clientSecret) throw new TypeError('IDCS provider: clientId and clientSecret are required');
    this.base = baseUrl(options.url, 'IDCS');
    this.tokens = new AccessTokenCache({
      tokenUrl: new URL('oauth2/v1/token', this.base),
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scope: options.scope ?? 'urn:opc:idm:__myscopes__',
    }, createLogger('idcs'));
  }

  async start(ctx: Ctx, input: StartInput): Promise<ProviderResult> {
    ctx.state = { username: input.username, offered: {}, ...(input.deviceToken ? { pendingTrustToken: input.deviceToken } : {}) };
    const url = new URL(authenticatePath, this.base);
    if (this.options.appName) url.searchParams.set('appName', this.options.appName);
    const first = await this.call(ctx, 'GET', url, undefined, 'other');
    if (first.nextAuthFactors.includes('USERNAME') && first.nextOp.includes('credSubmit')) {
      // "User name first": the name is already known, send it straight away.
      return this.handle(ctx, await this.post(ctx, this.firstCredentials(ctx, { username: input.username }), 'password'));
    }
    return this.handle(ctx, first);
  }

  async select(ctx: Ctx, mechanismId: string): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    ctx.state.current = chosen.view.id;
    switch (chosen.factor) {
      case 'SKIP':
        return this.handle(ctx, await this.post(ctx, { op: 'createToken' }, 'other'));
      case 'ENROLL':
        if (chosen.enrollFactor === 'SMS') return this.single(ctx, chosen, 'answer');
        return this.handle(ctx, await this.post(ctx, {
          op: 'enrollment', authFactor: chosen.enrollFactor!, credentials: chosen.enrollFactor === 'TOTP' ? { offlineTotp: true } : {},
        }, 'other'), chosen);
      case 'SMS':
      case 'EMAIL':
      case 'PUSH':
        // Choosing a device is what makes IDCS send the code or the push.
        return this.handle(ctx, await this.post(ctx, { op: 'credSubmit', authFactor: chosen.factor, credentials: device(chosen) }, chosen.factor === 'PUSH' ? 'push' : 'factor'), chosen);
      default:
        return this.single(ctx, chosen, 'answer');
    }
  }

  async answer(ctx: Ctx, mechanismId: string, answer: Answer, options: AnswerOptions): Promise<ProviderResult> {
    const chosen = this.offered(ctx, mechanismId);
    ctx.state.current = chosen.view.id;
    if (options.rememberDevice && ctx.state.trustDays) ctx.state.remember = true;
    switch (chosen.factor) {
      case 'USERNAME_PASSWORD':
        return this.handle(ctx, await this.post(ctx, this.firstCredentials(ctx, { username: ctx.state.username, password: text(answer) }), 'password'));
      case 'TOU':
        if (text(answer).toLowerCase() !== 'accept') throw new MultiStepError('CANCELLED');
        return this.handle(ctx, await this.post(ctx, { op: 'acceptTOU', credentials: { consent: true } }, 'other'));
      case 'ENROLL':
        if (chosen.enrollFactor === 'SMS' && chosen.view.type === 'phone-number') {
          const { countryCode, phoneNumber } = fields(answer);
          return this.handle(ctx, await this.post(ctx, { op: 'enrollment', authFactor: 'SMS', credentials: { countryCode, phoneNumber } }, 'other'), chosen);
        }
        return this.handle(ctx, await this.post(ctx, this.withTrust(ctx, { op: 'credSubmit', authFactor: chosen.enrollFactor!, credentials: { otpCode: text(answer) } }), 'factor'));
      default:
        return this.handle(ctx, await this.post(ctx, this.withTrust(ctx, { op: 'credSubmit', authFactor: chosen.factor, credentials: credentialsFor(chosen, answer) }), 'factor'));
    }
  }

  async poll(ctx: Ctx): Promise<ProviderResult> {
    const chosen = this.currentFactor(ctx);
    if (chosen.factor !== 'PUSH') throw new MultiStepError('ACTION_NOT_ALLOWED');
    return this.handle(ctx, await this.post(ctx, this.withTrust(ctx, { op: 'credSubmit', authFactor: 'PUSH', credentials: device(chosen) }), 'push'), chosen);
  }

  async resend(ctx: Ctx): Promise<ProviderResult> {
    const chosen = this.currentFactor(ctx);
    const result = await this.handle(ctx, await this.post(ctx, { op: 'resendCode' }, 'other'), chosen);
    if (result.type === 'step') result.step.message = 'A new code has been sent.';
    return result;
  }

  async alternatives(ctx: Ctx): Promise<ProviderResult> {
    return this.handle(ctx, await this.post(ctx, { op: 'getBackupFactors' }, 'other'));
  }

  async cancel(): Promise<void> {
    // IDCS has no call to abandon a sign-in: the requestState simply expires.
  }

  /** Sends an operation with the latest requestState. */
  private post(ctx: Ctx, operation: Operation, during: During): Promise<IdcsResponse> {
    if (!ctx.state.requestState) throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    return this.call(ctx, 'POST', new URL(authenticatePath, this.base), { ...operation, requestState: ctx.state.requestState }, during);
  }

  /**
   * One authenticate call. An HTML 401 means the app's access token expired: renew it
   * and replay the same call once (idcs.md §1). The requestState of every answer, failed
   * ones included, replaces the stored one before anything else happens.
   */
  private async call(ctx: Ctx, method: 'GET' | 'POST', url: URL, json: JsonObject | undefined, during: During): Promise<IdcsResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get(ctx.http);
      const response = await ctx.http.request({
        method, url, headers: { authorization: `Bearer ${token}` }, ...(json ? { json } : {}),
      }, ctx.jar);
      if (response.status === 401 && !/\bjson\b/i.test(response.contentType)) {
        this.tokens.invalidate(token);
        if (attempt === 0) { ctx.log('access token rejected, renewing'); continue; }
        throw new MultiStepError('UPSTREAM_UNAVAILABLE');
      }
      if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
      const parsed = readResponse(parseJsonBody(response));
      if (parsed.requestState) ctx.state.requestState = parsed.requestState;
      else delete ctx.state.requestState;
      if (parsed.status === 'failed') {
        const failure = toFailure(parsed, during);
        ctx.log('upstream refused', { upstreamCode: parsed.cause?.code ?? null, upstreamErrorId: parsed.ecId, errorCode: failure.code });
        throw failure;
      }
      return parsed;
    }
  }

  /** Any non-failed response → the next step, or success. `chosen` is the mechanism the call was about. */
  private async handle(ctx: Ctx, response: IdcsResponse, chosen?: StoredFactor): Promise<ProviderResult> {
    if (response.displayName) ctx.state.displayName = response.displayName;
    if (response.trustDurationInDays) ctx.state.trustDays = response.trustDurationInDays;
    if (response.status === 'pending') {
      if (response.cause?.code !== 'AUTH-1108' || chosen?.factor !== 'PUSH') throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
      return this.single(ctx, chosen, 'pending');
    }
    if (response.authnToken) return this.success(ctx, response);
    const { nextOp } = response;
    if (nextOp.includes('acceptTOU')) return this.single(ctx, termsOfUse(response), 'answer');
    if (nextOp.includes('enrollment') && !nextOp.includes('credSubmit')) return this.choose(ctx, enrollmentChoices(response), response);
    if (nextOp.includes('credSubmit')) {
      if (chosen?.factor === 'ENROLL') {
        // The enrollment started: the user now proves it with a code (TOTP: after scanning the QR code).
        const proving = chosen.enrollFactor === 'TOTP' ? totpEnrollmentView(chosen, response) : chosen;
        const { fields: _phoneFields, ...view } = proving.view;
        if (chosen.enrollFactor === 'SMS') view.prompt = 'Enter the code sent to your phone.';
        return this.single(ctx, { ...proving, view: { ...view, type: 'otp', ...(nextOp.includes('resendCode') ? { resendable: true } : {}) } }, 'answer', response);
      }
      if (chosen && (chosen.factor === 'SMS' || chosen.factor === 'EMAIL') && !response.nextAuthFactors.some((f) => f !== chosen.factor)) {
        return this.single(ctx, chosen, 'answer', response); // the code is on its way
      }
      return this.choose(ctx, offeredFactors(response), response);
    }
    if (nextOp.includes('createToken')) return this.handle(ctx, await this.post(ctx, { op: 'createToken' }, 'other'));
    ctx.log('unexpected response', { nextOp });
    throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  }

  /**
   * A choice among the offered mechanisms; a single one is used straight away
   * (a single push is sent at once, a single SMS/e-mail code was already sent by IDCS).
   */
  private async choose(ctx: Ctx, offered: StoredFactor[], response: IdcsResponse): Promise<ProviderResult> {
    const usable = offered.filter((m) => m.view.type !== 'unsupported');
    if (usable.length === 0) throw new MultiStepError('MECHANISM_UNSUPPORTED', { details: { restart: true } });
    if (offered.length === 1) {
      const only = usable[0]!;
      if (only.factor === 'PUSH') {
        ctx.state.offered = { [only.view.id]: only };
        ctx.state.current = only.view.id;
        return this.handle(ctx, await this.post(ctx, { op: 'credSubmit', authFactor: 'PUSH', credentials: device(only) }, 'push'), only);
      }
      if (only.factor !== 'ENROLL' && only.factor !== 'SKIP') return this.single(ctx, only, 'answer', response);
    }
    ctx.state.offered = Object.fromEntries(offered.map((m) => [m.view.id, m]));
    delete ctx.state.current;
    return { type: 'step', step: this.decorate(ctx, { kind: 'select', mechanisms: offered.map((m) => m.view) }, response) };
  }

  /** A step with exactly one mechanism in play. */
  private single(ctx: Ctx, mechanism: StoredFactor, kind: 'answer' | 'pending', response?: IdcsResponse): ProviderResult {
    const view = { ...mechanism.view };
    if (response?.nextOp.includes('resendCode') && (mechanism.factor === 'SMS' || mechanism.factor === 'EMAIL')) view.resendable = true;
    if (kind === 'pending') view.acceptsCode = false;
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

  private success(ctx: Ctx, response: IdcsResponse): ProviderResult {
    const claims = readClaims(response.authnToken!);
    const profile = toProfile(claims, ctx.state.displayName);
    const result: ProviderResult = { type: 'success', profile, tokens: { authnToken: response.authnToken, ...(response.trustToken ? { trustToken: response.trustToken } : {}) } };
    if (response.trustToken && ctx.state.remember) {
      result.deviceToken = { value: response.trustToken, maxAgeSeconds: (ctx.state.trustDays ?? 15) * 86_400 };
    }
    return result;
  }

  /**
   * The first credentials of a login carry the device's trustToken, if this browser has
   * one for the user (top-level `trustToken`: INFERRED, see the README); it is used once.
   */
  private firstCredentials(ctx: Ctx, credentials: JsonObject): Operation {
    const trustToken = ctx.state.pendingTrustToken;
    delete ctx.state.pendingTrustToken;
    return { op: 'credSubmit', credentials, ...(trustToken ? { trustToken } : {}) };
  }

  /** Adds the trusted-device request to a factor answer when the user asked for it. */
  private withTrust(ctx: Ctx, operation: Operation): Operation {
    return ctx.state.remember ? { ...operation, trustedDevice: true, trustedDeviceDisplayName: 'Web browser' } : operation;
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

function device(chosen: StoredFactor): JsonObject {
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

/** The credentials object of a factor answer (idcs.md §2). */
function credentialsFor(chosen: StoredFactor, answer: Answer): JsonObject {
  switch (chosen.factor) {
    case 'SECURITY_QUESTIONS': {
      const answers = fields(answer);
      return { questions: Object.entries(answers).map(([local, value]) => {
        const questionId = chosen.questionIds?.[local];
        if (!questionId) throw new MultiStepError('MECHANISM_NOT_OFFERED');
        return { questionId, answer: value };
      }) };
    }
    case 'BYPASSCODE':
      return { bypassCode: text(answer) };
    default:
      return { otpCode: text(answer), ...device(chosen) };
  }
}

/** Creates the IDCS provider. */
export function idcs(options: IdcsOptions): IdcsProvider {
  return new IdcsProvider(options);
}
