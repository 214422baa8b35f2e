import { expect } from 'chai';
import type { Request } from 'express';
import { MultiStepError } from '../../lib/errors.js';
import { TransactionStore } from '../../lib/transaction-store.js';
import type { Transaction } from '../../lib/transaction.js';

const key = 'passport-multistep';

function requestWith(session: Record<string, unknown> = {}): Request {
  return { session } as unknown as Request;
}

function storeFor(strategy = 'multistep', maxPerSession = 3, ttlMs = 60_000): TransactionStore {
  return new TransactionStore({ sessionKey: key, strategy, ttlMs, maxPerSession });
}

function open(store: TransactionStore, username: string): Transaction {
  return store.create({ username, state: {}, step: { kind: 'answer', mechanisms: [], sequence: 1 } });
}

/** A session with two logins in progress, ann's then bob's. */
function twoLogins(): { store: TransactionStore; req: Request; first: Transaction; second: Transaction } {
  const store = storeFor();
  const req = requestWith();
  const first = open(store, 'ann');
  const second = open(store, 'bob');
  store.save(req, first);
  store.save(req, second);
  return { store, req, first, second };
}

/** The library's area as the session holds it. */
function areaOf(req: Request): { transactions: Transaction[]; returnTo?: string; csrf?: string } {
  return (req.session as unknown as Record<string, { transactions: Transaction[]; returnTo?: string; csrf?: string }>)[key]!;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return MultiStepError.is(error) ? error.code : 'NOT_A_MULTISTEP_ERROR';
  }
  return undefined;
}

describe('TransactionStore', () => {
  it('keeps the logins of a session as a list, one entry per id, and replaces an entry in place on save', () => {
    const { store, req, first } = twoLogins();
    store.save(req, { ...first, attempts: 4 });
    const list = areaOf(req).transactions;
    expect(list.map((tx) => [tx.username, tx.attempts])).to.deep.equal([['ann', 4], ['bob', 0]]);
    expect(store.get(req, first.id).attempts).to.equal(4);
    expect(JSON.parse(JSON.stringify(req.session))[key].transactions).to.have.length(2);
  });

  it('refuses unknown, malformed and other strategies\' ids with TRANSACTION_NOT_FOUND', () => {
    const store = storeFor();
    const req = requestWith();
    const tx = open(store, 'ann');
    store.save(req, tx);
    const other = storeFor('other');
    expect(codeOf(() => store.get(req, 'A'.repeat(22)))).to.equal('TRANSACTION_NOT_FOUND');
    expect(codeOf(() => store.get(req, `${tx.id}x`))).to.equal('TRANSACTION_NOT_FOUND');
    expect(codeOf(() => store.get(req, ['x']))).to.equal('TRANSACTION_NOT_FOUND');
    expect(codeOf(() => other.get(req, tx.id))).to.equal('TRANSACTION_NOT_FOUND');
    expect(other.peek(req, tx.id)).to.equal(undefined);
    expect(store.peek(req, tx.id)?.id).to.equal(tx.id);
  });

  it('an expired login: TRANSACTION_EXPIRED on access, dropped by expire (its returnTo kept) or by the next save', () => {
    const store = storeFor('multistep', 3, 50);
    const req = requestWith();
    const tx = { ...open(store, 'ann'), returnTo: '/reports' };
    store.save(req, tx);
    tx.expiresAt = Date.now() - 1;
    expect(codeOf(() => store.get(req, tx.id))).to.equal('TRANSACTION_EXPIRED');
    expect(store.peek(req, tx.id)).to.equal(undefined);
    store.expire(req, tx.id);
    const area = areaOf(req);
    expect(area.transactions).to.deep.equal([]);
    expect(area.returnTo).to.equal('/reports');

    const stale = open(store, 'bob');
    store.save(req, stale);
    stale.expiresAt = Date.now() - 1;
    const fresh = open(store, 'cid');
    store.save(req, fresh);
    expect(area.transactions.map((entry) => entry.username)).to.deep.equal(['cid']);
  });

  it('beyond the cap the oldest logins are dropped', () => {
    const store = storeFor('multistep', 2);
    const req = requestWith();
    const logins = ['a', 'b', 'c'].map((name, i) => ({ ...open(store, name), createdAt: 1_000 + i }));
    for (const tx of logins) store.save(req, tx);
    expect(store.peek(req, logins[0]!.id)).to.equal(undefined);
    expect([store.peek(req, logins[1]!.id)?.username, store.peek(req, logins[2]!.id)?.username]).to.deep.equal(['b', 'c']);
  });

  it('removes one login and leaves the others', () => {
    const { store, req, first, second } = twoLogins();
    store.remove(req, first);
    expect(store.peek(req, first.id)).to.equal(undefined);
    expect(store.peek(req, second.id)?.username).to.equal('bob');
  });

  it('a session area in another layout (logins keyed by id) or with junk entries loses only its logins', () => {
    const store = storeFor();
    const old = open(store, 'ann');
    const req = requestWith({ [key]: { transactions: { [old.id]: old }, csrf: 'token-kept' } });
    expect(store.peek(req, old.id)).to.equal(undefined);
    expect(codeOf(() => store.get(req, old.id))).to.equal('TRANSACTION_NOT_FOUND');
    const tx = open(store, 'bob');
    store.save(req, tx);
    const area = areaOf(req) as { transactions: unknown[]; csrf?: string };
    expect(area.csrf).to.equal('token-kept');
    expect(area.transactions).to.have.length(1);

    area.transactions.unshift(null, 'junk', { id: 42 });
    expect(store.peek(req, tx.id)?.username).to.equal('bob');
    store.save(req, tx);
    expect(area.transactions).to.have.length(1);
  });
});
