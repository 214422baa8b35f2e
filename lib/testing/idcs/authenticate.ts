/**
 * `POST /sso/v1/sdk/authenticate`: finds the sign-in by its requestState, checks the
 * operation against the last `nextOp`, and hands it to the piece of the flow it belongs to.
 */
import type { HttpReply } from '../shared/http.js';
import { CAUSES, missingParameter, opNotSupported, wrongEndpoint } from './causes.js';
import { type Ctx, finish, reply, retry } from './context.js';
import { createToken, offerEnrollment, resendEnrollmentCode, startEnrollment, submitEnrollment } from './enrollment.js';
import { submitPassword, submitUsername } from './first-factor.js';
import type { Flow } from './flows.js';
import { backupFactors, offerPreferred, resendCode, submitFactor } from './mfa.js';
import { acceptTerms, offerTerms } from './tou.js';
import { type AuthBody, deadFailure, requestStateFailure } from './wire.js';

/** After the password (or a factor, an enrollment, the terms): what the user's policy asks for next. */
export function proceed(ctx: Ctx, flow: Flow): HttpReply {
  const user = flow.user!;
  if (!flow.mfaDone) {
    const preferred = ctx.factors.preferred(user);
    if (preferred) return offerPreferred(ctx, flow, preferred);
    if (user.enrollment && !flow.enroll) return offerEnrollment(ctx, flow);
    flow.mfaDone = true;
  }
  if (user.termsOfUse && !flow.touAccepted) return offerTerms(ctx, flow);
  return finish(ctx, flow);
}

/** `body` is undefined when it was not a JSON object. */
export function advance(ctx: Ctx, body: AuthBody | undefined): HttpReply {
  if (body === undefined) return deadFailure(CAUSES.invalidJson, 400);
  const found = ctx.flows.resolve(body.requestState);
  if ('problem' in found) {
    if (found.problem === 'missing') return deadFailure(missingParameter('requestState'), 400);
    return requestStateFailure(found.problem === 'expired' ? CAUSES.requestStateExpired : CAUSES.requestStateInvalid);
  }
  const flow = found.flow;
  const op = body.op;
  // MFAAuthAPIStatusCodes-2023-10-12.md, the 422 sample: the last challenge again, with nextOp.
  if (op === undefined || op === null || op === '') return reply(ctx, flow, 'failed', { cause: [CAUSES.missingOp], ...flow.challenge }, 422);
  if (op === 'chooseIDP') return retry(ctx, flow, 400, wrongEndpoint(op, '/sso/v1/sdk/idp'));
  if (op === 'createSession') return retry(ctx, flow, 400, wrongEndpoint(op, '/sso/v1/sdk/session'));
  if (op === 'createToken' && flow.step === 'enroll') return createToken(ctx, flow);
  if (op === 'createToken' && ctx.switches.createTokenLoop && flow.nextOp.includes(op)) return finish(ctx, flow);
  if (typeof op !== 'string' || !flow.nextOp.includes(op)) return retry(ctx, flow, 400, opNotSupported(flow.nextOp));
  switch (op) {
    case 'credSubmit':
      return credSubmit(ctx, flow, body);
    case 'getBackupFactors':
      return backupFactors(ctx, flow);
    case 'resendCode':
      return flow.step === 'enroll' ? resendEnrollmentCode(ctx, flow) : resendCode(ctx, flow);
    case 'enrollment':
      return startEnrollment(ctx, flow, body);
    case 'acceptTOU':
      return acceptTerms(ctx, flow, body);
    default:
      return retry(ctx, flow, 400, opNotSupported(flow.nextOp));
  }
}

function credSubmit(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  switch (flow.step) {
    case 'username':
      return submitUsername(ctx, flow, body);
    case 'password':
      return submitPassword(ctx, flow, body);
    case 'mfa':
      return submitFactor(ctx, flow, body);
    case 'enroll':
      return submitEnrollment(ctx, flow, body);
    case 'tou':
      return retry(ctx, flow, 400, opNotSupported(flow.nextOp));
  }
}
