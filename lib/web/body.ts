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

/**
 * A body parser's failure as a MultiStepError, or undefined if `error` is not one.
 *
 * A `Content-Encoding` body that does not decompress (broken gzip/deflate/br) reaches us from
 * body-parser 2 (lib/read.js) as zlib's own error wrapped by `createError(400, error)`: no
 * `type`, `status` 400, zlib's `code` (below) and `errno`. That is BAD_REQUEST, answered here like any other bad body, so it
 * never reaches the framework's error handler (no stack trace in Express development mode).
 * An unknown encoding (e.g. `compress`) is `encoding.unsupported`: UNSUPPORTED_MEDIA_TYPE.
 */
export function bodyError(error: unknown): MultiStepError | undefined {
  const { type, code, status } = (error ?? {}) as { type?: unknown; code?: unknown; status?: unknown };
  const mapped = typeof type === 'string' ? bodyErrorCodes[type] : undefined;
  if (mapped) return new MultiStepError(mapped);
  if (typeof code === 'string' && isDecompressionError(code)) return new MultiStepError('BAD_REQUEST');
  // Any other client error body-parser reports (http-errors with a 4xx status) is still the request's fault.
  if (typeof status === 'number' && status >= 400 && status < 500 && type === undefined && (error as { expose?: unknown }).expose === true) {
    return new MultiStepError('BAD_REQUEST');
  }
  return undefined;
}

/**
 * Node's zlib error codes for bad input: `Z_DATA_ERROR`/`Z_BUF_ERROR` (gzip, deflate, a truncated
 * stream), `ERR__ERROR_FORMAT_…` (Brotli decoder errors, e.g. `ERR__ERROR_FORMAT_PADDING_2`), and
 * Node's own `ERR_BROTLI_…`/`ERR_ZLIB_…`.
 */
function isDecompressionError(code: string): boolean {
  return code.startsWith('Z_') || code.startsWith('ERR__ERROR') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR_ZLIB');
}
