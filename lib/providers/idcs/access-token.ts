/**
 * The client-credentials access token of the sign-in app (scope `urn:opc:idm:__myscopes__`,
 * as in Oracle's collections). One per provider and process, shared by every login, kept in
 * memory only (never in a session or a log), renewed a minute before it expires or when IDCS
 * says it is no longer valid.
 */
import { MultiStepError } from '../../errors.js';
import type { UpstreamClient } from '../../http/upstream-client.js';
import type { Logger } from '../../log.js';
import { requestToken, type ClientCredentials } from './token-endpoint.js';

const renewBeforeMs = 60_000;

export class AccessTokenCache {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly client: ClientCredentials, private readonly scope: string, private readonly log: Logger) {}

  /** A valid token; concurrent callers share one token request. */
  async get(http: UpstreamClient): Promise<string> {
    if (this.current && this.current.expiresAt - renewBeforeMs > Date.now()) return this.current.token;
    // Shared by concurrent logins: fetched outside any one browser request's budget, so one browser leaving does not fail the others.
    this.pending ??= this.fetch(http.unscoped).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** Forgets `token` (IDCS refused it); a newer token fetched meanwhile is kept. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetch(http: UpstreamClient): Promise<string> {
    const answer = await requestToken(http, this.client, { grant_type: 'client_credentials', scope: this.scope });
    if (!answer.ok) {
      this.log('access token refused', { status: answer.status, error: answer.error ?? null });
      if (answer.error === 'invalid_client' || answer.error === 'unauthorized_client' || answer.error === 'invalid_scope') {
        // Wrong client id/secret, or the app lacks the Client Credentials grant: an operator problem, not the user's.
        throw new MultiStepError('CONFIGURATION', {
          message: `IDCS refused the sign-in app's client credentials (${answer.error}): check clientId/clientSecret, and that the confidential app is activated with the Client Credentials grant type and the "Signin" app role.`,
        });
      }
      throw new MultiStepError('UPSTREAM_UNAVAILABLE');
    }
    const lifetime = answer.expiresIn ?? 3600;
    this.current = { token: answer.accessToken, expiresAt: Date.now() + lifetime * 1000 };
    this.log('access token issued', { expiresInSeconds: lifetime });
    return answer.accessToken;
  }
}
