import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';

describe('replayed and double-submitted forms', () => {
  const f = useFixture();

  it('refuses a form from an earlier step with STALE_STEP and no upstream call', async () => {
    const client = f.client();
    await client.start('dave');
    const passwordStep = client.step!;
    await client.answer('dave-pw');
    const before = f.sim.requests.length;
    const replay = await client.browser.post('/login/answer', {
      tx: client.tx, sequence: passwordStep.sequence, mechanism: passwordStep.mechanisms[0]!.id, answer: 'dave-pw', _csrf: client.csrf,
    });
    expect(replay.status).to.equal(409);
    expect(replay.json.error.code).to.equal('STALE_STEP');
    expect(replay.json.step.kind).to.equal('select'); // the current step, to carry on from
    expect(f.sim.requests.length).to.equal(before);
  });

  it('a double-clicked submit: one advances, the repeat is refused, the login still completes', async () => {
    const client = f.client();
    await client.start('dave');
    const form = { tx: client.tx, sequence: client.step!.sequence, mechanism: client.step!.mechanisms[0]!.id, answer: 'dave-pw', _csrf: client.csrf };
    const first = await client.browser.post('/login/answer', form);
    const second = await client.browser.post('/login/answer', form);
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(409);
    client.step = first.json.step;
    await client.select('question');
    expect((await client.answer({ q1: 'Rex', q2: 'Leeds' })).json.step.kind).to.equal('done');
  });

  it('two identical submits at the same moment: one upstream call, the other gets STALE_STEP', async () => {
    f.sim.switches.latencyMs = 50; // keep the first one in flight while the second arrives
    const client = f.client();
    await client.start('carol');
    const form = { tx: client.tx, sequence: client.step!.sequence, mechanism: client.step!.mechanisms[0]!.id, answer: 'carol-pw', _csrf: client.csrf };
    const before = f.sim.requests.length;
    const [a, b] = await Promise.all([client.browser.post('/login/answer', form), client.browser.post('/login/answer', form)]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    expect((a.status === 409 ? a : b).json.error.code).to.equal('STALE_STEP');
    expect(f.sim.requests.length - before).to.equal(1);
    const pending = a.status === 200 ? a : b;
    expect(pending.json.step.kind).to.equal('pending');
  });

  it('a poll racing the code submit cannot undo the login', async () => {
    f.sim.switches.latencyMs = 30;
    const client = f.client();
    await client.startWithPassword('bob');
    const code = f.sim.lastCode('bob');
    const [poll, answer] = await Promise.all([
      client.browser.post('/login/poll', { tx: client.tx, _csrf: client.csrf }),
      client.browser.post('/login/answer', { tx: client.tx, sequence: client.step!.sequence, mechanism: client.step!.mechanisms[0]!.id, answer: code, _csrf: client.csrf }),
    ]);
    expect(answer.json.step.kind).to.equal('done');
    expect([200, 404, 409]).to.include(poll.status);
    expect((await client.me()).user.username).to.equal('bob');
  });

  it('requires the sequence on answers', async () => {
    const client = f.client();
    await client.start('alice');
    const res = await client.browser.post('/login/answer', { tx: client.tx, mechanism: 'c1m1', answer: 'x', _csrf: client.csrf });
    expect(res.status).to.equal(400);
  });
});
