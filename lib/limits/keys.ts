/**
 * Counter keys: a salted SHA-256 of what is counted, so neither user names nor client
 * addresses ever appear in Redis (or in a memory dump of the counters).
 */
import { createHash } from 'node:crypto';

/** Builds the keys of one strategy's counters. */
export class LimitKeys {
  private readonly salt: string;

  constructor(strategyName: string, salt?: string) {
    this.salt = salt ?? `passport-multistep:${strategyName}`;
  }

  /** A user name as counted: trimmed, Unicode-normalized and lower-cased (`Bob` and ` bob` are one user). */
  user(username: string): string {
    return this.hash('user', username.normalize('NFKC').trim().toLowerCase());
  }

  /** A client (IP by default); requests without one share the key "unknown". */
  client(client: string | undefined): string {
    return this.hash('client', client ?? 'unknown');
  }

  /** A user from a client. */
  userAndClient(username: string, client: string | undefined): string {
    return `${this.user(username)}.${this.client(client)}`;
  }

  private hash(kind: string, value: string): string {
    return createHash('sha256').update(`${this.salt}\0${kind}\0${value}`).digest('base64url').slice(0, 27);
  }
}
