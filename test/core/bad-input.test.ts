import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';

describe('bad input gets a clear 4xx and nothing breaks', () => {
  const f = useFixture();

  it('malformed JSON → 400, huge body → 413, text/plain → 415, arrays for strings → 400', async () => {
    const client = f.client();
    await client.start('alice');
    const csrf = { 'x-csrf-token': client.csrf };
    const malformed = await client.browser.send('POST', '/login/answer', undefined, csrf, { body: '{"tx": ', contentType: 'application/json' });
    expect(malformed.status).to.equal(400);
    expect(malformed.json.error.code).to.equal('BAD_REQUEST');
    const huge = await client.browser.send('POST', '/login/answer', undefined, csrf, { body: JSON.stringify({ answer: 'x'.repeat(100_000) }), contentType: 'application/json' });
    expect(huge.status).to.equal(413);
    expect(huge.json.error.code).to.equal('PAYLOAD_TOO_LARGE');
    const plain = await client.browser.send('POST', '/login/answer', undefined, csrf, { body: 'answer=x', contentType: 'text/plain' });
    expect(plain.status).to.equal(415);
    const array = await client.act('answer', { mechanism: 'c1m1', answer: ['a', 'b'] });
    expect(array.status).to.equal(400);
    const arrayUser = await client.browser.post('/login/start', { username: ['alice'], _csrf: client.csrf });
    expect(arrayUser.status).to.equal(400);
    const deep = await client.act('answer', { mechanism: 'c1m1', answer: { a: { b: { c: 'd' } } } });
    expect(deep.status).to.equal(400);
    // The login is intact.
    expect((await client.answer('alice-pw')).json.step.kind).to.equal('done');
    expect(f.app.serverErrors).to.have.length(0);
  });

  it('missing or forged CSRF tokens → 403 CSRF_INVALID on every state-changing route', async () => {
    const client = f.client();
    await client.start('alice');
    for (const route of ['start', 'select', 'answer', 'poll', 'resend', 'alternatives', 'cancel', 'start-oob', 'logout']) {
      for (const token of [undefined, 'forged', client.csrf + 'x']) {
        const res = await client.browser.post(`/login/${route}`, { username: 'alice', tx: client.tx, sequence: 1, mechanism: 'c1m1', answer: 'alice-pw', ...(token ? { _csrf: token } : {}) });
        expect(res.status, `${route} ${token}`).to.equal(403);
        expect(res.json.error.code).to.equal('CSRF_INVALID');
      }
    }
    expect(f.sim.requests.filter((r) => /Advance/i.test(r.path))).to.have.length(0);
  });

  it('unknown and forged transaction ids → 404; unknown action routes → 404', async () => {
    const client = f.client();
    await client.start('alice');
    for (const tx of ['x', 'A'.repeat(22), '__proto__', 'constructor']) {
      const res = await client.act('answer', { tx, mechanism: 'c1m1', answer: 'x' });
      expect(res.status, tx).to.equal(404);
      expect(res.json.error.code).to.equal('TRANSACTION_NOT_FOUND');
    }
    expect((await client.browser.post('/login/unknown', { _csrf: client.csrf })).status).to.equal(404);
    expect((await client.browser.get('/login/step?tx=nope')).status).to.equal(404);
  });
});
