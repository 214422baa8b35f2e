/**
 * Security headers on every page, and a page the CSP does not have to make exceptions for: no
 * inline script, no inline style, no event handler attribute; the script and stylesheet are
 * content-hashed assets with long-lived cache headers.
 */
import { expect } from 'chai';
import { createPages } from '../../../lib/web/pages/index.js';
import { assetBase, everyPage, startLocals, tags } from './fixtures.js';

describe('built-in pages: CSP and security headers', () => {
  const pages = createPages();

  it('every page is sent with the security headers and a strict policy', () => {
    for (const { name, locals } of everyPage()) {
      const { headers } = pages.render(locals, { assetBase });
      expect(headers, name).to.include({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
        'X-Frame-Options': 'DENY',
      });
      const csp = headers['Content-Security-Policy']!.split('; ');
      expect(csp).to.include.members([
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
      ]);
    }
  });

  it('no page has an inline script, an inline style or an event handler attribute', () => {
    for (const { name, locals } of everyPage()) {
      const { html } = pages.render(locals, { assetBase });
      for (const script of tags(html, 'script')) expect(script.src, name).to.be.a('string').and.match(/^\/login\/assets\/pages-[0-9a-f]{12}\.js$/);
      expect(html, name).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, name).to.not.match(/<script[^>]*>[^<]+<\/script>/);
      expect(html, name).to.not.match(/<style\b/);
      expect(html, name).to.not.match(/\sstyle=/);
      expect(html, name).to.not.match(/\son[a-z]+=/);
      expect(html, name).to.not.match(/javascript:/i);
    }
  });

  it('an absolute logo URL adds its origin to img-src; a path adds nothing; other URLs are refused', () => {
    const policy = (logoUrl: string) => createPages({ logoUrl }).render(startLocals(), { assetBase }).headers['Content-Security-Policy']!;
    expect(policy('https://cdn.example.com/brand/logo.svg')).to.include("img-src 'self' data: https://cdn.example.com;");
    expect(policy('/static/logo.svg')).to.include("img-src 'self' data:;");
    for (const bad of ['javascript:alert(1)', '//cdn.example.com/logo.svg', 'data:image/svg+xml,<svg/>', 'logo.svg', 'ftp://x/y']) {
      expect(() => createPages({ logoUrl: bad }), bad).to.throw(TypeError, /logoUrl/);
    }
  });

  it('formActionOrigins widen form-action (a redirect to an enrolment page elsewhere)', () => {
    const csp = createPages({ formActionOrigins: ['https://enrol.example.com/path'] }).render(startLocals(), { assetBase }).headers['Content-Security-Policy'];
    expect(csp).to.include("form-action 'self' https://enrol.example.com;");
    expect(() => createPages({ formActionOrigins: ['/local'] })).to.throw(TypeError);
  });

  it('serves its two assets by content-hashed name, with immutable caching and nosniff', () => {
    const { html } = pages.render(startLocals(), { assetBase });
    const css = /pages-[0-9a-f]{12}\.css/.exec(html)![0];
    const js = /pages-[0-9a-f]{12}\.js/.exec(html)![0];
    expect(pages.asset(css)!.headers).to.include({ 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    expect(pages.asset(js)!.headers).to.include({ 'Content-Type': 'text/javascript; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    expect(pages.asset(js)!.body).to.include('ms-poll');
    for (const name of ['pages.css', 'pages-000000000000.js', '../index.ts', '', css.toUpperCase()]) expect(pages.asset(name), name).to.equal(undefined);
    // The same options give the same names (several processes serve the same URLs).
    expect(createPages().render(startLocals(), { assetBase }).html).to.include(css);
  });

  it('takes assetBase with or without its trailing slash', () => {
    const html = pages.render(startLocals(), { assetBase: '/auth/assets' }).html;
    expect(tags(html, 'link')[0]!.href).to.match(/^\/auth\/assets\/pages-[0-9a-f]{12}\.css$/);
  });
});
