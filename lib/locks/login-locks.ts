/**
 * Serializes the requests of one browser session that change login state. Each holder
 * reloads the session first and lets go once the session is written, so the next one starts
 * from what the previous one left (a double click gets STALE_STEP; a poll racing the code
 * finds the login finished) and no request overwrites another's transaction.
 * In-memory locks cover one process; with several app instances use `redisLocks`.
 */
export interface LoginLocks {
  /**
   * Runs `fn` while holding the lock named `key`. Throws MultiStepError('CONCURRENT_REQUEST')
   * for a runaway client (too many requests queued on one key) and
   * MultiStepError('SESSION_STORE_UNAVAILABLE') when the lock cannot be had in time or its
   * backend fails; any other error it throws before `fn` runs is answered as the latter.
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
