import { expect } from 'chai';
import {
  defaultShapeLimits, describeBody, describeContentType, describeForm, describeJson, describePath, describeSetCookies, safeName,
} from '../../lib/http/wire-shape.js';

/** The shape summaries the wire log prints: names, types and lengths, bounded, never a value. */
describe('wire shape: a body described without its values', () => {
  it('objects, arrays (union of the elements), strings with lengths, numbers, booleans and null', () => {
    const body = {
      Success: true,
      Result: {
        SessionId: 'a'.repeat(36),
        RetryWaitingTime: 0,
        Challenges: [
          { Mechanisms: [{ AnswerType: 'Text', Name: 'UP' }] },
          { Mechanisms: [{ AnswerType: 'StartTextOob', Name: 'SMS', Enrolled: true }, { Name: 'OATH', Enrolled: false }] },
        ],
        Empty: [],
        Mixed: ['ab', 1, null, { x: 'y' }, ['z']],
      },
    };
    expect(describeJson(body)).to.equal(
      '{Success: true, Result: {SessionId: string(36), RetryWaitingTime: number, '
      + 'Challenges: array(2)[{Mechanisms: array(1-2)[{AnswerType: string(4-12), Name: string(2-4), Enrolled: boolean}]}], '
      + 'Empty: array(0), Mixed: array(5)[{x: string(1)} | array(1)[string(1)] | string(2) | number | null]}}',
    );
    expect(describeJson('top')).to.equal('string(3)');
    expect(describeJson(null)).to.equal('null');
  });

  it('never prints a string or a number, whatever the body', () => {
    const body = { password: 'hunter2-secret', pin: 918273, nested: [{ token: 'eyJhbGciOi.secret' }], 'x y': 'spaced-secret' };
    const shape = describeJson(body);
    for (const value of ['hunter2-secret', '918273', 'eyJhbGciOi.secret', 'spaced-secret']) expect(shape).not.to.include(value);
  });

  it('prints identifier-like keys up to 64 characters; any other key is <key>', () => {
    const long = `k${'e'.repeat(64)}`;
    const shape = describeJson({ ok_key: 1, 'urn:ietf:params:scim:schemas:core:2.0:User': {}, 'has space': 1, [long]: 1, '0lead': 1, 'Bearer abc.def': 1, 'a"b': 2 });
    expect(shape).to.equal('{ok_key: number, urn:ietf:params:scim:schemas:core:2.0:User: {}, <key>: number}');
    expect(safeName('$ref')).to.equal('$ref');
    expect(safeName('x'.repeat(65))).to.equal('<key>');
  });

  it('cuts depth, width, array elements and the node budget, and says … where it did', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const shape = describeJson(deep);
    expect(shape.split('{d:').length - 1).to.equal(defaultShapeLimits.depth);
    expect(shape).to.include('{d: …}');

    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const wideShape = describeJson(wide);
    expect(wideShape.match(/: number/g)).to.have.length(defaultShapeLimits.width);
    expect(wideShape).to.match(/, …\}$/);

    const long = Array.from({ length: 1000 }, (_, i) => ({ [`k${i}`]: i }));
    const longShape = describeJson(long, { ...defaultShapeLimits, width: 1000 });
    expect(longShape).to.match(/^array\(1000\)\[\{/).and.to.match(/, …\]$/);
    expect(longShape.match(/: number/g)).to.have.length(defaultShapeLimits.elements);

    // 40 keys × 40 keys × 40 keys: the node budget, not the output, bounds the work.
    const cube = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${i}`, Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`b${j}`, Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`c${k}`, k]))]))]));
    const cubeShape = describeJson(cube);
    expect(cubeShape.match(/: (number|\{)/g)!.length).to.be.at.most(defaultShapeLimits.nodes);
    expect(cubeShape).to.include('…');
    expect(cubeShape.length).to.be.below(10_000);
  });

  it('bodies: JSON by content type, invalid JSON, forms, HTML, text and empty', () => {
    expect(describeBody('{"a":[1,2]}', 'application/json; charset=utf-8')).to.equal('json {a: array(2)[number]}');
    expect(describeBody('{"a":', 'application/scim+json')).to.equal('invalid json(5)');
    expect(describeBody('grant_type=password&password=s3cr3t-value', 'application/x-www-form-urlencoded')).to.equal('form {grant_type: string(8), password: string(12)}');
    expect(describeBody('<html><body>Login</body></html>', 'text/plain')).to.equal('html(31)');
    expect(describeBody('Bad Gateway', 'text/plain')).to.equal('text(11)');
    expect(describeBody('', 'application/json')).to.equal('empty');
    expect(describeForm(Object.entries({ client_id: 'abc', 'bad name': 'x' }))).to.equal('form {client_id: string(3), <key>: string(1)}');
  });

  it('path with query parameter names only; odd segments, content types and cookie names are hidden', () => {
    expect(describePath(new URL('https://t.example/sso/v1/sdk/authenticate?appName=My%20App&appName=x&b=1'))).to.equal('/sso/v1/sdk/authenticate?appName=&b=');
    expect(describePath(new URL('https://t.example/users/a%20b/x?bad%20name=1'))).to.equal('/users/<segment>/x?<key>=');
    expect(describeContentType('Application/JSON; Charset=UTF-8; boundary=secret')).to.equal('application/json; charset=utf-8');
    expect(describeContentType('text/html; secret value')).to.equal('text/html');
    expect(describeContentType('not a type')).to.equal('<content-type>');
    expect(describeContentType('')).to.equal('no content-type');
    expect(describeSetCookies(['.ASPXAUTH=v1; Path=/', 'sess data=v2', 'novalue'])).to.equal('3 [.ASPXAUTH, <key>, <key>]');
    expect(describeSetCookies(undefined)).to.equal(undefined);
  });
});
