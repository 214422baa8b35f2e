/**
 * `SECRET_HASH` for app clients that have a secret: Base64(HMAC-SHA256(key = client secret,
 * message = user name + client id)). AWS: "Computing secret hash values" (Amazon Cognito
 * Developer Guide, "Authentication with a user pool", section "Compute secret hash values").
 * The user name is the one the request carries as USERNAME: after SRP (or any challenge that
 * names USER_ID_FOR_SRP) that is the user's internal name, not the alias typed (what
 * amazon-cognito-identity-js's CognitoUser sends as USERNAME after PASSWORD_VERIFIER).
 */
import { createHmac } from 'node:crypto';

export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId, 'utf8').digest('base64');
}
