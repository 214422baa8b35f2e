/**
 * The ID token checked before `verify` sees anything, as AWS documents it ("Verifying a JSON
 * Web Token", Amazon Cognito Developer Guide): RS256 signature by a key of the pool's JWKS
 * (`https://cognito-idp.<region>.amazonaws.com/<userPoolId>/.well-known/jwks.json`), `iss` the
 * pool (`https://cognito-idp.<region>.amazonaws.com/<userPoolId>`), `aud` the app client id,
 * `token_use` "id", and not expired. jose does the JOSE work; the key set is fetched through the
 * strategy's upstream client (not jose's own fetch), cached, and fetched again when a token names
 * a key it does not hold (key rotation), at most once per `refetchCooldownMs`.
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { MultiStepError } from '../../errors.js';
import { parseJsonBody, type UpstreamClient } from '../../http/upstream-client.js';
import type { Logger } from '../../log.js';
import { isObject } from './wire.js';

export interface IdTokenSettings {
  jwksUrl: URL;
  issuer: string;
  clientId: string;
  /** Allowed clock difference, seconds. Default 60. */
  clockToleranceSeconds?: number;
  /** How long a fetched key set is used without asking again. Default 1 hour. */
  cacheMs?: number;
  /** Least time between two fetches for an unknown key id. Default 60 s. */
  refetchCooldownMs?: number;
}

type KeyGetter = ReturnType<typeof createLocalJWKSet>;

export class IdTokenVerifier {
  private keys: { getter: KeyGetter; fetchedAt: number } | undefined;
  private inflight: Promise<KeyGetter> | undefined;

  constructor(private readonly settings: IdTokenSettings) {}

  /** The verified claims. Any failure → UPSTREAM_BAD_RESPONSE (the token is not what the pool issues). */
  async verify(http: UpstreamClient, token: string, log: Logger): Promise<JWTPayload> {
    const fresh = this.keys && Date.now() - this.keys.fetchedAt < (this.settings.cacheMs ?? 3_600_000);
    let getter = fresh ? this.keys!.getter : await this.fetchKeys(http);
    try {
      return await this.check(token, getter);
    } catch (error) {
      const cooldown = this.settings.refetchCooldownMs ?? 60_000;
      if (error instanceof joseErrors.JWKSNoMatchingKey && this.keys && Date.now() - this.keys.fetchedAt >= cooldown) {
        getter = await this.fetchKeys(http);
        try {
          return await this.check(token, getter);
        } catch (again) {
          throw refused(again, log);
        }
      }
      throw refused(error, log);
    }
  }

  private async check(token: string, getter: KeyGetter): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, getter, {
      issuer: this.settings.issuer,
      audience: this.settings.clientId,
      algorithms: ['RS256'],
      clockTolerance: this.settings.clockToleranceSeconds ?? 60,
      requiredClaims: ['exp', 'sub', 'token_use'],
    });
    if (payload.token_use !== 'id') throw new joseErrors.JWTClaimValidationFailed('token_use is not "id"', payload, 'token_use', 'check_failed');
    return payload;
  }

  private fetchKeys(http: UpstreamClient): Promise<KeyGetter> {
    // One fetch for all logins waiting on it: not counted against, nor aborted with, one browser request.
    this.inflight ??= (async () => {
      try {
        const response = await http.unscoped.request({ method: 'GET', url: this.settings.jwksUrl });
        if (response.status !== 200) throw new MultiStepError('UPSTREAM_UNAVAILABLE');
        const body = parseJsonBody(response);
        if (!isObject(body) || !Array.isArray(body.keys)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
        const getter = createLocalJWKSet(body as unknown as JSONWebKeySet);
        this.keys = { getter, fetchedAt: Date.now() };
        return getter;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}

function refused(error: unknown, log: Logger): MultiStepError {
  if (MultiStepError.is(error)) return error;
  const code = (error as { code?: unknown })?.code;
  log('ID token refused', { reason: typeof code === 'string' ? code : 'invalid', claim: (error as { claim?: unknown })?.claim ?? null });
  return new MultiStepError('UPSTREAM_BAD_RESPONSE', { terminal: true, details: { restart: true } });
}
