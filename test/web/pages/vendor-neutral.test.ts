/** The built-in pages belong to the core: no page, asset or source file of theirs names a vendor. */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { createPages, defaultStrings } from '../../../lib/web/pages/index.js';
import { assetBase, everyPage } from './fixtures.js';

const vendors = /cyberark|centrify|idaptive|delinea|oracle|idcs|\boaa\b|okta|azure|entra|ping ?identity|duo\b|yubi/i;

describe('built-in pages: vendor-neutral', () => {
  it('no rendered page, asset or default string names a vendor', () => {
    const pages = createPages();
    for (const { name, locals } of everyPage()) {
      const { html } = pages.render(locals, { assetBase });
      expect(html, name).to.not.match(vendors);
      for (const asset of html.matchAll(/pages-[0-9a-f]{12}\.(?:css|js)/g)) expect(pages.asset(asset[0])!.body).to.not.match(vendors);
    }
    expect(JSON.stringify(defaultStrings)).to.not.match(vendors);
  });

  it('no source file of lib/web/pages names a vendor', () => {
    const dir = new URL('../../../lib/web/pages/', import.meta.url);
    for (const file of readdirSync(dir)) expect(readFileSync(new URL(file, dir), 'utf8'), file).to.not.match(vendors);
  });
});
