import { expect } from 'chai';
import express4 from 'express4';
import type express from 'express';
import { CyberArkSimulator } from '../../lib/testing/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { LoginClient } from '../support/login-client.js';

describe('Express 4 compatibility', () => {
  let sim: CyberArkSimulator;
  let app: TestApp;
  before(async () => {
    sim = await CyberArkSimulator.start();
    app = await startApp({ upstreamUrl: sim.url, express: express4 as unknown as typeof express });
  });
  after(async () => { await app.close(); await sim.close(); });

  it('runs the routes and a two-factor login inside an Express 4 app', async () => {
    const client = new LoginClient(app.url);
    await client.startWithPassword('bob');
    expect(client.step!.kind).to.equal('answer'); // a texted code: typed (and polled)
    const done = await client.answer(sim.lastCode('bob'));
    expect(done.json.step.kind).to.equal('done');
    expect((await client.me()).user.username).to.equal('bob');
    const bad = await client.browser.send('POST', '/login/answer', undefined, { 'x-csrf-token': client.csrf }, { body: '{', contentType: 'application/json' });
    expect(bad.status).to.equal(400);
  });
});
