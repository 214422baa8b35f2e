/** Colours become CSS custom properties in the (content-hashed) stylesheet; anything that is not a colour is refused. */
import { expect } from 'chai';
import { createPages } from '../../../lib/web/pages/index.js';
import { assetBase, startLocals } from './fixtures.js';

describe('built-in pages: theme colours', () => {
  const stylesheet = (pages: ReturnType<typeof createPages>) => {
    const name = /pages-[0-9a-f]{12}\.css/.exec(pages.render(startLocals(), { assetBase }).html)![0];
    return { name, css: pages.asset(name)!.body };
  };

  it('every colour is a custom property the stylesheet uses', () => {
    const { css } = stylesheet(createPages());
    for (const name of ['primary', 'background', 'surface', 'text', 'muted', 'error', 'focus']) expect(css).to.include(`var(--ms-${name})`);
  });

  it('the app\'s colours are appended as one :root rule, and change the stylesheet\'s name', () => {
    const plain = stylesheet(createPages());
    const themed = stylesheet(createPages({ colors: { primary: '#0b57d0', background: 'rgb(240 244 249)', focus: 'oklch(70% 0.2 60)', text: 'black' } }));
    expect(themed.css.endsWith(':root { --ms-primary: #0b57d0; --ms-background: rgb(240 244 249); --ms-focus: oklch(70% 0.2 60); --ms-text: black; }\n')).to.equal(true);
    expect(themed.name).to.not.equal(plain.name);
  });

  it('refuses values that are not a plain colour (no way out of the declaration, nothing loaded)', () => {
    const bad = [
      'red; } body { display: none', 'red}', '#fff</style><script>', 'url(https://evil.example/x.png)', 'rgb(0 0 0) url(x)',
      'expression(alert(1))', 'var(--x)', '"red"', 'red\\3b', '', 'image(red)', 'rgb(1,2,3));x:y', 42,
    ];
    for (const value of bad) expect(() => createPages({ colors: { primary: value as string } }), String(value)).to.throw(TypeError, /pages\.colors\.primary/);
    expect(() => createPages({ colors: { accent: '#fff' } as never })).to.throw(TypeError, /unknown colour "accent"/);
  });
});
