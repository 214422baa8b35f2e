/**
 * The upstream client as one browser request sees it: one CallBudget per request (however
 * many provider contexts the request builds), aborted when the browser disconnects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseOf } from '../request.js';
import { CallBudget } from './call-budget.js';
import type { UpstreamClient } from './upstream-client.js';

/** A WeakMap rather than a mark on `req`: a new property would reshape every request object. */
const views = new WeakMap<IncomingMessage, UpstreamClient>();

/**
 * `http`'s view for `req`, made on first use. Disconnect: the response's 'close' before it
 * finished (a request's own 'close' fires as soon as its body is read, so it tells nothing);
 * a response already closed when the view is made aborts at once. Without a known response
 * (Passport on a bare `http` server), calls are still counted but not aborted.
 */
export function requestView(http: UpstreamClient, req: IncomingMessage, limit: number): UpstreamClient {
  const known = views.get(req);
  if (known && Object.getPrototypeOf(known) === http) return known; // another strategy's client gets a view of its own
  const budget = new CallBudget(limit);
  const view = http.forRequest(budget);
  views.set(req, view);
  const res = responseOf(req) as (ServerResponse & { once?: unknown }) | undefined;
  if (res && typeof res.once === 'function') {
    if (res.destroyed && !res.writableFinished) budget.abort();
    else if (!res.writableFinished) res.once('close', () => { if (!res.writableFinished) budget.abort(); });
  }
  return view;
}

/** How many upstream calls this request has made through `http` (0 when it made none). */
export function upstreamCallsOf(http: UpstreamClient, req: IncomingMessage): number {
  const view = views.get(req);
  return view && Object.getPrototypeOf(view) === http ? view.callBudget?.calls ?? 0 : 0;
}
