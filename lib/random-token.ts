/**
 * Random tokens (transaction ids, CSRF tokens): the CSPRNG's bytes drawn from a 4 KiB pool
 * refilled by one `randomFillSync`, as Node's own `randomUUID` does, instead of one
 * `randomBytes` call per token. Bytes handed out are zeroed in the pool.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` random bytes, base64url-encoded. */
export function randomToken(bytes: number): string {
  if (bytes > pool.length) throw new RangeError('token too long for the pool');
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString('base64url', offset, offset + bytes);
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return token;
}
