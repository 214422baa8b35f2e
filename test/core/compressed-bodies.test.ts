import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Browser } from '../support/browser.js';
import { pageLocals } from '../support/app.js';
import { useFixture } from '../support/fixture.js';

/**
 * Request bodies with a Content-Encoding (body-parser inflates gzip, deflate and br): a body that
 * does not decompress is the client's fault (400 BAD_REQUEST), an unknown encoding is 415
 * UNSUPPORTED_MEDIA_TYPE, in JSON and HTML mode, and neither reaches the framework's error
 * handler (which in Express development mode would print a stack trace).
 */
describe('compressed request bodies', () => {
  const f = useFixture();
  const broken = Buffer.from('this is not compressed data at all');
  const truncatedGzip = (json: string): Buffer => { const full = gzipSync(json); return full.subarray(0, full.length - 8); };

  it('JSON mode: broken gzip / deflate / br → 400 BAD_REQUEST, unsupported encoding → 415; valid ones work', async () => {
    const client = f.client();
    await client.start('alice');
    const csrf = { 'x-csrf-token': client.csrf };
    const json = JSON.stringify({ tx: client.tx, mechanism: 'c1m1', answer: 'alice-pw', sequence: client.step!.sequence });
    const send = (encoding: string, body: Uint8Array) =>
      client.browser.send('POST', '/login/answer', undefined, { ...csrf, 'content-encoding': encoding }, { body, contentType: 'application/json' });

    for (const [encoding, body] of [['gzip', broken], ['deflate', broken], ['br', broken], ['gzip', truncatedGzip(json)], ['GZIP', broken]] as const) {
      const res = await send(encoding, body);
      expect(res.status, encoding).to.equal(400);
      expect(res.json.error.code, encoding).to.equal('BAD_REQUEST');
      expect(res.text, encoding).to.not.match(/at \w+ \(|node:|zlib/i);
    }
    for (const encoding of ['compress', 'x-unknown', 'zstd-nope']) {
      const res = await send(encoding, broken);
      expect(res.status, encoding).to.equal(415);
      expect(res.json.error.code, encoding).to.equal('UNSUPPORTED_MEDIA_TYPE');
    }
    // A broken form body (not JSON) is refused the same way.
    const form = await client.browser.send('POST', '/login/answer', undefined, { ...csrf, 'content-encoding': 'gzip' }, { body: broken, contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).to.equal(400);
    expect(form.json.error.code).to.equal('BAD_REQUEST');
    expect(f.app.serverErrors).to.have.length(0);

    // Valid compressed bodies are still accepted, and the login is intact.
    for (const [encoding, body] of [['deflate', deflateSync('{}')], ['br', brotliCompressSync('{}')]] as const) {
      const res = await send(encoding, body);
      expect(res.status, encoding).to.equal(400); // parsed, but no answer in it: the route's own 400
      expect(res.json.error.code).to.not.equal(undefined);
    }
    const done = await send('gzip', gzipSync(json));
    expect(done.status).to.equal(200);
    expect(done.json.step.kind).to.equal('done');
    expect(f.app.serverErrors).to.have.length(0);
  });

  it('HTML mode: a broken gzip form or an unsupported encoding gets the 4xx error page, never a stack trace', async () => {
    const browser = new Browser(f.app.url, 'html');
    const start = pageLocals((await browser.get('/login/')).text);
    const form = new URLSearchParams({ username: 'alice', _csrf: start.csrfToken! }).toString();
    for (const [encoding, body, status, code] of [
      ['gzip', broken, 400, 'BAD_REQUEST'],
      ['deflate', truncatedGzip(form), 400, 'BAD_REQUEST'],
      ['br', broken, 400, 'BAD_REQUEST'],
      ['compress', Buffer.from(form), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ] as const) {
      const res = await browser.send('POST', '/login/start', undefined, { 'content-encoding': encoding }, { body, contentType: 'application/x-www-form-urlencoded' });
      expect(res.text, encoding).to.not.match(/at \w+ \(|node:internal|Z_DATA_ERROR/);
      // HTML mode answers a failed form with Post/Redirect/Get: back to the start page with a one-shot message.
      expect(res.status, encoding).to.equal(303);
      expect(res.location, encoding).to.equal('/login/');
      const back = pageLocals((await browser.get('/login/')).text);
      expect(back.flash, encoding).to.deep.include({ code });
      expect(status).to.be.oneOf([400, 415]);
    }
    // Without any login state in the session: the error page itself, with the status.
    for (const [encoding, status, code] of [['gzip', 400, 'BAD_REQUEST'], ['compress', 415, 'UNSUPPORTED_MEDIA_TYPE']] as const) {
      const fresh = new Browser(f.app.url, 'html');
      const res = await fresh.send('POST', '/login/start', undefined, { 'content-encoding': encoding }, { body: broken, contentType: 'application/x-www-form-urlencoded' });
      expect(res.status, encoding).to.equal(status);
      const page = pageLocals(res.text);
      expect(page.page).to.equal('error');
      expect(page.error).to.deep.include({ code });
    }
    expect(f.app.serverErrors).to.have.length(0);
    // The same form, gzipped properly, starts the login.
    const ok = await browser.send('POST', '/login/start', undefined, { 'content-encoding': 'gzip' }, { body: gzipSync(form), contentType: 'application/x-www-form-urlencoded' });
    expect(ok.status).to.equal(303);
  });
});
