import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { expect } from 'chai';
import { MultiStepError } from '../../lib/errors.js';
import { UpstreamClient } from '../../lib/http/upstream-client.js';
import { listenLoopback, type Listening } from '../support/listen.js';

/** A raw upstream: each path is one behaviour, below the level any simulator works at. */
function upstream(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/trickle') {
    // Every chunk comes well within the body timeout; the whole body never comes.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"a":"');
    const timer = setInterval(() => res.write('x'), 40);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if (req.url === '/chunked-large') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`{"a":"${'x'.repeat(3000)}`);
    res.end('"}');
    return;
  }
  if (req.url === '/chunked-small') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    const body = Buffer.from('{"name":"Jürgen"}');
    res.write(body.subarray(0, 11)); // ends inside the two bytes of "ü"
    res.end(body.subarray(11));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sessdata=abc; Path=/' });
  res.end(JSON.stringify({ ok: true, cookie: req.headers.cookie ?? null }));
}

describe('upstream client: whole-call deadline and body reading', () => {
  let server: Listening;
  let client: UpstreamClient;
  before(async () => {
    server = await listenLoopback(createServer(upstream) as never);
    client = new UpstreamClient({ bodyTimeoutMs: 200, requestTimeoutMs: 300, maxResponseBytes: 2048 });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('a body that keeps trickling in is cut at the whole-call deadline: UPSTREAM_TIMEOUT, and the next call works', async () => {
    const started = Date.now();
    const error = await client.request({ method: 'GET', url: new URL('/trickle', server.url) }).then(() => undefined, (e: unknown) => e);
    const took = Date.now() - started;
    expect(MultiStepError.is(error) && error.code).to.equal('UPSTREAM_TIMEOUT');
    expect(took).to.be.within(280, 1500);
    const next = await client.requestJson({ method: 'GET', url: new URL('/ok', server.url) });
    expect(next.body).to.deep.include({ ok: true });
  });

  it('a chunked body over the size cap is refused (UPSTREAM_BAD_RESPONSE); one under it is read whole, UTF-8 split across chunks', async () => {
    const error = await client.request({ method: 'GET', url: new URL('/chunked-large', server.url) }).then(() => undefined, (e: unknown) => e);
    expect(MultiStepError.is(error) && error.code).to.equal('UPSTREAM_BAD_RESPONSE');
    const small = await client.requestJson({ method: 'GET', url: new URL('/chunked-small', server.url) });
    expect(small.body).to.deep.equal({ name: 'Jürgen' });
  });
});
