/**
 * One-time password helpers of the OAA simulator. TOTP (RFC 6238) is the
 * generic implementation of the IDCS simulator, re-exported from one place so
 * a later move of that helper touches one import only.
 */
import { createHash } from 'node:crypto';
import { base32Encode } from '../idcs/totp.js';

export { isValidTotpSecret, totpAt, verifyTotp } from '../idcs/totp.js';

/** The TOTP secret of a user whose `totpSecret` is not set: derived from the user name, so it is stable. */
export function defaultTotpSecret(username: string): string {
  return base32Encode(createHash('sha1').update(`oaa-sim/totp/${username.toLowerCase()}`).digest());
}
