import { expect } from 'chai';
import { UpstreamCookieJar } from '../../lib/http/cookie-jar.js';

const tenant = new URL('https://abc1234.id.cyberark.cloud/Security/StartAuthentication');
const at = (path: string, base: URL = tenant) => new URL(path, base);

describe('UpstreamCookieJar', () => {
  it('sends cookies back only to the host that set them (host-only), on matching paths, longest path first', () => {
    const jar = new UpstreamCookieJar();
    jar.setCookies(tenant, ['a=1; Path=/', 'b=2; Path=/Security', 'c=3; Path=/Other', 'd=4']);
    // d has the default path (/Security, from the URL that set it): as long as b's, so set order.
    expect(jar.cookieHeader(at('/Security/AdvanceAuthentication'))).to.equal('b=2; d=4; a=1');
    expect(jar.cookieHeader(at('/Other/x'))).to.equal('c=3; a=1');
    expect(jar.cookieHeader(new URL('https://pod2.id.cyberark.cloud/Security/x'))).to.equal('');
    expect(jar.cookieHeader(new URL('https://evil.example/Security/x'))).to.equal('');
  });

  it('a Domain cookie covers subdomains; a foreign or public-suffix Domain is dropped', () => {
    const jar = new UpstreamCookieJar();
    jar.setCookies(tenant, ['shared=1; Domain=id.cyberark.cloud; Path=/', 'foreign=1; Domain=evil.example', 'tld=1; Domain=cloud']);
    expect(jar.cookieHeader(new URL('https://pod2.id.cyberark.cloud/'))).to.equal('shared=1');
    expect(jar.cookieHeader(at('/'))).to.equal('shared=1');
    expect(jar.toStored()!.map((c) => c.name)).to.deep.equal(['shared']);
  });

  it('Secure cookies only over https, and an http origin cannot set one; __Host- and __Secure- rules hold', () => {
    const jar = new UpstreamCookieJar();
    jar.setCookies(tenant, ['s=1; Secure; Path=/', '__Host-h=1; Secure; Path=/', '__Host-bad=1; Secure; Path=/x', '__Secure-bad=1']);
    expect(jar.cookieHeader(at('/'))).to.equal('s=1; __Host-h=1');
    expect(jar.cookieHeader(new URL('http://abc1234.id.cyberark.cloud/'))).to.equal('');
    const plain = new UpstreamCookieJar();
    plain.setCookies(new URL('http://127.0.0.1:8080/'), 's=1; Secure');
    expect(plain.toStored()).to.equal(undefined);
  });

  it('replaces a cookie in place, deletes it with Max-Age=0 or a past Expires, and never sends an expired one', () => {
    const jar = new UpstreamCookieJar();
    jar.setCookies(at('/'), ['first=1', 'second=2', 'gone=1', 'old=1; Max-Age=1']);
    jar.setCookies(at('/'), ['first=updated', 'gone=; Max-Age=0', 'second=; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.cookieHeader(at('/'))).to.equal('first=updated; old=1');
    const stored = jar.toStored()!;
    stored.find((c) => c.name === 'old')!.expires = Date.now() - 1;
    const later = new UpstreamCookieJar(stored);
    expect(later.cookieHeader(at('/'))).to.equal('first=updated');
    expect(later.toStored()!.map((c) => c.name)).to.deep.equal(['first']);
  });

  it('ignores malformed Set-Cookie lines', () => {
    const jar = new UpstreamCookieJar();
    jar.setCookies(at('/'), ['', '=novalue', ';;;', 'ok=1']);
    expect(jar.cookieHeader(at('/'))).to.equal('ok=1');
  });

  it('copies on the first change: the stored list is untouched until the core keeps the new one', () => {
    const stored = [{ name: 'sessdata', value: 'v1', domain: 'abc1234.id.cyberark.cloud', path: '/', hostOnly: true as const }];
    const jar = new UpstreamCookieJar(stored);
    expect(jar.cookieHeader(at('/Security/x'))).to.equal('sessdata=v1');
    jar.setCookies(tenant, 'sessdata=v1; Path=/');
    expect(jar.modified, 'the same cookie again is no change').to.equal(false);
    jar.setCookies(tenant, 'sessdata=v2; Path=/');
    expect(jar.modified).to.equal(true);
    expect(stored[0]!.value).to.equal('v1');
    expect(jar.toStored()![0]!.value).to.equal('v2');
    jar.clear();
    expect(jar.toStored()).to.equal(undefined);
    expect(stored).to.have.length(1);
  });

  it('keeps a compact record in the session (no library metadata)', () => {
    const jar = new UpstreamCookieJar();
    jar.setCookies(tenant, 'sessdata=ehAKghSYp0YdxxmLLtFfgZaV5iZ_6S7y; Path=/; HttpOnly');
    expect(jar.toStored()).to.deep.equal([{ name: 'sessdata', value: 'ehAKghSYp0YdxxmLLtFfgZaV5iZ_6S7y', domain: 'abc1234.id.cyberark.cloud', path: '/', hostOnly: true }]);
  });
});
