/**
 * Per-user state every simulated identity service keeps: failed attempts and
 * the lockout they lead to, and finding a user by login name or e-mail.
 */

/**
 * Failed attempts per user (key: lower-case user name). A user is locked once
 * the count reaches the `lockoutAfterFailures` switch; null disables lockouts.
 */
export class FailureCounter {
  private readonly counts = new Map<string, number>();

  /** @param limit reads the switch, so a change applies at once. */
  constructor(private readonly limit: () => number | null) {}

  count(userKey: string): number {
    return this.counts.get(userKey) ?? 0;
  }

  /** Counts one more failure. */
  add(userKey: string): void {
    this.counts.set(userKey, this.count(userKey) + 1);
  }

  isLocked(userKey: string): boolean {
    const limit = this.limit();
    return limit !== null && this.count(userKey) >= limit;
  }

  /** Forgets the user's failures (unlock, or a successful login). */
  forget(userKey: string): void {
    this.counts.delete(userKey);
  }

  clear(): void {
    this.counts.clear();
  }
}

/** A user by login name or e-mail, case-insensitively (the name is trimmed). */
export function findUserByName<U extends { username: string; email: string }>(users: readonly U[], name: string): U | undefined {
  const key = name.trim().toLowerCase();
  if (!key) return undefined;
  return users.find((u) => u.username.toLowerCase() === key || u.email.toLowerCase() === key);
}
