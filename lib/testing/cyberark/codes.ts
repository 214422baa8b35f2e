/** The simulated users' inbox: the last one-time code each user received, per mechanism. */
import type { SentCode } from './types.js';

export class CodeBook {
  private readonly byUser = new Map<string, Map<SentCode['mechanism'], SentCode>>();
  private readonly latest = new Map<string, SentCode>();

  /** Records a code "sent" to the user (key: lower-case username). */
  record(userKey: string, sent: SentCode): void {
    const byMech = this.byUser.get(userKey) ?? new Map<SentCode['mechanism'], SentCode>();
    byMech.set(sent.mechanism, sent);
    this.byUser.set(userKey, byMech);
    this.latest.set(userKey, sent);
  }

  /** The last code for the user, for one mechanism or across all of them. */
  last(userKey: string, mechanism?: SentCode['mechanism']): string | undefined {
    return (mechanism ? this.byUser.get(userKey)?.get(mechanism) : this.latest.get(userKey))?.code;
  }

  /** Latest code per mechanism for every user. */
  snapshot(): Record<string, SentCode[]> {
    return Object.fromEntries([...this.byUser].map(([user, byMech]) => [user, [...byMech.values()]]));
  }

  clear(): void {
    this.byUser.clear();
    this.latest.clear();
  }
}
