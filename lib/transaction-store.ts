/**
 * Keeps login transactions in the session: creation with a cap per session,
 * lookup that enforces ownership and expiry, and pruning of dead entries.
 */
import type { LoginRequest } from './request.js';
import { MultiStepError } from './errors.js';
import { randomToken } from './random-token.js';
import { peekArea, sessionArea, type SessionArea } from './session-data.js';
import type { Transaction } from './transaction.js';

/** Transaction ids are 128 random bits, base64url. */
const idPattern = /^[A-Za-z0-9_-]{22}$/;

export interface TransactionStoreOptions {
  /** Session key of this strategy's area. */
  sessionKey: string;
  /** Strategy name recorded in each transaction. */
  strategy: string;
  /** Lifetime of a login from its start. */
  ttlMs: number;
  /** Logins in progress per session (tabs); the oldest is dropped beyond it. */
  maxPerSession: number;
}

export class TransactionStore {
  constructor(private readonly options: TransactionStoreOptions) {}

  /** Opens a transaction (not yet persisted: call `save`). */
  create(init: Pick<Transaction, 'username' | 'step' | 'state'> & { returnTo?: string }): Transaction {
    const now = Date.now();
    const tx: Transaction = {
      id: randomToken(16),
      strategy: this.options.strategy,
      username: init.username,
      state: init.state,
      step: init.step,
      attempts: 0,
      createdAt: now,
      expiresAt: now + this.options.ttlMs,
      ...(init.returnTo === undefined ? {} : { returnTo: init.returnTo }),
    };
    return tx;
  }

  /**
   * Loads a transaction of this strategy; TRANSACTION_NOT_FOUND or TRANSACTION_EXPIRED
   * otherwise. Reads only: expired entries are removed by `save`'s pruning or by `expire`.
   */
  get(req: LoginRequest, id: unknown): Transaction {
    const tx = this.find(req, id);
    if (!tx) throw new MultiStepError('TRANSACTION_NOT_FOUND');
    if (tx.expiresAt <= Date.now()) throw new MultiStepError('TRANSACTION_EXPIRED', { details: { restart: true } });
    return tx;
  }

  /** Drops an expired transaction, keeping its returnTo for the user's next attempt (call under the session lock). */
  expire(req: LoginRequest, id: unknown): void {
    const tx = this.find(req, id);
    if (tx && tx.expiresAt <= Date.now()) this.remove(req, tx, true);
  }

  /** The live transaction with that id, or undefined; never changes the session. */
  peek(req: LoginRequest, id: unknown): Transaction | undefined {
    const tx = this.find(req, id);
    return tx && tx.expiresAt > Date.now() ? tx : undefined;
  }

  /** Writes a transaction into the session, pruning expired ones and enforcing the per-session cap. */
  save(req: LoginRequest, tx: Transaction): void {
    const area = sessionArea(req, this.options.sessionKey);
    const at = area.transactions.findIndex((entry) => entry?.id === tx.id);
    if (at >= 0) area.transactions[at] = tx;
    else area.transactions.push(tx);
    this.prune(area);
  }

  /** Drops a transaction; with `keepReturnTo`, its returnTo is kept for the user's next attempt. */
  remove(req: LoginRequest, tx: Transaction, keepReturnTo = false): void {
    const area = sessionArea(req, this.options.sessionKey);
    const at = area.transactions.findIndex((entry) => entry?.id === tx.id);
    if (at >= 0) area.transactions.splice(at, 1);
    if (keepReturnTo && tx.returnTo) area.returnTo = tx.returnTo;
  }

  /** Removes expired transactions (and anything unreadable), then the oldest ones beyond the cap. */
  private prune(area: SessionArea): void {
    const now = Date.now();
    let live = area.transactions;
    if (live.some((tx) => !isEntry(tx) || tx.expiresAt <= now)) live = live.filter((tx) => isEntry(tx) && tx.expiresAt > now);
    const excess = live.length - this.options.maxPerSession;
    if (excess > 0) live = [...live].sort((a, b) => a.createdAt - b.createdAt).slice(excess);
    if (live !== area.transactions) area.transactions = live;
  }

  /** This strategy's transaction with that id, expired or not. */
  private find(req: LoginRequest, id: unknown): Transaction | undefined {
    if (typeof id !== 'string' || !idPattern.test(id)) return undefined;
    const transactions = peekArea(req, this.options.sessionKey)?.transactions;
    if (!transactions) return undefined;
    for (const tx of transactions) {
      if (isEntry(tx) && tx.id === id) return tx.strategy === this.options.strategy ? tx : undefined;
    }
    return undefined;
  }
}

function isEntry(tx: unknown): tx is Transaction {
  return typeof tx === 'object' && tx !== null && typeof (tx as Transaction).id === 'string' && typeof (tx as Transaction).expiresAt === 'number';
}
