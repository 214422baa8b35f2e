/**
 * The simulated identity domain, free of HTTP: the endpoints take parsed input and return
 * an {@link HttpReply}; the rest is the control surface the simulator class exposes.
 * The flow itself lives in authenticate.ts, first-factor.ts, mfa.ts, push.ts,
 * enrollment.ts and tou.ts; tokens in token-endpoint.ts, tokens.ts and scim.ts.
 */
import type { KeyObject } from 'node:crypto';
import { CodeBook } from '../shared/codes.js';
import type { HttpReply } from '../shared/http.js';
import { FailureCounter } from '../shared/lockout.js';
import { advance, proceed } from './authenticate.js';
import { type ClientConfig, type Ctx, findUser } from './context.js';
import { FactorDirectory, keyOf } from './factors.js';
import { begin } from './first-factor.js';
import { FlowStore } from './flows.js';
import * as inspect from './inspect.js';
import { RsaJwtSigner } from './jwt.js';
import { meEndpoint } from './scim.js';
import { tokenEndpoint } from './token-endpoint.js';
import { AccessTokenStore, AuthnTokenStore, TrustTokenStore } from './tokens.js';
import { totpAt } from './totp.js';
import type { IdcsPendingEnrollment, IdcsPendingPush, IdcsSentCode, IdcsSimUser, IdcsSwitches } from './types.js';
import type { AuthBody } from './wire.js';

export type { ClientConfig } from './context.js';

export class IdcsEngine {
  private readonly ctx: Ctx;
  /** `meta.created` of the SCIM records. */
  private readonly createdAt = new Date().toISOString();

  constructor(users: readonly IdcsSimUser[], client: ClientConfig, switches: IdcsSwitches, url: () => string) {
    const signer = new RsaJwtSigner();
    this.ctx = {
      users,
      client,
      switches,
      flows: new FlowStore(() => switches.requestStateTtlMs, () => switches.strictRequestState),
      factors: new FactorDirectory(),
      failures: new FailureCounter(() => switches.lockoutAfterFailures),
      inbox: new CodeBook<IdcsSentCode['mechanism']>(),
      signer,
      accessTokens: new AccessTokenStore(signer),
      authnTokens: new AuthnTokenStore(signer, client.tenant),
      trustTokens: new TrustTokenStore(),
      url,
      codeGeneration: 0,
      proceed: (flow) => proceed(this.ctx, flow),
    };
  }

  // ---------------------------------------------------------------- endpoints

  /** `POST /oauth2/v1/token`. */
  token(authorization: string | undefined, form: URLSearchParams): HttpReply {
    return tokenEndpoint(this.ctx, authorization, form);
  }

  /** `GET /admin/v1/Me`. */
  me(authorization: string | undefined): HttpReply {
    return meEndpoint(this.ctx, authorization, this.createdAt);
  }

  /** True for a live client-credentials token in `Authorization: Bearer …` (a user token does not open the authenticate API). */
  authorized(authorization: string | undefined): boolean {
    return this.ctx.accessTokens.subjectOf(authorization)?.kind === 'app';
  }

  /** `GET /sso/v1/sdk/authenticate?appName=…`. */
  begin(appName: string | null): HttpReply {
    return begin(this.ctx, appName);
  }

  /** `POST /sso/v1/sdk/authenticate`; `body` is undefined when it was not a JSON object. */
  advance(body: AuthBody | undefined): HttpReply {
    return advance(this.ctx, body);
  }

  // ---------------------------------------------------------------- control surface

  /** The public key of authnTokens and access tokens. */
  get publicKey(): KeyObject {
    return this.ctx.signer.publicKey;
  }

  lastCode(username: string, factor?: IdcsSentCode['mechanism']): string | undefined {
    const user = findUser(this.ctx, username);
    return user && this.ctx.inbox.last(keyOf(user), factor);
  }

  codesByUser(): Record<string, IdcsSentCode[]> {
    return this.ctx.inbox.snapshot();
  }

  totpCode(username: string): string {
    const found = inspect.totpSecret(this.ctx, username);
    if (!found) throw new Error(`IdcsSimulator: user "${username}" has no TOTP authenticator (enrolled or being enrolled)`);
    return totpAt(found.secret, Date.now());
  }

  totpSnapshot(): Record<string, { code: string; secret: string; enrolling: boolean }> {
    return inspect.totpSnapshot(this.ctx);
  }

  pendingPushes(): IdcsPendingPush[] {
    return inspect.pendingPushes(this.ctx);
  }

  resolvePush(username: string, decision: 'approved' | 'denied'): boolean {
    return inspect.resolvePush(this.ctx, username, decision);
  }

  pendingEnrollments(): IdcsPendingEnrollment[] {
    return inspect.pendingEnrollments(this.ctx);
  }

  scanEnrollment(username: string): boolean {
    return inspect.scanEnrollment(this.ctx, username);
  }

  /** The user's factors, preferred first. */
  factorNames(username: string): string[] {
    const user = findUser(this.ctx, username);
    return user ? this.ctx.factors.factorsOf(user).map((f) => f.factor) : [];
  }

  enrolledDuringRun(user: IdcsSimUser): string[] {
    return this.ctx.factors.enrolledDuringRun(user);
  }

  expireAccessTokens(): void {
    this.ctx.accessTokens.expireAll();
  }

  expireAuthnTokens(): void {
    this.ctx.authnTokens.expireAll();
  }

  expireRequestStates(): void {
    this.ctx.flows.expireAll();
  }

  expireCodes(): void {
    this.ctx.codeGeneration += 1;
  }

  tokensIssued(): number {
    return this.ctx.accessTokens.issued;
  }

  userTokensIssued(): number {
    return this.ctx.accessTokens.userIssued;
  }

  activeAccessTokens(): number {
    return this.ctx.accessTokens.activeCount();
  }

  trustTokenCount(): number {
    return this.ctx.trustTokens.count();
  }

  openFlowCount(): number {
    return this.ctx.flows.open().length;
  }

  unlock(username: string): void {
    const user = findUser(this.ctx, username);
    if (user) this.ctx.failures.forget(keyOf(user));
  }

  failureCount(user: IdcsSimUser): number {
    return this.ctx.failures.count(keyOf(user));
  }

  isLockedOut(user: IdcsSimUser): boolean {
    return this.ctx.failures.isLocked(keyOf(user));
  }

  /** Forgets flows, failures, codes, enrollments, preferred factors, and every token. */
  reset(): void {
    this.ctx.flows.clear();
    this.ctx.failures.clear();
    this.ctx.inbox.clear();
    this.ctx.factors.clear();
    this.ctx.accessTokens.clear();
    this.ctx.authnTokens.clear();
    this.ctx.trustTokens.clear();
    this.ctx.codeGeneration = 0;
  }
}
