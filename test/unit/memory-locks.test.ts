import { expect } from 'chai';
import { MultiStepError } from '../../lib/errors.js';
import { MemoryLocks } from '../../lib/locks/memory-locks.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MemoryLocks', () => {
  it('runs the holders of one key one at a time, in arrival order; other keys do not wait', async () => {
    const locks = new MemoryLocks();
    const events: string[] = [];
    const gates: Array<() => void> = [];
    const hold = (name: string) => locks.run('session:a', async () => {
      events.push(`${name} in`);
      await new Promise<void>((open) => gates.push(open));
      events.push(`${name} out`);
      return name;
    });
    const first = hold('first');
    const second = hold('second');
    const third = hold('third');
    const other = locks.run('session:b', async () => 'other');
    expect(await other).to.equal('other');
    await tick();
    expect(events).to.deep.equal(['first in']);
    gates.shift()!();
    expect(await first).to.equal('first');
    await tick();
    gates.shift()!();
    await second;
    await tick();
    gates.shift()!();
    await third;
    expect(events).to.deep.equal(['first in', 'first out', 'second in', 'second out', 'third in', 'third out']);
  });

  it('a holder that throws lets the next one in; the key is free again afterwards', async () => {
    const locks = new MemoryLocks();
    const failed = locks.run('k', async () => { throw new Error('boom'); });
    const next = locks.run('k', async () => 'next');
    expect(await failed.catch((e: Error) => e.message)).to.equal('boom');
    expect(await next).to.equal('next');
    expect(await locks.run('k', async () => 'free')).to.equal('free');
  });

  it('refuses a ninth request on one key (the holder and seven waiting are let in): CONCURRENT_REQUEST', async () => {
    const locks = new MemoryLocks();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const queued = Array.from({ length: 8 }, () => locks.run('k', () => gate));
    const refused = await locks.run('k', async () => undefined).then(() => undefined, (e: unknown) => e);
    expect(MultiStepError.is(refused) && refused.code).to.equal('CONCURRENT_REQUEST');
    open();
    await Promise.all(queued);
    expect(await locks.run('k', async () => 'ok')).to.equal('ok');
  });
});
