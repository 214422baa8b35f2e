import { expect } from 'chai';
import { capturedLogs } from '../support/log-capture.js';
import { useFixture } from '../support/fixture.js';

/**
 * Runs logins of every kind with debug logging on, then checks that no secret the
 * upstream or the user exchanged appears in any log line or any response to the browser.
 */
describe('no secret reaches a log line, an error message or the browser', () => {
  const f = useFixture();

  it('holds over password, SMS, push, questions, failures, faults and logout', async () => {
    const from = capturedLogs.length;
    const browserTexts: string[] = [];
    const keep = <T extends { last?: { text: string } | undefined }>(c: T) => { if (c.last) browserTexts.push(c.last.text); };

    const alice = f.client();
    await alice.start('alice'); keep(alice);
    await alice.answer('alice-wrong-password'); keep(alice);
    await alice.start('alice'); keep(alice);
    await alice.answer('alice-pw'); keep(alice);
    browserTexts.push((await alice.browser.post('/login/logout', { _csrf: alice.last!.json.csrfToken })).text);

    const bob = f.client();
    await bob.start('bob'); keep(bob);
    await bob.answer('bob-pw'); keep(bob);
    await bob.answer('000000'); keep(bob); // wrong code
    await bob.startWithPassword('bob'); keep(bob);
    f.sim.injectFault({ kind: 'html' }, { path: 'AdvanceAuthentication' });
    await bob.answer(f.sim.lastCode('bob')); keep(bob);
    await bob.answer(f.sim.lastCode('bob')); keep(bob);

    const dave = f.client();
    await dave.startWithPassword('dave');
    await dave.select('question');
    await dave.answer({ q1: 'Rex', q2: 'Leeds' }); keep(dave);

    const carol = f.client();
    await carol.startWithPassword('carol'); keep(carol);
    f.sim.approvePush('carol');
    await new Promise((r) => setTimeout(r, 25));
    await carol.act('poll'); keep(carol);

    const secrets = new Set<string>(['alice-pw', 'alice-wrong-password', 'bob-pw', 'dave-pw', 'carol-pw', 'Rex', 'Leeds', '000000']);
    for (const r of f.sim.requests) {
      const body = r.body as Record<string, unknown>;
      for (const key of ['SessionId', 'MechanismId']) if (typeof body[key] === 'string') secrets.add(body[key] as string);
      if (typeof body.Answer === 'string') secrets.add(body.Answer);
      for (const value of Object.values(r.cookies)) secrets.add(value);
      const bearer = r.headers.authorization;
      if (typeof bearer === 'string') secrets.add(bearer.replace(/^Bearer /, ''));
    }
    const logs = capturedLogs.slice(from);
    expect(logs.length).to.be.above(10); // logging was on and did say things
    for (const secret of secrets) {
      if (secret.length < 5) continue; // short strings occur by chance in random ids
      for (const line of logs) expect(line, `log line leaks ${secret}`).not.to.include(secret);
      for (const text of browserTexts) {
        if (['alice-pw', 'bob-pw', 'dave-pw', 'carol-pw'].includes(secret) || /^\d{6}$/.test(secret) || secret === 'Rex' || secret === 'Leeds' || secret.length > 10) {
          expect(text, `browser response leaks ${secret}`).not.to.include(secret);
        }
      }
    }
  });
});
