/** The simulated users' inbox: the last one-time code each user received, per channel. */

/** A one-time code a simulator "sent"; `M` names the channel (SMS, EMAIL, …). */
export interface SentCodeOf<M extends string> {
  mechanism: M;
  code: string;
  sentAt: number;
}

export class CodeBook<M extends string = string> {
  private readonly byUser = new Map<string, Map<M, SentCodeOf<M>>>();
  private readonly latest = new Map<string, SentCodeOf<M>>();

  /** Records a code "sent" to the user (key: lower-case username). */
  record(userKey: string, sent: SentCodeOf<M>): void {
    const byMech = this.byUser.get(userKey) ?? new Map<M, SentCodeOf<M>>();
    byMech.set(sent.mechanism, sent);
    this.byUser.set(userKey, byMech);
    this.latest.set(userKey, sent);
  }

  /** The last code for the user, for one channel or across all of them. */
  last(userKey: string, mechanism?: M): string | undefined {
    return (mechanism ? this.byUser.get(userKey)?.get(mechanism) : this.latest.get(userKey))?.code;
  }

  /** Latest code per channel for every user. */
  snapshot(): Record<string, Array<SentCodeOf<M>>> {
    return Object.fromEntries([...this.byUser].map(([user, byMech]) => [user, [...byMech.values()]]));
  }

  clear(): void {
    this.byUser.clear();
    this.latest.clear();
  }
}
