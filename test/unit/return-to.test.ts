import { expect } from 'chai';
import { safeReturnTo } from '../../lib/return-to.js';

describe('safeReturnTo', () => {
  it('keeps local paths with query and fragment', () => {
    for (const path of ['/', '/account', '/reports?q=1&x=%20y', '/a/b#top']) expect(safeReturnTo(path)).to.equal(path);
  });

  it('refuses anything that could leave the site', () => {
    const hostile = [
      'https://evil.example/', '//evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)',
      '/.//evil.example', '/%2e//evil.example', '/..//evil.example', '/a/..//evil.example', '/\t/evil.example',
      '/\n/evil.example', 'evil.example', '', ' /x', '/x'.repeat(2000),
    ];
    for (const value of hostile) expect(safeReturnTo(value), JSON.stringify(value)).to.equal(undefined);
    for (const value of [undefined, null, 42, ['/x'], { a: 1 }]) expect(safeReturnTo(value)).to.equal(undefined);
  });
});
