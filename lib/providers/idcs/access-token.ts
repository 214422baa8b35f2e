/**
 * The client-credentials access token of the sign-in app (idcs.md §1). One per provider
 * and process, shared by every login, kept in memory only (never in a session or a log),
 * renewed a minute before it expires or when IDCS says it is no longer valid.
 */
import { MultiStepError } from '../../errors.js';
import type { UpstreamClient } from '../../http/upstream-client.js';
import type { Logger } from '../../log.js';

export interface ClientCredentials {
  tokenUrl: URL;
  clientId: string;
  clientSecret: string;
  scope: string;
}

const renewBeforeMs = 60_000;

export class AccessTokenCache {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly credentials: ClientCredentials, private readonly log: Logger) {}

  /** A valid token; concurrent callers share one token request. */
  async get(http: UpstreamClient): Promise<string> {
    if (this.current && this.current.expiresAt - renewBeforeMs > Date.now()) return this.current.token;
    this.pending ??= this.fetch(http).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** Forgets `token` (IDCS refused it); a newer token fetched meanwhile is kept. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetch(http: UpstreamClient): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope } = this.credentials;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const response = await http.requestJson({
      method: 'POST',
      url: tokenUrl,
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: 'client_credentials', scope },
    });
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (response.status !== 200 || typeof body?.access_token !== 'string' || body.access_token.length === 0) {
      // Wrong client id/secret or a missing "Signin" role: an operator problem, not the user's.
      this.log('access token refused', { status: response.status });
      throw new MultiStepError('UPSTREAM_UNAVAILABLE');
    }
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    this.current = { token: body.access_token, expiresAt: Date.now() + lifetime * 1000 };
    this.log('access token issued', { expiresInSeconds: lifetime });
    return body.access_token;
  }
}
