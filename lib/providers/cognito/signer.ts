/**
 * AWS Signature Version 4 for the admin operations (AdminInitiateAuth,
 * AdminRespondToAuthChallenge), which Cognito authorizes with IAM: signed by smithy's
 * SignatureV4 (what the AWS SDK for JavaScript v3 signs with), service `cognito-idp`, SHA-256
 * from smithy's Node hash. Nothing here is hand-written crypto: this file only adapts a request
 * of ours to the signer's request shape and back.
 */
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';

/** IAM credentials: an access key pair, with a session token for temporary credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working; the provider function is asked again before then. */
  expiration?: Date;
}

/**
 * Credentials, or a function giving them: e.g. `fromNodeProviderChain()` of
 * `@aws-sdk/credential-providers` (environment, shared files, ECS/EC2 roles, SSO), which
 * caches and refreshes them itself. A function is called for every signed request.
 */
export type AwsCredentialsOption = AwsCredentials | (() => Promise<AwsCredentials>);

/** Signs one POST of an AWS JSON 1.1 body: returns the headers to send (the given ones plus authorization, x-amz-date …). */
export type RequestSigner = (url: URL, headers: Record<string, string>, body: string) => Promise<Record<string, string>>;

export function createSigner(region: string, credentials: AwsCredentialsOption): RequestSigner {
  const signer = new SignatureV4({
    service: 'cognito-idp',
    region,
    credentials: typeof credentials === 'function' ? credentials : { ...credentials },
    sha256: Hash.bind(null, 'sha256'),
  });
  return async (url, headers, body) => {
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      // `host` is signed: it must be what undici sends (URL.host leaves a default port out).
      headers: { ...headers, host: url.host },
      body,
    });
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) if (name.toLowerCase() !== 'host') out[name.toLowerCase()] = String(value);
    return out;
  };
}
