import { expect } from 'chai';
import { startApp, type TestApp } from '../support/app.js';
import { calls, useFixture, type Fixture } from '../support/fixture.js';
import { LoginClient } from '../support/login-client.js';

/** Everything the simulator "sent" to a user: codes (SMS, e-mail, app) and waiting pushes. */
function sent(f: Fixture, username: string): { codes: number; pushes: number } {
  const state = f.sim.state();
  return { codes: (state.codes[username] ?? []).length, pushes: state.pendingPushes.filter((p) => p.username === username).length };
}

/** Actions of every AdvanceAuthentication call, MultipleOperations flattened. */
function actions(f: Fixture): string[] {
  return f.sim.requests.filter((r) => /AdvanceAuthentication/i.test(r.path)).flatMap((r) => {
    const body = r.body as { Action?: string; MultipleOperations?: Array<{ Action: string }> };
    return body.MultipleOperations ? body.MultipleOperations.map((o) => o.Action) : [body.Action ?? ''];
  });
}

describe('CyberArk T5b: hide-failure tenants (hideFailure: true) start no out-of-band method after a password', () => {
  const f = useFixture({ switches: { hideFailures: true } });
  let app: TestApp;
  before(async () => { app = await startApp({ upstreamUrl: f.sim.url, provider: { hideFailure: true } }); });
  after(async () => { await app.close(); });

  it('wrong password: no SMS is sent; the SMS is offered as a one-method select step', async () => {
    const client = new LoginClient(app.url);
    await client.start('bob');
    const res = await client.answer('wrong');
    expect(res.status).to.equal(200); // the tenant does not say the password was wrong
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms).to.have.length(1);
    expect(client.step!.mechanisms[0]).to.include({ type: 'otp' });
    expect(sent(f, 'bob')).to.deep.equal({ codes: 0, pushes: 0 });
    expect(actions(f)).to.deep.equal(['Answer']); // no MultipleOperations, no StartOOB
  });

  it('wrong password: no push is sent either', async () => {
    const client = new LoginClient(app.url);
    await client.start('carol');
    await client.answer('wrong');
    expect(client.step!.kind).to.equal('select');
    expect(client.step!.mechanisms.map((m) => m.type)).to.deep.equal(['push']);
    expect(sent(f, 'carol')).to.deep.equal({ codes: 0, pushes: 0 });
    expect(actions(f)).to.not.include('StartOOB');
  });

  it('right password: one click sends the code, and the code logs in', async () => {
    const client = new LoginClient(app.url);
    await client.start('bob');
    await client.answer('bob-pw');
    expect(client.step!.kind).to.equal('select');
    expect(sent(f, 'bob').codes).to.equal(0);
    await client.select('otp');
    expect(client.step!.kind).to.equal('answer');
    expect(sent(f, 'bob').codes).to.equal(1);
    const done = await client.answer(f.sim.lastCode('bob'));
    expect(done.json.step.kind).to.equal('done');
    expect(actions(f)).to.deep.equal(['Answer', 'StartOOB', 'Answer']);
  });

  it('right password: one click starts the push, which logs in once approved', async () => {
    const client = new LoginClient(app.url);
    await client.start('carol');
    await client.answer('carol-pw');
    expect(sent(f, 'carol').pushes).to.equal(0);
    await client.select('push');
    expect(client.step!.kind).to.equal('pending');
    expect(sent(f, 'carol').pushes).to.equal(1);
    f.sim.approvePush('carol');
    expect((await client.act('poll')).json.step.kind).to.equal('done');
  });

  it('a wrong password still fails after the click and the code, as the tenant decides', async () => {
    const client = new LoginClient(app.url);
    await client.start('bob');
    await client.answer('wrong');
    await client.select('otp');
    const failed = await client.answer(f.sim.lastCode('bob'));
    expect(failed.status).to.equal(401);
    expect(failed.json.error.code).to.equal('AUTH_FAILED');
    expect(calls(f.sim).filter((c) => c === 'StartAuthentication')).to.have.length(1);
  });
});
