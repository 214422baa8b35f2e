/**
 * Terms of use (`acceptTOU`): docs page "Authenticating User Name and Password with TOU
 * Consent", Steps 2 and 3, and the collection folder "… + Terms Of Use".
 */
import type { HttpReply } from '../shared/http.js';
import { CAUSES } from './causes.js';
import { type Ctx, challenge, end, obj } from './context.js';
import type { Flow } from './flows.js';
import type { AuthBody } from './wire.js';

export const TOU_STATEMENT =
  'Terms of Use of the demo identity domain: use this application for authorised purposes only, keep your credentials confidential, ' +
  'and accept that your use may be monitored.';

/**
 * `{status: "success", ecId, nextOp: ["acceptTOU"], TOU: {statement, credentials: ["consent"],
 * locale: "en"}, requestState}`. The collection's saved response ("TOU Statement is displayed")
 * has `status` and `ecId`; the docs page example shows neither; the simulator follows the collection.
 */
export function offerTerms(ctx: Ctx, flow: Flow): HttpReply {
  flow.step = 'tou';
  return challenge(ctx, flow, { nextOp: ['acceptTOU'], TOU: { statement: TOU_STATEMENT, credentials: ['consent'], locale: 'en' } });
}

/** `consent: true` continues (to the authnToken); anything else is HTTP 401 AUTH-3035 without requestState, and the flow ends. */
export function acceptTerms(ctx: Ctx, flow: Flow, body: AuthBody): HttpReply {
  if (obj(body.credentials).consent !== true) return end(ctx, flow, CAUSES.touDeclined);
  flow.touAccepted = true;
  return ctx.proceed(flow);
}
