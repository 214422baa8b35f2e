import { expect } from 'chai';
import { copyJson } from '../../lib/json-copy.js';

describe('copyJson', () => {
  it('copies nested objects and arrays deeply: changing the copy leaves the original as it was', () => {
    const original = { a: 1, b: 'x', c: null, d: true, list: [[{ id: 'm1', view: { label: 'L' } }], []], nested: { deep: { n: [1, 2] } } };
    const copy = copyJson(original);
    expect(copy).to.deep.equal(original);
    copy.list[0]![0]!.view.label = 'changed';
    copy.nested.deep.n.push(3);
    (copy.list[1] as unknown[]).push('new');
    expect(original.list[0]![0]!.view.label).to.equal('L');
    expect(original.nested.deep.n).to.deep.equal([1, 2]);
    expect(original.list[1]).to.deep.equal([]);
  });

  it('keeps a "__proto__" key as own data, never as the prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(JSON.stringify(copy)).to.equal('{"__proto__":{"polluted":true},"ok":1}');
  });

  it('returns primitives as they are', () => {
    for (const value of ['s', 0, false, null, undefined]) expect(copyJson(value)).to.equal(value);
  });
});
