/**
 * `qrCode` objects of TOTP and PUSH enrollment, shaped like the collection's saved ones
 * ("…Offline TOTP Enrollment" / "…Online TOTP Enrollment" / "…PUSH Notification Enrollment",
 * Step 3): `{content, imageType: "image/png", imageData}`, with `content` in Oracle's parameter order.
 */
import { randomUUID } from 'node:crypto';
import { type RsaJwtSigner, nowSeconds } from './jwt.js';
import { pseudoQrPngBase64 } from './png.js';
import { TOTP_PERIOD_SECONDS } from './totp.js';

export interface QrCode {
  content: string;
  imageType: 'image/png';
  imageData: string;
}

function qrCode(content: string): QrCode {
  return { content, imageType: 'image/png', imageData: pseudoQrPngBase64(content) };
}

function commonParams(issuer: string, deviceId: string): Array<[string, string]> {
  return [
    ['issuer', issuer],
    ['period', String(TOTP_PERIOD_SECONDS)],
    ['algorithm', 'SHA1'],
    ['digits', '6'],
    ['RSA', 'SHA256withRSA'],
    ['Deviceid', deviceId],
    ['RequestId', randomUUID()],
  ];
}

const tail: Array<[string, string]> = [
  ['KeyPairLength', '2048'],
  ['SSE', 'Base32'],
];

/**
 * Offline TOTP (`credentials: {offlineTotp: true}`, what Oracle's sample client sends): an
 * `otpauth://` URI with the `secret`, e.g. `otpauth://totp/joesmith%40example.com?issuer=example1&…&secret=G7CQBK3EQOHUHT4IKO5COINDPQ&ServiceType=TOTP&…`.
 */
export function offlineTotpQr(account: string, issuer: string, deviceId: string, secret: string): QrCode {
  const params = new URLSearchParams([...commonParams(issuer, deviceId), ['secret', secret], ['ServiceType', 'TOTP'], ...tail]);
  return qrCode(`otpauth://totp/${encodeURIComponent(account)}?${params.toString()}`);
}

/**
 * Online TOTP and PUSH: an `oraclemobileauthenticator://` URI the app follows to register by
 * itself (`LoginURL` = `<domain>/sso/v1/`, `OTP` = a short-lived JWT `{device_id, iss: "AuthSrv",
 * exp: iat + 300, iat, tenant}` as decoded from the saved ones); `ServiceType=TOTP` or `TOTP+PUSH`.
 */
export function omaQr(
  service: 'TOTP' | 'TOTP+PUSH',
  account: string,
  options: { issuer: string; deviceId: string; baseUrl: string; tenant: string; signer: RsaJwtSigner },
): QrCode {
  const iat = nowSeconds();
  const otp = options.signer.sign({ device_id: options.deviceId, iss: 'AuthSrv', exp: iat + 300, iat, tenant: options.tenant });
  const params = new URLSearchParams([
    ...commonParams(options.issuer, options.deviceId),
    ['LoginURL', `${options.baseUrl}/sso/v1/`],
    ['OTP', otp],
    ['ServiceType', service],
    ...tail,
  ]);
  return qrCode(`oraclemobileauthenticator://totp/${encodeURIComponent(account)}?${params.toString()}`);
}
