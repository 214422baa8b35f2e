import { CookieJar, type SerializedCookieJar } from 'tough-cookie';

/**
 * The upstream cookies of one login, kept in the express session between requests
 * (never sent to the browser). tough-cookie's serialized form keeps domain, path,
 * host-only and Secure matching, so cookies only go back to where they came from.
 */
export type StoredCookieJar = SerializedCookieJar;

export function restoreJar(stored: StoredCookieJar | undefined): CookieJar {
  return stored ? CookieJar.deserializeSync(stored) : new CookieJar();
}

export function storeJar(jar: CookieJar): StoredCookieJar {
  const serialized = jar.serializeSync();
  if (!serialized) throw new Error('cookie jar could not be serialized');
  return serialized;
}
