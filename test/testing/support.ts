/**
 * Scaffolding shared by the simulator tests: a tiny HTTP client that reads a
 * whole answer (JSON when it parses), an independent RFC 6238 implementation to
 * check the simulators' codes, and a wrong code to type.
 */
import { createHmac } from 'node:crypto';
import { request } from 'undici';

/** An answer read whole; `json` is the parsed body (`J`, the parts a test reads), or `{}` when it is not JSON. */
export interface Reply<J> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: J;
}

/** What {@link send} sends (default: a `GET` without headers or body). */
export interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Sends one request and reads the whole answer. */
export async function send<J>(url: string, init: SendInit = {}): Promise<Reply<J>> {
  const res = await request(url, { method: (init.method ?? 'GET') as 'GET', headers: init.headers ?? {}, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await res.body.text();
  let json = {} as J;
  try {
    json = JSON.parse(text) as J;
  } catch {
    // HTML answers are checked through `text`.
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** Independent RFC 6238 implementation (HMAC-SHA1, 30 s, 6 digits), to check the simulators' codes. */
export function totp(secret: string, timeMs = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[19]! & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A six-digit code that is not `code`. */
export const wrongCode = (code: string | undefined): string => (code === '000000' ? '111111' : '000000');
