/** The per-request budget of upstream calls, and the client's per-request view. */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallBudget, checkCallBudget } from '../../lib/http/call-budget.js';
import { Deadline } from '../../lib/http/deadline.js';
import { UpstreamClient } from '../../lib/http/upstream-client.js';
import { MultiStepError } from '../../lib/errors.js';

describe('CallBudget', () => {
  it('admits limit − 1 calls, refuses the next (the loop), then admits one cleanup call and nothing more', () => {
    const budget = new CallBudget(4);
    expect([budget.admit(), budget.admit(), budget.admit()]).to.deep.equal([undefined, undefined, undefined]);
    expect(budget.failure()).to.equal(undefined);
    expect(budget.admit()).to.equal('exhausted');
    expect(budget.exhausted).to.equal(true);
    expect(budget.failure()?.code).to.equal('UPSTREAM_LOOP');
    expect(budget.failure()?.terminal).to.equal(true);
    expect(budget.admit()).to.equal(undefined); // the cleanup
    expect(budget.admit()).to.equal('exhausted');
    expect(budget.calls).to.equal(4);
  });

  it('abort cancels the calls in flight and refuses every later one, cleanup included', () => {
    const budget = new CallBudget(8);
    const deadline = new Deadline(60_000);
    let aborted = 0;
    deadline.signal.on('abort', () => { aborted += 1; });
    budget.track(deadline);
    budget.abort();
    budget.abort();
    expect(aborted).to.equal(1);
    expect(deadline.cancelled).to.equal(true);
    expect(deadline.expired).to.equal(false);
    expect(budget.admit()).to.equal('aborted');
    expect(budget.aborted).to.equal(true);
    expect(budget.failure()).to.equal(undefined); // a gone browser does not undo a step that completed
    deadline.clear();
  });

  it('checks the option', () => {
    expect(checkCallBudget(undefined)).to.equal(8);
    expect(checkCallBudget(2)).to.equal(2);
    for (const bad of [1, 0, 2.5, '8', null, Number.NaN]) expect(() => checkCallBudget(bad), String(bad)).to.throw(TypeError);
  });
});

describe('UpstreamClient.forRequest', () => {
  let server: Server;
  let url: URL;
  let hits = 0;
  const client = new UpstreamClient({ requestTimeoutMs: 5_000 });

  before(async () => {
    server = createServer((req, res) => {
      hits += 1;
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000).unref();
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  after(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is the same client (options, dispatcher) with its calls counted; the client itself has no budget', async () => {
    const budget = new CallBudget(3);
    const view = client.forRequest(budget);
    expect(view).to.be.instanceOf(UpstreamClient);
    expect(view.dispatcher).to.equal(client.dispatcher);
    expect(view.options).to.equal(client.options);
    expect(view.callBudget).to.equal(budget);
    expect(client.callBudget).to.equal(undefined);
    expect(view.unscoped).to.equal(client);
    const before = hits;
    await view.requestJson({ method: 'GET', url });
    await view.requestJson({ method: 'GET', url });
    const refused = await view.requestJson({ method: 'GET', url }).catch((error: unknown) => error);
    expect(MultiStepError.is(refused) && refused.code).to.equal('UPSTREAM_LOOP');
    expect(hits - before).to.equal(2); // the refused call never left
    await client.requestJson({ method: 'GET', url }); // the strategy's own client is not limited
  });

  it('aborts a call in flight when the budget is aborted: REQUEST_ABORTED, at once', async () => {
    const budget = new CallBudget(8);
    const view = client.forRequest(budget);
    const started = performance.now();
    const pending = view.request({ method: 'GET', url: new URL('/slow', url) }).catch((error: unknown) => error);
    setTimeout(() => budget.abort(), 50);
    const error = await pending;
    expect(MultiStepError.is(error) && error.code).to.equal('REQUEST_ABORTED');
    expect(performance.now() - started).to.be.below(1_000);
  });
});
