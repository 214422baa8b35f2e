/**
 * One timed upstream call of a check, through the strategy's UpstreamClient: the answer
 * (whatever its status or content type), or the transport failure explained.
 */
import type { UpstreamRequest, UpstreamResponse } from '../http/upstream-client.js';
import type { CheckContext } from './context.js';
import { explainTransportFailure, type TransportFailure } from './transport-failure.js';

export type ProbeOutcome =
  | { ok: true; response: UpstreamResponse; ms: number }
  | { ok: false; failure: TransportFailure; ms: number };

export async function probe(ctx: CheckContext, req: UpstreamRequest): Promise<ProbeOutcome> {
  const started = performance.now();
  try {
    const response = await ctx.client.request(req);
    return { ok: true, response, ms: elapsed(started) };
  } catch (error) {
    return { ok: false, failure: explainTransportFailure(error, { ...ctx.setting, url: req.url }), ms: elapsed(started) };
  }
}

/** Whether the answer says it is JSON (the strict test every provider applies). */
export function isJson(response: UpstreamResponse): boolean {
  return /\bjson\b/i.test(response.contentType);
}

/** The JSON body, or undefined when the answer is not (valid) JSON. */
export function jsonBody(response: UpstreamResponse): unknown {
  if (!isJson(response)) return undefined;
  try {
    return JSON.parse(response.text);
  } catch {
    return undefined;
  }
}

/** `text/html`, `application/json`…: the media type alone, for messages. */
export function mediaType(response: UpstreamResponse): string {
  return response.contentType.split(';')[0]!.trim().toLowerCase() || 'no content type';
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
