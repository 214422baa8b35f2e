/**
 * Body parsing for the companion routes with body-parser (what Express's own
 * `express.json`/`express.urlencoded` are), and its failures as the library's 4xx codes.
 * A body the app already parsed is left as it is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import { type ErrorCode, MultiStepError } from '../errors.js';
import { sentJson } from './negotiation.js';

type Next = (error?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

const bodyErrorCodes: Record<string, ErrorCode> = {
  'entity.too.large': 'PAYLOAD_TOO_LARGE',
  'parameters.too.many': 'PAYLOAD_TOO_LARGE',
  'entity.parse.failed': 'BAD_REQUEST',
  'encoding.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'UNSUPPORTED_MEDIA_TYPE',
  'request.aborted': 'BAD_REQUEST',
  'request.size.invalid': 'BAD_REQUEST',
};

/** A body parser for JSON and forms up to `limit` (e.g. `16kb`). */
export function createBodyParser(limit: string): Middleware {
  const parseForm = bodyParser.urlencoded({ extended: false, limit, parameterLimit: 50 }) as Middleware;
  const parseJson = bodyParser.json({ limit, strict: true }) as Middleware;
  // A JSON body goes straight to the JSON parser; anything else is offered to both.
  return (req, res, next) => {
    if (sentJson(req)) parseJson(req, res, next);
    else parseForm(req, res, (error?: unknown) => (error ? next(error) : parseJson(req, res, next)));
  };
}

/** A body parser's failure as a MultiStepError, or undefined if `error` is not one. */
export function bodyError(error: unknown): MultiStepError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  const code = typeof type === 'string' ? bodyErrorCodes[type] : undefined;
  return code ? new MultiStepError(code) : undefined;
}
