/** The ID token is refused when its signature, issuer, audience, token_use or expiry is wrong (local JWKS server). */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
import { IdTokenVerifier } from '../../lib/providers/cognito/id-token.js';
import { UpstreamClient } from '../../lib/http/upstream-client.js';

describe('Cognito ID token verification', () => {
  let server: Server;
  let jwksUrl: URL;
  let good: KeyLike;
  let other: KeyLike;
  const http = new UpstreamClient();
  const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test';
  const clientId = 'client-1';

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    good = pair.privateKey;
    other = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/eu-west-1_Test/.well-known/jwks.json`);
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await http.close();
  });

  const sign = (claims: Record<string, unknown>, opts: { key?: KeyLike; iss?: string; aud?: string; exp?: number } = {}) =>
    new SignJWT({ token_use: 'id', 'cognito:username': 'ann', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('sub-1').setIssuer(opts.iss ?? issuer).setAudience(opts.aud ?? clientId)
      .setIssuedAt().setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(opts.key ?? good);
  const verifier = () => new IdTokenVerifier({ jwksUrl, issuer, clientId, refetchCooldownMs: 0 });
  const refused = async (token: string) => {
    try {
      await verifier().verify(http, token, () => {});
    } catch (error) {
      return (error as { code?: string }).code;
    }
    return 'accepted';
  };

  it('accepts a token of the pool for the client', async () => {
    const claims = await verifier().verify(http, await sign({}), () => {});
    expect(claims.sub).to.equal('sub-1');
  });
  it('refuses a wrong signature', async () => expect(await refused(await sign({}, { key: other }))).to.equal('UPSTREAM_BAD_RESPONSE'));
  it('refuses a wrong issuer', async () => expect(await refused(await sign({}, { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }))).to.equal('UPSTREAM_BAD_RESPONSE'));
  it('refuses a wrong audience', async () => expect(await refused(await sign({}, { aud: 'another-client' }))).to.equal('UPSTREAM_BAD_RESPONSE'));
  it('refuses an expired token', async () => expect(await refused(await sign({}, { exp: Math.floor(Date.now() / 1000) - 3600 }))).to.equal('UPSTREAM_BAD_RESPONSE'));
  it('refuses an access token (token_use "access")', async () => expect(await refused(await sign({ token_use: 'access' }))).to.equal('UPSTREAM_BAD_RESPONSE'));
});
