/**
 * Oracle Advanced Authentication runtime API (`POST/PUT {OAAService}/authn/v1`, oaa.md).
 * OAA is a second factor: the first factor is your app's password check
 * (`verifyPassword`, e.g. LDAP) or another provider (e.g. CyberArk or IDCS), and OAA
 * then challenges the user with the factors its rules pick. Every response carries a new
 * nonce; only the latest one is ever sent back.
 *
 * Preview: the requests follow Oracle's reference (shared/vendor/oaa-evidence.md); the
 * request shapes it does not show are options defaulting to the documented form
 * (`requestFields`). No response body is public, so every response name and status spelling
 * is UNVERIFIED and configurable (`responseFields`, `statusValues`, see wire.ts). An answer
 * this provider cannot read is UPSTREAM_BAD_RESPONSE at every call, logged with its field
 * names; only a recognised "missing registration" is REGISTRATION_REQUIRED.
 */
import { MultiStepError } from '../../errors.js';
import { isOutOfBand, mayStartOutOfBand } from '../../limits/out-of-band.js';
import { baseUrl } from '../../http/base-url.js';
import { parseJsonBody } from '../../http/upstream-client.js';
import type {
  Answer, AnswerOptions, CancelReason, ClientInfo, JsonObject, Profile, Provider, ProviderContext, ProviderResult, StartInput, UpstreamTokens,
} from '../../provider.js';
import type { ProviderStep } from '../../step.js';
import { channelOf, factorView, kindOf, type StoredFactor } from './factors.js';
import {
  defaultRequestFields, fieldNames, isObject, readError, readResponse, statusValues,
  type OaaFieldNames, type OaaRequestFields, type OaaResponse, type OaaStatusValues, type Unreadable,
} from './wire.js';

/** The user as your first factor knows them. */
export interface FirstFactorUser {
  /** Stable id for the profile; default: `uniqueUserId` or the user name. */
  id?: string;
  /** The login name OAA knows the user by (`userInfo.userId`); default: what the user typed. */
  username?: string;
  displayName?: string;
  email?: string;
  /** OAA's canonical id, if you have it (wins over userId + group in OAA). */
  uniqueUserId?: string;
  /** The user's OAA group (one only); default: the provider's `group`. */
  group?: string;
}

/** The password is checked by your app (LDAP, database …) before OAA is asked. */
export interface PasswordFirstFactor {
  verifyPassword(username: string, password: string, client: ClientInfo): Promise<boolean | FirstFactorUser> | boolean | FirstFactorUser;
  /** Wrong passwords before the login ends. Default 5. */
  maxAttempts?: number;
}

/** Configuration of the OAA provider. */
export interface OaaOptions {
  /** The OAAService base printed at install, e.g. `https://oaa.example.com/oaa/runtime`. */
  url: string;
  /** API authentication: HTTP Basic `<release>-oaa` + decoded `oaaapikey`, or an OAuth bearer token. */
  auth: { username: string; password: string } | { bearer: string | (() => string | Promise<string>) };
  /** The REST API integration agent's credentials (sent in the body as `clientInfo`). */
  clientId: string;
  clientSecret: string;
  /** Assurance level of the agent whose rules apply. */
  assuranceLevel: string;
  /** The user's first factor: your password check, or another provider. */
  firstFactor: PasswordFirstFactor | { provider: Provider };
  /** OAA group of the users (`userInfo.groups[0]`). Default `Default`. */
  group?: string;
  /** Where users without a registered factor enrol (e.g. the self-service UI `https://host/oaa/rui`). */
  registrationUrl?: string;
  /** Request headers passed to OAA's risk rules (`context.headers`). Default: user-agent, accept-language. */
  forwardHeaders?: string[];
  /** Cookies passed to OAA's rules (`context.userCookies`), by name. Default: none. */
  forwardCookies?: string[];
  /** Lifetime OAA gives the challenge (`timeToLiveInSec`). Default 300. */
  timeToLiveInSec?: number;
  /**
   * Response field names to try before the built-in guesses, per field (every response name is
   * UNVERIFIED: no `/authn/v1` response is public; see the README).
   */
  responseFields?: Partial<OaaFieldNames>;
  /** @deprecated Use `responseFields` (same meaning). */
  fieldNames?: Partial<OaaFieldNames>;
  /**
   * Wire spellings of each status to accept before the documented prose ones (UNVERIFIED), e.g.
   * `{ pendingVerification: ['CHALLENGE_SENT'] }`. A status in no list is UPSTREAM_BAD_RESPONSE.
   */
  statusValues?: Partial<OaaStatusValues>;
  /** Request shapes Oracle's reference does not show (UNVERIFIED); the defaults send the documented form. */
  requestFields?: Partial<OaaRequestFields>;
}

/** The handles kept in the session for one login. */
interface OaaState extends JsonObject {
  username: string;
  /** 'first' until the first factor succeeded, then 'oaa'. */
  phase: 'first' | 'oaa';
  passwordAttempts?: number;
  /** The chained first provider's state. */
  first?: JsonObject;
  /** Tokens the first provider issued, handed to verify at the end. */
  firstTokens?: UpstreamTokens;
  firstLogout?: JsonObject;
  user?: FirstFactorUser & JsonObject;
  correlationId?: string;
  /** Always the latest one OAA sent. */
  nonce?: string;
  /** Whether the correlation can still take a Finalize. */
  open?: boolean;
  offered: Record<string, StoredFactor>;
  current?: string;
  /** Factor keys OAA reported as blocked in this login. */
  blocked?: string[];
}

type Ctx = ProviderContext<OaaState>;

/** Which call an answer came from, for the log. */
type OaaCall = 'POST' | 'Init' | 'Validate' | 'poll' | 'Finalize';

const passwordView = { id: 'password', type: 'password' as const, label: 'Password', prompt: 'Enter your password' };
const authnPath = 'authn/v1';

export class OaaProvider implements Provider<OaaState> {
  readonly name = 'oaa';
  private readonly base: URL;
  private readonly names: OaaFieldNames;
  private readonly values: OaaStatusValues;
  private readonly request: OaaRequestFields;

  constructor(private readonly options: OaaOptions) {
    for (const key of ['url', 'clientId', 'clientSecret', 'assuranceLevel'] as const) {
      if (!options[key]) throw new TypeError(`OAA provider: \`${key}\` is required`);
    }
    if (!options.firstFactor) throw new TypeError('OAA provider: `firstFactor` is required (OAA is a second factor)');
    this.base = baseUrl(options.url, 'OAA');
    this.names = fieldNames(mergeNames(options.responseFields, options.fieldNames));
    this.values = statusValues(options.statusValues);
    this.request = requestFields(options.requestFields);
  }

  private get chained(): Provider | undefined {
    return 'provider' in this.options.firstFactor ? this.options.firstFactor.provider : undefined;
  }

  async start(ctx: Ctx, input: StartInput): Promise<ProviderResult> {
    ctx.state = { username: input.username, phase: 'first', offered: {} };
    const chained = this.chained;
    if (!chained) return { type: 'step', step: { kind: 'answer', mechanisms: [passwordView] } };
    return this.firstFactor(ctx, (sub) => chained.start(sub, input));
  }

  async select(ctx: Ctx, mechanismId: string): Promise<ProviderResult> {
    if (ctx.state.phase === 'first') return this.firstFactor(ctx, (sub) => this.chained!.select(sub, mechanismId));
    const factor = this.offered(ctx, mechanismId);
    // The core checks the send limits for mechanisms that show an address; an SMS or e-mail factor without one is checked here.
    if (sendsOutOfBand(factor) && !isOutOfBand(factor.view)) await ctx.outOfBand?.check();
    return this.init(ctx, factor);
  }

  async answer(ctx: Ctx, mechanismId: string, answer: Answer, options: AnswerOptions): Promise<ProviderResult> {
    if (ctx.state.phase === 'first') {
      const chained = this.chained;
      if (chained) return this.firstFactor(ctx, (sub) => chained.answer(sub, mechanismId, answer, options));
      if (mechanismId !== passwordView.id) throw new MultiStepError('MECHANISM_NOT_OFFERED');
      return this.checkPassword(ctx, text(answer));
    }
    const factor = this.currentFactor(ctx, mechanismId);
    const response = await this.put(ctx, 'Validate', { challengeop: 'Validate', challengeAnswer: text(answer) });
    return this.afterValidate(ctx, response, factor, 'answer');
  }

  async poll(ctx: Ctx): Promise<ProviderResult> {
    if (ctx.state.phase === 'first') return this.firstFactor(ctx, (sub) => this.chained!.poll(sub));
    const factor = this.currentFactor(ctx);
    if (kindOf(factor.factorKey) !== 'push') throw new MultiStepError('ACTION_NOT_ALLOWED');
    return this.afterValidate(ctx, await this.put(ctx, 'poll', { challengeop: 'Validate' }), factor, 'poll');
  }

  async resend(ctx: Ctx): Promise<ProviderResult> {
    if (ctx.state.phase === 'first') return this.firstFactor(ctx, (sub) => this.chained!.resend(sub));
    const result = await this.init(ctx, this.currentFactor(ctx));
    if (result.type === 'step') result.step.message = 'A new code has been sent.';
    return result;
  }

  async alternatives(ctx: Ctx): Promise<ProviderResult> {
    if (ctx.state.phase === 'first') {
      const chained = this.chained;
      if (!chained?.alternatives) throw new MultiStepError('ACTION_NOT_ALLOWED');
      return this.firstFactor(ctx, (sub) => chained.alternatives!(sub));
    }
    return this.choose(ctx, Object.values(ctx.state.offered));
  }

  /** Tells OAA why the challenge ended (Finalize), while the correlation is still open. */
  async cancel(ctx: Ctx, reason: CancelReason): Promise<void> {
    if (ctx.state.phase === 'first') {
      if (this.chained) await this.chained.cancel(this.sub(ctx), reason);
      return;
    }
    if (!ctx.state.open || !ctx.state.correlationId || !ctx.state.nonce) return;
    const why = reason === 'abandoned' ? 'user_abandoned' : reason === 'timeout' ? 'user_timedout'
      : ctx.state.blocked?.length ? 'too_many_attempts' : 'other_error';
    ctx.state.open = false;
    // Any status OAA can name is fine here; an unreadable answer is still reported (the core logs it).
    await this.put(ctx, 'Finalize', { challengeop: 'Finalize', challengeResult: 'Failure', challengeResultReason: why });
  }

  async logout(http: ProviderContext['http'], handle: JsonObject): Promise<void> {
    // OAA keeps no session of its own; the first provider may.
    const chained = this.chained;
    if (chained?.logout && isObject(handle.first)) await chained.logout(http, handle.first);
  }

  // ---------------------------------------------------------------- first factor

  private sub(ctx: Ctx): ProviderContext {
    return { ...ctx, state: ctx.state.first ?? {} };
  }

  /** Runs the chained provider; on its success, OAA begins with the user it authenticated. */
  private async firstFactor(ctx: Ctx, call: (sub: ProviderContext) => Promise<ProviderResult>): Promise<ProviderResult> {
    const sub = this.sub(ctx);
    try {
      const result = await call(sub);
      if (result.type !== 'success') return result; // a step, or a retry of the first factor's step
      ctx.state.firstTokens = result.tokens;
      if (result.logoutHandle) ctx.state.firstLogout = result.logoutHandle;
      const profile = result.profile;
      return this.begin(ctx, {
        id: profile.id, username: profile.username,
        ...(profile.displayName ? { displayName: profile.displayName } : {}),
        ...(profile.emails?.[0] ? { email: profile.emails[0].value } : {}),
      });
    } finally {
      ctx.state.first = sub.state; // the first provider's handles, also after its retryable failures
    }
  }

  private async checkPassword(ctx: Ctx, password: string): Promise<ProviderResult> {
    const factor = this.options.firstFactor as PasswordFirstFactor;
    const verdict = await factor.verifyPassword(ctx.state.username, password, ctx.client);
    if (!verdict) {
      const attempts = (ctx.state.passwordAttempts ?? 0) + 1;
      ctx.state.passwordAttempts = attempts;
      const last = attempts >= (factor.maxAttempts ?? 5);
      throw new MultiStepError('AUTH_FAILED', { terminal: last, details: last ? { restart: true } : {} });
    }
    return this.begin(ctx, verdict === true ? {} : verdict);
  }

  // ---------------------------------------------------------------- OAA

  /** POST /authn/v1: which factors OAA wants for this user and assurance level. */
  private async begin(ctx: Ctx, user: FirstFactorUser): Promise<ProviderResult> {
    ctx.state.phase = 'oaa';
    ctx.state.user = { ...user };
    const userId = user.username ?? ctx.state.username;
    const response = await this.call(ctx, 'POST', 'POST', {
      clientInfo: { clientId: this.options.clientId, clientSecret: this.options.clientSecret },
      context: this.context(ctx.client),
      timeToLiveInSec: this.options.timeToLiveInSec ?? 300,
      userInfo: { userId, groups: [user.group ?? this.options.group ?? 'Default'], ...(user.uniqueUserId ? { uniqueUserId: user.uniqueUserId } : {}) },
    });
    if (response.correlationId) ctx.state.correlationId = response.correlationId;
    ctx.state.open = Boolean(response.correlationId);
    this.failIfFinished(response);
    if (response.status === 'authenticated') return this.success(ctx, undefined);
    // Still pending: OAA must have said which factors, and under which correlation.
    if (!response.correlationId) throw this.unreadable(ctx, 'POST', response, 'no correlationId');
    const offered = this.offeredFactors(ctx, 'POST', response);
    ctx.state.offered = Object.fromEntries(offered.map((f) => [f.view.id, f]));
    return this.choose(ctx, offered);
  }

  /** The factors an answer offers; an answer that lists none it can read is unreadable (never "not registered"). */
  private offeredFactors(ctx: Ctx, call: OaaCall, response: OaaResponse): StoredFactor[] {
    if (response.challenges.length === 0) {
      throw this.unreadable(ctx, call, response, response.challengeEntries > 0 ? 'no factor names' : 'no challenges');
    }
    return response.challenges.map((c) => factorView(c, this.names));
  }

  /** A choice of factors, or the only usable one initialised at once (the password was checked already). */
  private async choose(ctx: Ctx, offered: StoredFactor[], message?: string): Promise<ProviderResult> {
    const blocked = new Set(ctx.state.blocked ?? []);
    const usable = offered.filter((f) => f.view.type !== 'unsupported' && !blocked.has(f.factorKey));
    if (usable.length === 0) throw new MultiStepError(blocked.size ? 'ACCOUNT_LOCKED' : 'MECHANISM_UNSUPPORTED', { details: { restart: true } });
    delete ctx.state.current;
    // An out-of-band factor beyond the send limits is offered to start by hand instead (a click the limits answer).
    if (offered.length === 1 && (!sendsOutOfBand(usable[0]!) || await mayStartOutOfBand(ctx))) return this.init(ctx, usable[0]!);
    const mechanisms = offered.map((f) => (blocked.has(f.factorKey) ? { ...f.view, type: 'unsupported' as const, locked: true } : f.view));
    const step: ProviderStep = { kind: 'select', mechanisms };
    if (message) step.message = message;
    return { type: 'step', step };
  }

  /** PUT Init for a factor: passive factors send their code or push now. */
  private async init(ctx: Ctx, factor: StoredFactor): Promise<ProviderResult> {
    const body: JsonObject = { challengeop: 'Init' };
    // UNVERIFIED: the field naming the factor is not public (requestFields.initFactor).
    for (const path of this.request.initFactor) setPath(body, path, factor.factorKey);
    const response = await this.put(ctx, 'Init', body);
    this.failIfFinished(response);
    if (response.status === 'authenticated') return this.success(ctx, factor);
    ctx.state.current = factor.view.id;
    // The Init answer may word the prompt or address afresh (OAA's own prompt stays `upstreamPrompt`).
    const again = response.challenges.find((c) => c.factorKey === factor.factorKey);
    let view = factor.view;
    if (again) {
      const fresh = factorView(again, this.names).view;
      // A new address or device replaces the label; otherwise the POST's view stays, with the newer upstream prompt.
      view = fresh.maskedAddress || fresh.device ? { ...fresh } : { ...factor.view };
      const upstreamPrompt = fresh.upstreamPrompt ?? factor.view.upstreamPrompt;
      if (upstreamPrompt) view.upstreamPrompt = upstreamPrompt;
    }
    return { type: 'step', step: this.factorStep(ctx, view) };
  }

  private factorStep(ctx: Ctx, view: StoredFactor['view']): ProviderStep {
    const push = view.type === 'push';
    const resendable = /^(email|sms)$/.test(view.id);
    const step: ProviderStep = push
      ? { kind: 'pending', mechanisms: [{ ...view, acceptsCode: false }] }
      : { kind: 'answer', mechanisms: [{ ...view, ...(resendable ? { resendable: true } : {}) }] };
    const others = Object.values(ctx.state.offered).filter((f) => f.view.id !== view.id && f.view.type !== 'unsupported');
    if (others.length > 0) step.alternatives = true;
    return step;
  }

  private async afterValidate(ctx: Ctx, response: OaaResponse, factor: StoredFactor, how: 'answer' | 'poll'): Promise<ProviderResult> {
    switch (response.status) {
      case 'authenticated':
        return this.success(ctx, factor);
      case 'challenge blocked': {
        ctx.state.blocked = [...new Set([...(ctx.state.blocked ?? []), factor.factorKey])];
        const remaining = Object.values(ctx.state.offered).filter((f) => f.view.type !== 'unsupported' && !ctx.state.blocked!.includes(f.factorKey));
        if (remaining.length === 0) throw new MultiStepError('ACCOUNT_LOCKED', { details: { restart: true } });
        return this.choose(ctx, Object.values(ctx.state.offered), 'That method is locked after too many attempts. Choose another one.');
      }
      case 'failed':
        ctx.state.open = false;
        throw new MultiStepError(how === 'poll' ? 'OOB_DENIED' : 'AUTH_FAILED', { details: { restart: true } });
      case 'pending verification':
      case 'pending identification':
        if (how === 'poll') return { type: 'step', step: this.factorStep(ctx, factor.view) };
        // Still pending after an answer: it was wrong. The new nonce is kept for the retry.
        throw new MultiStepError('WRONG_ANSWER', { terminal: false });
      default:
        this.failIfFinished(response);
        throw new MultiStepError('UPSTREAM_BAD_RESPONSE'); // unreachable: every status is handled above
    }
  }

  /** Statuses that end the login whatever the call was. */
  private failIfFinished(response: OaaResponse): void {
    switch (response.status) {
      case 'missing registration':
        throw new MultiStepError('REGISTRATION_REQUIRED', { details: this.options.registrationUrl ? { registrationUrl: this.options.registrationUrl } : {} });
      case 'failed':
        throw new MultiStepError('AUTH_FAILED', { details: { restart: true } });
      case 'error':
        throw new MultiStepError('UPSTREAM_UNAVAILABLE', { terminal: true });
      case 'challenge blocked':
        throw new MultiStepError('ACCOUNT_LOCKED', { details: { restart: true } });
      default:
    }
  }

  private success(ctx: Ctx, factor: StoredFactor | undefined): ProviderResult {
    ctx.state.open = false;
    const user = ctx.state.user ?? {};
    const username = user.username ?? ctx.state.username;
    const profile: Profile = {
      provider: 'oaa',
      id: user.id ?? user.uniqueUserId ?? username,
      username,
      _json: {
        ...(factor ? { factor: factor.factorKey } : {}),
        assuranceLevel: this.options.assuranceLevel,
        ...(user.uniqueUserId ? { uniqueUserId: user.uniqueUserId } : {}),
      },
    };
    if (user.displayName) profile.displayName = user.displayName;
    if (user.email) profile.emails = [{ value: user.email }];
    const result: ProviderResult = { type: 'success', profile, tokens: { ...ctx.state.firstTokens } };
    if (ctx.state.firstLogout) result.logoutHandle = { first: ctx.state.firstLogout };
    return result;
  }

  /** PUT /authn/v1 with the correlationId and the latest nonce. */
  private put(ctx: Ctx, call: OaaCall, body: JsonObject): Promise<OaaResponse> {
    if (!ctx.state.correlationId) throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    return this.call(ctx, call, 'PUT', { correlationId: ctx.state.correlationId, ...(ctx.state.nonce ? { nonce: ctx.state.nonce } : {}), ...body });
  }

  private async call(ctx: Ctx, call: OaaCall, method: 'POST' | 'PUT', json: JsonObject): Promise<OaaResponse> {
    const response = await ctx.http.request({
      method, url: new URL(authnPath, this.base), headers: { authorization: await this.authorization() }, json,
    }, ctx.jar);
    if (response.status === 401 || response.status === 403) {
      // Wrong API key, bearer token or agent credentials: an operator problem, said once in the log.
      ctx.log('OAA refused the API or agent credentials', { status: response.status });
      throw new MultiStepError('UPSTREAM_UNAVAILABLE');
    }
    if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
    const body = parseJsonBody(response);
    if (response.status >= 400) {
      // UNVERIFIED names (responseFields.errorMessage / errorCode): the sibling runtime APIs' envelope (evidence E4).
      const { message = '', code = '' } = readError(body, this.names);
      ctx.log('OAA refused the call', { call, status: response.status, responseCode: code });
      // A stale nonce or an expired/unknown correlation: the login must start again (oaa.md T8).
      if (/nonce|correlation|expired|session/i.test(message)) throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
      throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
    }
    const read = readResponse(body, this.names, this.values);
    if (!read.ok) throw this.logUnreadable(ctx, call, read.unreadable);
    const parsed = read.response;
    if (parsed.correlationId && ctx.state.correlationId && parsed.correlationId !== ctx.state.correlationId) {
      throw this.unreadable(ctx, call, parsed, 'another correlationId'); // never continue someone else's challenge
    }
    if (parsed.nonce) ctx.state.nonce = parsed.nonce;
    return parsed;
  }

  /** An answer the provider cannot act on: logged with its field names (never values), UPSTREAM_BAD_RESPONSE. */
  private unreadable(ctx: Ctx, call: OaaCall, response: OaaResponse, reason: Unreadable['reason']): MultiStepError {
    return this.logUnreadable(ctx, call, { reason, fields: response.fieldNames });
  }

  private logUnreadable(ctx: Ctx, call: OaaCall, unreadable: Unreadable): MultiStepError {
    ctx.log('OAA answer unreadable', { call, reason: unreadable.reason, fields: unreadable.fields, ...(unreadable.statusField ? { statusField: unreadable.statusField } : {}) });
    return new MultiStepError('UPSTREAM_BAD_RESPONSE');
  }

  private async authorization(): Promise<string> {
    const auth = this.options.auth;
    if ('bearer' in auth) return `Bearer ${typeof auth.bearer === 'function' ? await auth.bearer() : auth.bearer}`;
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }

  /**
   * The request context OAA's rules see: the assurance level and only the allowed headers and
   * cookies (the documented `context` names); the IP address and user agent only under the names
   * `requestFields` gives them (UNVERIFIED: the reference describes them but shows no names).
   */
  private context(client: ClientInfo): JsonObject {
    const headerNames = (this.options.forwardHeaders ?? ['user-agent', 'accept-language']).map((h) => h.toLowerCase());
    const cookieNames = this.options.forwardCookies ?? [];
    const { assuranceLevel: shape, ipAddress, userAgent, pair } = this.request;
    const level = this.options.assuranceLevel;
    const entry = (name: string, value: string): JsonObject => ({ [pair.name]: name, [pair.value]: value });
    const context: JsonObject = {
      // UNVERIFIED inner shape: the reference shows `assuranceLevel` as an object without its properties.
      assuranceLevel: shape === 'string' ? level : { [shape]: level },
      headers: headerNames.flatMap((name) => (client.headers[name] !== undefined ? [entry(name, client.headers[name]!)] : [])),
      userCookies: cookieNames.flatMap((name) => (client.cookies[name] !== undefined ? [entry(name, client.cookies[name]!)] : [])),
    };
    if (ipAddress && client.ip) context[ipAddress] = client.ip;
    if (userAgent && client.userAgent) context[userAgent] = client.userAgent;
    return context;
  }

  private offered(ctx: Ctx, localId: string): StoredFactor {
    const factor = Object.hasOwn(ctx.state.offered, localId) ? ctx.state.offered[localId] : undefined;
    if (!factor || factor.view.type === 'unsupported' || ctx.state.blocked?.includes(factor.factorKey)) throw new MultiStepError('MECHANISM_NOT_OFFERED');
    return factor;
  }

  private currentFactor(ctx: Ctx, localId?: string): StoredFactor {
    if (!ctx.state.current || (localId !== undefined && localId !== ctx.state.current)) throw new MultiStepError('MECHANISM_NOT_OFFERED');
    return this.offered(ctx, ctx.state.current);
  }
}

/** `responseFields` wins over the deprecated `fieldNames`; both are tried before the built-in guesses. */
function mergeNames(primary: Partial<OaaFieldNames> = {}, legacy: Partial<OaaFieldNames> = {}): Partial<OaaFieldNames> {
  const merged: Partial<OaaFieldNames> = { ...legacy };
  for (const key of Object.keys(primary) as Array<keyof OaaFieldNames>) {
    const mine = primary[key];
    const old = legacy[key];
    merged[key] = Array.isArray(mine) && Array.isArray(old) ? [...mine, ...old] : mine; // anything else is refused by fieldNames()
  }
  return merged;
}

/** The request shapes, checked once at construction. */
function requestFields(custom: Partial<OaaRequestFields> = {}): OaaRequestFields {
  const fields: OaaRequestFields = { ...defaultRequestFields, ...custom, pair: { ...defaultRequestFields.pair, ...custom.pair } };
  const path = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
  const reserved = (p: string) => p.split('.').some((part) => ['__proto__', 'constructor', 'prototype'].includes(part));
  if (!Array.isArray(fields.initFactor) || fields.initFactor.length === 0 || fields.initFactor.some((p) => typeof p !== 'string' || !path.test(p) || reserved(p))) {
    throw new TypeError('OAA provider: `requestFields.initFactor` must list dot paths, e.g. [\'challengedata.factorKey\']');
  }
  if (fields.initFactor.some((p) => ['correlationId', 'nonce', 'challengeop'].includes(p.split('.')[0]!))) {
    throw new TypeError('OAA provider: `requestFields.initFactor` must not overwrite correlationId, nonce or challengeop');
  }
  if (!['name', 'id', 'string'].includes(fields.assuranceLevel)) throw new TypeError("OAA provider: `requestFields.assuranceLevel` must be 'name', 'id' or 'string'");
  for (const key of ['ipAddress', 'userAgent'] as const) {
    const value = fields[key];
    if (value !== null && (typeof value !== 'string' || !path.test(value) || value.includes('.') || reserved(value)
      || ['assuranceLevel', 'headers', 'userCookies'].includes(value))) {
      throw new TypeError(`OAA provider: \`requestFields.${key}\` must be a property name (not a documented context field) or null`);
    }
  }
  if (typeof fields.pair.name !== 'string' || !fields.pair.name || typeof fields.pair.value !== 'string' || !fields.pair.value || fields.pair.name === fields.pair.value) {
    throw new TypeError('OAA provider: `requestFields.pair` must name two different properties');
  }
  return fields;
}

/** Sets `value` at a dot path of `body`, creating the objects on the way. */
function setPath(body: JsonObject, path: string, value: string): void {
  const parts = path.split('.');
  let node: JsonObject = body;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = isObject(next) ? (next as JsonObject) : (node[part] = {});
  }
  node[parts.at(-1)!] = value;
}

function text(answer: Answer): string {
  if (typeof answer !== 'string') throw new MultiStepError('BAD_REQUEST');
  return answer;
}

/** Creates the OAA provider. */
export function oaa(options: OaaOptions): OaaProvider {
  return new OaaProvider(options);
}

/** Whether initialising a factor sends something (a code by SMS or e-mail, a push). */
function sendsOutOfBand(factor: StoredFactor): boolean {
  const channel = channelOf(factor.factorKey);
  return channel === 'sms' || channel === 'email' || channel === 'push' || isOutOfBand(factor.view);
}
