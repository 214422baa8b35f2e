/**
 * The identity domain's OAuth token endpoint, `POST {domain}/oauth2/v1/token`, with the
 * confidential app's client id and secret as HTTP Basic credentials and a form body: how
 * Oracle's Postman collections and sample clients call it for both grants used here
 * (client_credentials for the sign-in app, jwt-bearer for the user's token).
 */
import type { UpstreamClient } from '../../http/upstream-client.js';
import { isObject, str } from './wire.js';

export interface ClientCredentials {
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
}

/** A token endpoint answer: the token, or the OAuth error code (never its description, which may echo input). */
export type TokenAnswer =
  | { ok: true; accessToken: string; tokenType?: string; expiresIn?: number }
  | { ok: false; status: number; error?: string };

export async function requestToken(http: UpstreamClient, client: ClientCredentials, form: Record<string, string>): Promise<TokenAnswer> {
  // RFC 6749 §2.3.1: form-encode the id and secret before joining them.
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
  const response = await http.requestJson({ method: 'POST', url: client.tokenUrl, headers: { authorization: `Basic ${basic}` }, form });
  const body = isObject(response.body) ? response.body : {};
  const accessToken = str(body.access_token);
  if (response.status !== 200 || !accessToken) {
    const error = str(body.error);
    return { ok: false, status: response.status, ...(error && /^[a-z_]{1,64}$/.test(error) ? { error } : {}) };
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : undefined;
  const tokenType = str(body.token_type);
  return { ok: true, accessToken, ...(tokenType ? { tokenType } : {}), ...(expiresIn ? { expiresIn } : {}) };
}
