import { expect } from 'chai';
import { proxyRoute } from '../../lib/check/proxy-route.js';

describe('check: which proxy `http.proxy: true` uses (undici EnvHttpProxyAgent rules)', () => {
  const https = new URL('https://abc.id.cyberark.cloud/');
  const plain = new URL('http://intranet.example:8080/');

  it('off, or on without variables: direct', () => {
    expect(proxyRoute(https, false, { HTTPS_PROXY: 'http://p:1' })).to.deep.equal({ kind: 'direct', reason: 'proxy option off' });
    expect(proxyRoute(https, true, {})).to.deep.equal({ kind: 'direct', reason: 'no proxy variable set' });
  });

  it('https uses HTTPS_PROXY, else HTTP_PROXY; lower case first; user info removed', () => {
    expect(proxyRoute(https, true, { HTTPS_PROXY: 'http://u:s@p:1', HTTP_PROXY: 'http://q:2' })).to.deep.equal({ kind: 'proxy', variable: 'HTTPS_PROXY', proxy: 'http://p:1' });
    expect(proxyRoute(https, true, { HTTP_PROXY: 'http://q:2' })).to.deep.equal({ kind: 'proxy', variable: 'HTTP_PROXY', proxy: 'http://q:2' });
    expect(proxyRoute(https, true, { https_proxy: 'http://l:3', HTTPS_PROXY: 'http://p:1' })).to.include({ variable: 'https_proxy' });
    expect(proxyRoute(plain, true, { HTTPS_PROXY: 'http://p:1' })).to.include({ kind: 'direct' });
  });

  it('NO_PROXY: host, subdomain, leading dot or *., port, and *', () => {
    const env = (NO_PROXY: string) => ({ HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY });
    expect(proxyRoute(https, true, env('cyberark.cloud')).kind).to.equal('direct');
    expect(proxyRoute(https, true, env('.id.cyberark.cloud')).kind).to.equal('direct');
    expect(proxyRoute(https, true, env('*.cyberark.cloud')).kind).to.equal('direct');
    expect(proxyRoute(https, true, env('abc.id.cyberark.cloud:443')).kind).to.equal('direct');
    expect(proxyRoute(https, true, env('abc.id.cyberark.cloud:8443')).kind).to.equal('proxy');
    expect(proxyRoute(plain, true, env('intranet.example:8080')).kind).to.equal('direct');
    expect(proxyRoute(https, true, env('*')).kind).to.equal('direct');
    expect(proxyRoute(https, true, env('other.example, example.org')).kind).to.equal('proxy');
  });
});
