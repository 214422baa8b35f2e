/**
 * Store failures told apart from other errors (node-redis' own error classes, ioredis' words,
 * socket errno codes, Redis "not now" replies), named in the log by class and code only, and
 * redisLocks failing fast with SESSION_STORE_UNAVAILABLE when its Redis does.
 */
import { expect } from 'chai';
import {
  AbortError, ClientClosedError, ClientOfflineError, ConnectionTimeoutError, ErrorReply, ReconnectStrategyError,
  SocketClosedUnexpectedlyError, TimeoutError,
} from '@redis/client';
import { backendFields, isStoreOutage, storeFailureFields, storeUnavailable } from '../../lib/store-failure.js';
import { MultiStepError, redisLocks } from '../../lib/index.js';

const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:6379`), { code });

describe('session store failures: classification', () => {
  it('recognises what Redis clients throw while Redis is away', () => {
    const outages: unknown[] = [
      new ClientOfflineError(), new ClientClosedError(), new SocketClosedUnexpectedlyError(), new ConnectionTimeoutError(),
      new TimeoutError(), new AbortError(), new ReconnectStrategyError(new Error('gave up'), errno('ECONNREFUSED')),
      new ErrorReply('LOADING Redis is loading the dataset in memory'), new ErrorReply('READONLY You can\'t write against a read only replica.'),
      new ErrorReply("OOM command not allowed when used memory > 'maxmemory'."), new ErrorReply('MISCONF Redis is configured to save RDB snapshots'),
      errno('ECONNREFUSED'), errno('ECONNRESET'), errno('ETIMEDOUT'), errno('EPIPE'),
      Object.assign(new AggregateError([errno('ECONNREFUSED')], 'connect failed'), { code: 'ECONNREFUSED' }),
      new Error('Connection is closed.'), // ioredis
      Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      new Error('wrapped', { cause: new ClientOfflineError() }),
      storeUnavailable(undefined, 'lock'),
    ];
    for (const error of outages) expect(isStoreOutage(error), String(error)).to.equal(true);
  });

  it('does not take application errors for outages', () => {
    const others: unknown[] = [
      new Error('serializeUser failed'), new TypeError("Cannot read properties of undefined (reading 'id')"),
      new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'), new SyntaxError('Unexpected token'),
      new MultiStepError('CONFIGURATION'), 'a string', undefined, null,
    ];
    for (const error of others) expect(isStoreOutage(error), String(error)).to.equal(false);
  });

  it('names the backend error by class and code, never by its message', () => {
    expect(backendFields(new ClientOfflineError())).to.deep.equal({ backendError: 'ClientOfflineError' });
    expect(backendFields(errno('ECONNREFUSED'))).to.deep.equal({ backendError: 'Error', backendCode: 'ECONNREFUSED' });
    expect(backendFields(new ErrorReply('OOM command not allowed'))).to.deep.equal({ backendError: 'ErrorReply', backendCode: 'OOM' });
    expect(backendFields(new ReconnectStrategyError(new Error('x'), errno('ECONNRESET')))).to.deep.equal({ backendError: 'ReconnectStrategyError', backendCode: 'ECONNRESET' });
    const secret = new Error('sess:Zr9x… is gone'); // a message that echoes a key (a session id)
    expect(JSON.stringify(backendFields(secret))).to.not.include('Zr9x');
    const error = storeUnavailable(new ClientClosedError(), 'session save', { restart: true });
    expect(storeFailureFields(error)).to.deep.equal({ failedAt: 'session save', backendError: 'ClientClosedError' });
    expect(error.toJSON()).to.deep.equal({
      code: 'SESSION_STORE_UNAVAILABLE', message: error.message, details: { retryAfterSeconds: 5, restart: true },
    });
    expect(JSON.stringify(error.toJSON())).to.not.match(/ClientClosedError|stack/);
  });
});

describe('redisLocks when Redis fails', () => {
  const lockKey = 'session:abc';

  it('answers SESSION_STORE_UNAVAILABLE at once when the command fails, without running the work', async () => {
    const locks = redisLocks({ sendCommand: async () => { throw new ClientOfflineError(); } }, { waitMs: 5_000 });
    const started = Date.now();
    let ran = false;
    const error = await locks.run(lockKey, async () => { ran = true; }).catch((e: unknown) => e);
    expect(MultiStepError.is(error) && error.code).to.equal('SESSION_STORE_UNAVAILABLE');
    expect(Date.now() - started).to.be.below(1_000);
    expect(ran).to.equal(false);
    expect(storeFailureFields(error as MultiStepError)).to.include({ failedAt: 'lock', backendError: 'ClientOfflineError' });
  });

  it('gives up on a Redis that does not answer within waitMs, and gives back a lock it got too late', async () => {
    const sent: string[][] = [];
    let answer: ((reply: unknown) => void) | undefined;
    const client = {
      sendCommand: (args: string[]) => {
        sent.push(args);
        if (args[0] === 'SET') return new Promise((resolve) => { answer = resolve; }); // a frozen Redis
        return Promise.resolve(1);
      },
    };
    const locks = redisLocks(client, { waitMs: 300 });
    const started = Date.now();
    const error = await locks.run(lockKey, async () => undefined).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(MultiStepError.is(error) && error.code).to.equal('SESSION_STORE_UNAVAILABLE');
    expect(took).to.be.within(250, 1_000);
    answer!('OK'); // Redis wakes up and hands out the lock after all …
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent.at(-1)?.[0], '… which is given back at once').to.equal('EVAL');
  });

  it('a lock held past waitMs: SESSION_STORE_UNAVAILABLE, Retry-After when the holder\'s lock expires', async () => {
    const client = {
      sendCommand: async (args: string[]) => {
        if (args[0] === 'SET') return null; // held by someone else
        if (args[0] === 'PTTL') return 7_200;
        return 0;
      },
    };
    const error = await redisLocks(client, { waitMs: 100 }).run(lockKey, async () => undefined).catch((e: unknown) => e);
    expect(MultiStepError.is(error) && error.code).to.equal('SESSION_STORE_UNAVAILABLE');
    expect((error as MultiStepError).details.retryAfterSeconds).to.equal(8);
    expect(storeFailureFields(error as MultiStepError)).to.deep.equal({ failedAt: 'lock wait' });
  });
});
