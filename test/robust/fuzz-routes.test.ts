/**
 * Every route against malformed input: wrong content types, broken and huge bodies, deep
 * JSON, wrong types (arrays, objects, numbers for strings), unknown fields, forged or
 * missing transaction ids and CSRF tokens, odd unicode. In JSON mode every answer must be
 * a 4xx with a stable error code; in HTML mode a 4xx or a redirect; never a 5xx, and the
 * login under attack stays usable.
 */
import { expect } from 'chai';
import { ErrorCodes } from '../../lib/index.js';
import { Browser } from '../support/browser.js';
import { useFixture } from '../support/fixture.js';

const routes = ['start', 'select', 'answer', 'poll', 'resend', 'alternatives', 'cancel', 'start-oob', 'logout'];
const stringFields = ['username', 'tx', 'sequence', 'mechanism', 'answer', 'returnTo', 'rememberDevice', '_csrf', 'action'];
const oddValues: unknown[] = [
  [], ['a', 'b'], {}, { nested: { deep: 'x' } }, 42, -1, 1e309, true, null, '', ' ', '\u0000', '\u202e\u202d', '😀'.repeat(300),
  'x'.repeat(5000), '../../etc/passwd', '<script>alert(1)</script>', '{"$gt":""}', '__proto__', 'constructor',
];
const rawBodies: Array<[string, string]> = [
  ['application/json', '{'], ['application/json', '['], ['application/json', 'null'], ['application/json', '"text"'],
  ['application/json', '123'], ['application/json', '{"a":'], ['application/json', '\uFEFF{}x'],
  ['application/json', '['.repeat(6000) + ']'.repeat(6000)],
  ['application/json', JSON.stringify({ answer: 'x'.repeat(200_000) })],
  ['application/json', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
  ['application/x-www-form-urlencoded', 'a=%E0%A4%A'], ['application/x-www-form-urlencoded', 'x='.repeat(2000)],
  ['text/plain', 'answer=x'], ['application/xml', '<a/>'], ['multipart/form-data; boundary=x', '--x\r\n'],
  ['application/json; charset=utf-16', '{}'], ['application/octet-stream', '\u0000\u0001'],
];

describe('fuzz: every route, malformed input', () => {
  const f = useFixture();

  it('answers every malformed request with a 4xx and a stable code (JSON mode), never a 5xx', async function () {
    this.timeout(120_000);
    const client = f.client();
    await client.start('alice'); // a live login to aim at
    const valid = { tx: client.tx, sequence: client.step!.sequence, mechanism: 'c1m1', _csrf: client.csrf };
    const codes = new Set(Object.keys(ErrorCodes));
    let cases = 0;
    const check = (label: string, res: { status: number; json: any }) => {
      cases += 1;
      expect(res.status, label).to.be.within(400, 499);
      expect(codes.has(res.json?.error?.code), `${label}: ${JSON.stringify(res.json)?.slice(0, 200)}`).to.equal(true);
    };

    for (const route of routes) {
      // Raw, broken or unacceptable bodies.
      for (const [contentType, body] of rawBodies) {
        // Logout takes no fields: a well-formed JSON object with the right token would simply log out.
        const token = route === 'logout' ? 'forged' : client.csrf;
        check(`${route} ${contentType} ${body.slice(0, 20)}`, await client.browser.send('POST', `/login/${route}`, undefined, { 'x-csrf-token': token }, { body, contentType }));
      }
      // One field of an otherwise plausible request replaced by an odd value (never the right password).
      for (const field of stringFields) {
        for (const value of oddValues) {
          const body: Record<string, unknown> = { ...valid, username: 'alice', answer: 'not-the-password', [field]: value };
          if (field !== '_csrf') body._csrf = typeof value === 'string' ? 'forged' : value; // and a bad CSRF token
          check(`${route} ${field}=${JSON.stringify(value)?.slice(0, 30)}`, await client.browser.post(`/login/${route}`, body));
        }
      }
      // A valid token and one field of the wrong type: the type check itself must answer (cancel and
      // logout would simply succeed: their fields are optional).
      if (route !== 'cancel' && route !== 'logout') {
        for (const field of stringFields.filter((name) => name !== '_csrf')) {
          for (const value of oddValues.filter((v) => typeof v !== 'string' && v !== null)) {
            const { mechanism: _m, ...rest } = valid;
            const body: Record<string, unknown> = { ...rest, mechanism: 'c1m9', [field]: value };
            check(`${route} (valid token) ${field}=${JSON.stringify(value)?.slice(0, 30)}`, await client.browser.post(`/login/${route}`, body));
          }
        }
      }
      // Valid CSRF, forged or missing transaction, unknown fields (start and logout take no transaction).
      if (route === 'start' || route === 'logout') continue;
      for (const tx of [undefined, 'A'.repeat(22), 'a'.repeat(21), '__proto__', 'constructor', 'toString', '😀'.repeat(11), client.tx + 'x']) {
        const body = { ...valid, tx, unknownField: 'x', another: { deep: [1, 2, 3] } };
        check(`${route} tx=${String(tx)}`, await client.browser.post(`/login/${route}`, body));
      }
    }
    // GET routes with odd query strings.
    for (const query of ['?tx=', '?tx[]=a&tx[]=b', '?tx=%00', '?tx=' + 'A'.repeat(5000), '?tx=__proto__']) {
      check(`GET step${query.slice(0, 20)}`, await client.browser.get(`/login/step${query}`));
    }

    console.log(`      fuzz: ${cases} malformed requests, all answered 4xx with a stable code`);
    expect(cases).to.be.above(1000);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(f.app.serverErrors).to.deep.equal([]);
    // The login under attack still works.
    expect((await client.answer('alice-pw')).json.step.kind).to.equal('done');
  });

  it('HTML mode: malformed forms get a 4xx or a redirect with a message, never a 5xx', async () => {
    const browser = new Browser(f.app.url, 'html');
    let cases = 0;
    for (const route of routes) {
      for (const [contentType, body] of rawBodies) {
        const res = await browser.send('POST', `/login/${route}`, undefined, {}, { body, contentType });
        cases += 1;
        expect(res.status, `${route} ${contentType}`).to.satisfy((s: number) => (s >= 400 && s < 500) || s === 303);
      }
    }
    console.log(`      fuzz (HTML mode): ${cases} malformed forms, none answered 5xx`);
    expect(f.app.serverErrors).to.deep.equal([]);
  });
});
