/**
 * passport-multistep: a Passport strategy and companion Express routes for multi-step,
 * multi-factor logins against enterprise identity APIs.
 *
 * @example
 * ```ts
 * import passport from 'passport';
 * import { MultiStepStrategy, cyberark } from 'passport-multistep';
 *
 * const multistep = new MultiStepStrategy({
 *   provider: cyberark({ url: 'https://abc1234.id.cyberark.cloud' }),
 *   verify: async (profile) => ({ id: profile.id, name: profile.displayName }),
 * });
 * passport.use(multistep);
 * app.use('/login', multistep.router({ successReturnToOrRedirect: '/' }));
 * ```
 */
export { MultiStepStrategy, stepResultOf } from './strategy.js';
export type {
  MultiStepStrategyOptions, VerifyFunction, VerifyFunctionWithRequest, VerifyDone, AuthenticateOptions, StepResult, RunOutcome,
} from './strategy.js';
export type { RouterOptions, CsrfOptions } from './web/router-options.js';
export type {
  AuditEvent, AuditEventType, AuditEventBase, AuditOptions, LoginStartedEvent, MethodChosenEvent, CodeSentEvent, PushSentEvent,
  AnswerRejectedEvent, RateLimitedEvent, LoginSucceededEvent, LoginFailedEvent, LoginCancelledEvent, UpstreamErrorEvent,
} from './audit/events.js';
export type { AuditEvents } from './audit/emitter.js';
export type { LoginRoutes, NextFunction } from './web/router.js';
export type { PageLocals, StartPageLocals, StepPageLocals, ErrorPageLocals, PageActions, PageFlash } from './web/page-locals.js';
export type { LoginRequest, AppUser } from './request.js';
export { defaultStrings, stringKeys } from './web/pages/index.js';
export type { PagesOptions, PageColors, StringKey } from './web/pages/index.js';
export { MultiStepError, ErrorCodes } from './errors.js';
export type { ErrorCode, ErrorDetails } from './errors.js';
export type { Step, StepKind, Mechanism, MechanismType, MechanismField, SecurityQuestion, ProviderStep } from './step.js';
export { NEW_PASSWORD_FIELD } from './step.js';
export type {
  Provider, ProviderContext, OutOfBandBudget, ProviderResult, Profile, UpstreamTokens, Answer, AnswerOptions, StartInput, Json, JsonObject,
  ClientInfo, CancelReason,
} from './provider.js';
export type { HttpOptions } from './http/options.js';
export type { RememberDeviceOptions } from './device-tokens.js';
export type { LoginLocks } from './locks/login-locks.js';
export { MemoryLocks } from './locks/memory-locks.js';
export { redisLocks } from './locks/redis-locks.js';
export { defaultLimits, isOutOfBand, mayStartOutOfBand } from './limits/index.js';
export type { LimitsOptions, LimitWindow, SendLimits, GuessLimits, StartLimits } from './limits/index.js';
export type { RedisLocksOptions, RedisCommandClient } from './locks/redis-locks.js';
export { UpstreamClient } from './http/upstream-client.js';
export type { UpstreamRequest, UpstreamResponse, UpstreamJsonResponse } from './http/upstream-client.js';
export { UpstreamCookieJar } from './http/cookie-jar.js';
export type { StoredCookie, StoredCookies } from './http/cookie-jar.js';
export type { ActionName } from './input.js';
export { CyberArkProvider, cyberark } from './providers/cyberark/provider.js';
export type { CyberArkOptions } from './providers/cyberark/provider.js';
export { IdcsProvider, idcs } from './providers/idcs/provider.js';
export type { IdcsOptions } from './providers/idcs/provider.js';
export { OaaProvider, oaa } from './providers/oaa/provider.js';
export type { OaaOptions, FirstFactorUser, PasswordFirstFactor } from './providers/oaa/provider.js';
export type { OaaFieldNames, OaaRequestFields, OaaStatusValues } from './providers/oaa/wire.js';
export { check, formatCheckReport } from './check/index.js';
export type {
  CheckOptions, CheckReport, CheckResult, CheckStatus, CheckProvider, IdcsCheckOptions, OaaCheckOptions, CyberArkCheckOptions,
} from './check/index.js';
export { CognitoProvider, cognito } from './providers/cognito/provider.js';
export type { CognitoOptions } from './providers/cognito/provider.js';
