/**
 * The SRP-6a variant of Cognito's `USER_SRP_AUTH` flow, as AWS's own client implements it
 * (amazon-cognito-identity-js, src/AuthenticationHelper.js, CognitoUser.js and DateHelper.js;
 * the same in aws-amplify's `srp` utilities). AWS's developer guide ("Authentication flows",
 * USER_SRP_AUTH) names the parameters (SRP_A; then SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP;
 * answered with PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP) but leaves the
 * arithmetic to the SDKs; test/cognito/srp.test.ts checks this file against AWS's client on
 * fixed vectors.
 *
 * - N: the 3072-bit MODP group of RFC 3526 (also RFC 5054's 3072-bit group), g = 2;
 * - k = H(pad(N) | pad(g)), u = H(pad(A) | pad(B)), H = SHA-256 over the bytes of the hex;
 * - x = H(pad(salt) | H(poolName | userId | ":" | password)), poolName = the part of the pool id
 *   after "_";
 * - S = (B − k·gˣ)^(a + u·x) mod N;
 * - key = HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key"), 16 bytes;
 * - signature = Base64(HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | timestamp)),
 *   timestamp "ddd MMM D HH:mm:ss UTC YYYY" in UTC, day of month not padded.
 *
 * `pad` is the two's-complement hex of Java's BigInteger.toByteArray (a "00" byte in front when
 * the top bit is set); only non-negative values occur here.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

const nHex =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
  + 'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
  + 'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
  + '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
  + 'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
  + '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
  + 'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
  + 'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${nHex}`);
export const g = 2n;

/** Java BigInteger.toByteArray as hex, for a non-negative value. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexHash(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

export const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

/** The client's ephemeral pair: `a` (128 random bytes, as AWS's client draws it) and A = gᵃ mod N. */
export interface SrpClient {
  a: bigint;
  /** A as the hex that goes into SRP_A (unpadded, as AWS's client sends it). */
  largeA: string;
}

export function newSrpClient(smallA?: bigint): SrpClient {
  for (;;) {
    const a = smallA ?? BigInt(`0x${randomBytes(128).toString('hex')}`);
    const A = modPow(g, a, N);
    if (A % N !== 0n) return { a, largeA: A.toString(16) };
    if (smallA !== undefined) throw new Error('SRP: A is zero');
  }
}

/** The pool's name as SRP uses it: `us-east-1_AbCdEf` → `AbCdEf`. */
export function srpPoolName(userPoolId: string): string {
  const at = userPoolId.indexOf('_');
  return at >= 0 ? userPoolId.slice(at + 1) : userPoolId;
}

/** The 16-byte key both sides derive (AuthenticationHelper.getPasswordAuthenticationKey). */
export function passwordAuthenticationKey(poolName: string, userId: string, password: string, client: SrpClient, srpB: string, saltHex: string): Buffer {
  const B = BigInt(`0x${srpB}`);
  if (B % N === 0n) throw new Error('SRP: B is zero');
  const A = BigInt(`0x${client.largeA}`);
  const u = BigInt(`0x${hexHash(padHex(A) + padHex(B))}`);
  if (u === 0n) throw new Error('SRP: u is zero');
  const salt = BigInt(`0x${saltHex}`);
  const x = BigInt(`0x${hexHash(padHex(salt) + sha256Hex(`${poolName}${userId}:${password}`))}`);
  const S = modPow(B - k * modPow(g, x, N), client.a + u * x, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).digest().subarray(0, 16);
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** "ddd MMM D HH:mm:ss UTC YYYY", e.g. "Tue Mar 5 09:04:01 UTC 2024" (DateHelper.getNowString). */
export function srpTimestamp(date: Date = new Date()): string {
  return `${weekdays[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${date.getUTCDate()} `
    + `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** PASSWORD_CLAIM_SIGNATURE. */
export function passwordClaimSignature(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): string {
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]))
    .digest('base64');
}
