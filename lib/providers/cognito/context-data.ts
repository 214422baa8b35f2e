/**
 * The user's side of the request for Cognito's threat protection (adaptive authentication,
 * compromised credentials): every call comes from this server, so without it Cognito sees one
 * IP address for all users, and may rate or block that address for everyone.
 *
 * - AdminInitiateAuth / AdminRespondToAuthChallenge take `ContextData` (API reference,
 *   ContextDataType: IpAddress, ServerName, ServerPath, HttpHeaders required; EncodedData
 *   optional): accepted from IAM-authorized callers whatever the app client's settings.
 * - InitiateAuth / RespondToAuthChallenge take `UserContextData` (UserContextDataType:
 *   IpAddress, EncodedData): Cognito uses IpAddress only when the app client has
 *   EnablePropagateAdditionalUserContextData, which needs a client secret (UserPoolClientType).
 *   UNVERIFIED: whether Cognito refuses IpAddress from a client without that setting, or ignores
 *   it; hence off by default for these flows.
 *
 * EncodedData (the browser fingerprint of AWS's context data collection script) is not sent:
 * the built-in pages do not run that script.
 */
import type { ClientInfo, JsonObject } from '../../provider.js';
import type { Operation } from './wire.js';

/** The request headers passed on: what identifies the client's software and route, nothing that authenticates it. */
const passedHeaders = ['host', 'user-agent', 'accept-language', 'referer', 'x-forwarded-for'];

/** The context member for one call, or nothing (an operation without one, or no client address). */
export function contextData(operation: Operation, client: ClientInfo): JsonObject {
  if (!client.ip) return {};
  if (operation === 'AdminInitiateAuth' || operation === 'AdminRespondToAuthChallenge') {
    return {
      ContextData: {
        IpAddress: client.ip,
        ServerName: client.headers.host ?? '',
        ServerPath: client.path,
        HttpHeaders: passedHeaders.filter((name) => client.headers[name] !== undefined).map((name) => ({ headerName: name, headerValue: client.headers[name]! })),
      },
    };
  }
  if (operation === 'InitiateAuth' || operation === 'RespondToAuthChallenge') return { UserContextData: { IpAddress: client.ip } };
  return {};
}
