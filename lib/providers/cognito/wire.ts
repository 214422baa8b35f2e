/**
 * The Cognito user pools API as AWS documents it ("Amazon Cognito user pools API reference",
 * section "Making API requests"): AWS JSON 1.1, `POST /` on
 * `https://cognito-idp.<region>.amazonaws.com/`, the operation in
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, the body as
 * `Content-Type: application/x-amz-json-1.1`. Errors are HTTP 400 with
 * `{"__type": "NotAuthorizedException", "message": "…"}`; `__type` may carry a namespace
 * prefix (`com.amazonaws…#NotAuthorizedException`), which is cut off here (the AWS SDKs do the
 * same: smithy's `sanitizeErrorCode`). InitiateAuth, RespondToAuthChallenge and the software
 * token calls are unauthenticated: no SigV4 signature is needed; the admin calls
 * (AdminInitiateAuth, AdminRespondToAuthChallenge) are signed (signer.ts).
 */
import { MultiStepError } from '../../errors.js';
import type { UpstreamClient } from '../../http/upstream-client.js';
import type { JsonObject } from '../../provider.js';
import type { RequestSigner } from './signer.js';

export const amzJson = 'application/x-amz-json-1.1';
const targetPrefix = 'AWSCognitoIdentityProviderService.';

/** The operations this provider calls. */
export type Operation =
  | 'InitiateAuth' | 'RespondToAuthChallenge' | 'AdminInitiateAuth' | 'AdminRespondToAuthChallenge'
  | 'AssociateSoftwareToken' | 'VerifySoftwareToken';

export type WireObject = Record<string, unknown>;

/** A refusal: HTTP 4xx with `__type` (the exception name, without namespace) and `message`. */
export interface CognitoFault {
  type: string;
  message: string;
  status: number;
  /** `Retry-After` seconds, when a throttling answer carried one. */
  retryAfterSeconds?: number;
  requestId?: string;
}

export type CognitoAnswer = { ok: true; body: WireObject; requestId?: string } | { ok: false; fault: CognitoFault };

export function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** `com.amazonaws.cognito#NotAuthorizedException:http://…` → `NotAuthorizedException`. */
export function exceptionName(raw: string): string {
  let name = raw;
  if (name.includes(':')) name = name.slice(0, name.indexOf(':'));
  if (name.includes('#')) name = name.slice(name.indexOf('#') + 1);
  return name;
}

/**
 * One AWS JSON 1.1 call through the strategy's upstream client. 5xx → UPSTREAM_UNAVAILABLE;
 * a 2xx that is not a JSON object → UPSTREAM_BAD_RESPONSE; a 4xx JSON fault is returned for the
 * provider to map (its meaning depends on the step).
 */
export async function callCognito(http: UpstreamClient, endpoint: URL, operation: Operation, body: JsonObject, sign?: RequestSigner): Promise<CognitoAnswer> {
  let headers: Record<string, string> = { 'x-amz-target': targetPrefix + operation, 'content-type': amzJson };
  // The client sends JSON.stringify of the same object: the bytes signed are the bytes sent.
  if (sign) headers = await signOrFail(sign, endpoint, headers, JSON.stringify(body));
  const response = await http.request({ method: 'POST', url: endpoint, headers, json: body });
  const requestId = headerText(response.headers['x-amzn-requestid']);
  if (response.status >= 500) throw new MultiStepError('UPSTREAM_UNAVAILABLE', { details: requestId ? { upstreamErrorId: requestId } : {} });
  if (!/\bjson\b/i.test(response.contentType)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.text);
  } catch {
    throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  }
  if (!isObject(parsed)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  if (response.status >= 200 && response.status < 300) return { ok: true, body: parsed, ...(requestId ? { requestId } : {}) };
  // AWS also sends the exception name as the x-amzn-ErrorType header.
  const type = exceptionName(str(parsed.__type) ?? headerText(response.headers['x-amzn-errortype']) ?? 'UnknownError');
  const message = str(parsed.message) ?? str(parsed.Message) ?? '';
  const retryAfter = Number(headerText(response.headers['retry-after']));
  return {
    ok: false,
    fault: {
      type, message, status: response.status,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: Math.ceil(retryAfter) } : {}),
      ...(requestId ? { requestId } : {}),
    },
  };
}

/** A signer that cannot sign (no credentials, a throwing credentials function) is a configuration fault, never a crash. */
async function signOrFail(sign: RequestSigner, url: URL, headers: Record<string, string>, body: string): Promise<Record<string, string>> {
  try {
    return await sign(url, headers, body);
  } catch (error) {
    throw new MultiStepError('CONFIGURATION', {
      message: 'Cognito: the AWS credentials for the admin flow could not be obtained (check the `credentials` option).',
      cause: error,
    });
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
