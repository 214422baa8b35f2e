/**
 * Which answer a request wants and what it sent, from its headers alone (no framework's
 * `req.accepts`/`req.is`): the `accepts` and `type-is` packages Express itself uses.
 */
import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import typeis from 'type-is';
import { MultiStepError } from '../errors.js';

/** What `req.is('application/json')` matches, without parsing the header: the type, then parameters or nothing. */
const jsonContentType = /^\s*application\/json\s*(?:;|$)/i;

/** The request says its body is JSON. */
export function sentJson(req: IncomingMessage): boolean {
  return jsonContentType.test(req.headers['content-type'] ?? '');
}

/** JSON mode: the client prefers JSON to HTML, or sent JSON. */
export function wantsJson(req: IncomingMessage): boolean {
  if (sentJson(req)) return true;
  const accept = req.headers.accept;
  if (!accept) return false; // no preference: the first type offered, HTML
  if (accept === 'application/json') return true; // what SPAs and fetch() callers send; skips the negotiation
  return accepts(req).type(['html', 'json']) === 'json';
}

/** A body that is neither JSON nor a form gets 415 rather than a confusing 400; a non-object body 400. */
export function checkBody(req: IncomingMessage & { body?: unknown }): void {
  if (!sentJson(req) && typeis(req, ['application/json', 'application/x-www-form-urlencoded']) === false) {
    throw new MultiStepError('UNSUPPORTED_MEDIA_TYPE');
  }
  // A JSON array (which the strict JSON parser lets through) is never a valid form.
  const body = req.body;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new MultiStepError('BAD_REQUEST');
}
