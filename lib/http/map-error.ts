import { errors } from 'undici';
import { MultiStepError } from '../errors.js';

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Turns a transport failure into UPSTREAM_TIMEOUT or UPSTREAM_UNAVAILABLE.
 * The cause is kept for the app's own diagnostics; its message never reaches the user.
 */
export function mapTransportError(error: unknown): MultiStepError {
  if (MultiStepError.is(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if ((typeof code === 'string' && timeoutCodes.has(code)) || name === 'TimeoutError' || error instanceof errors.HeadersTimeoutError) {
    return new MultiStepError('UPSTREAM_TIMEOUT', { cause: error });
  }
  return new MultiStepError('UPSTREAM_UNAVAILABLE', { cause: error });
}
