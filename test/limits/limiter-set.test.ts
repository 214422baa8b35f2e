/** The limiter set on its own: hashed keys, options, and the cost per request in memory. */
import { expect } from 'chai';
import { LoginLimits, resolveWindows } from '../../lib/limits/index.js';
import { LimitKeys } from '../../lib/limits/keys.js';
import { MultiStepError } from '../../lib/index.js';

describe('limits: the limiter set', () => {
  it('keys are salted hashes: no user name or address, case and spacing of the name ignored', () => {
    const keys = new LimitKeys('multistep');
    const key = keys.userAndClient('Alice@Example.com', '203.0.113.5');
    expect(key).to.not.match(/alice|example|203\.0/i);
    expect(keys.user(' alice@example.com ')).to.equal(keys.user('ALICE@example.com'));
    expect(new LimitKeys('multistep', 'secret').user('alice')).to.not.equal(keys.user('alice'));
    expect(new LimitKeys('other').user('alice')).to.not.equal(keys.user('alice'));
  });

  it('defaults, false per group and per window, and bad windows refused', () => {
    expect(resolveWindows()).to.deep.equal({
      sendsPerUser: { points: 10, durationMs: 3_600_000 }, sendsPerClient: { points: 30, durationMs: 3_600_000 },
      guessesPerUserAndClient: { points: 10, durationMs: 900_000 }, guessesPerUser: { points: 50, durationMs: 3_600_000 },
      startsPerClient: { points: 30, durationMs: 60_000 },
    });
    expect(Object.keys(resolveWindows({ sends: false, guesses: { perUser: false } }))).to.deep.equal(['guessesPerUserAndClient', 'startsPerClient']);
    expect(() => resolveWindows({ starts: { perClient: { points: 0, durationMs: 1000 } } })).to.throw(TypeError);
  });

  it('RATE_LIMITED is 429 with retryAfterSeconds', async () => {
    const limits = new LoginLimits({ starts: { perClient: { points: 1, durationMs: 60_000 } } }, 'unit');
    const subject = { username: 'bob', client: '192.0.2.1' };
    await limits.beforeStart(subject);
    const error = await limits.beforeStart(subject).then(() => undefined, (e: unknown) => e);
    expect(MultiStepError.is(error)).to.equal(true);
    const e = error as MultiStepError;
    expect(e.status).to.equal(429);
    expect(e.code).to.equal('RATE_LIMITED');
    expect(e.details.retryAfterSeconds).to.be.within(1, 60);
  });

  it('costs well under 0.1 ms per request in memory', async () => {
    const limits = new LoginLimits({}, 'bench');
    const rounds = 5_000;
    const run = async (i: number) => {
      const subject = { username: `user-${i % 500}`, client: `10.0.${i % 50}.1` };
      // A request does at most about this much: a guess check, and a count.
      await limits.checkGuesses(subject).catch(() => undefined);
      if (i % 2) await limits.guessFailed(subject).catch(() => undefined);
      else await limits.sendRefusal(subject);
    };
    for (let i = 0; i < 1_000; i += 1) await run(i); // warm up
    const started = performance.now();
    for (let i = 0; i < rounds; i += 1) await run(i);
    const perRequestMs = (performance.now() - started) / rounds;
    expect(perRequestMs).to.be.below(0.1);
  });
});
