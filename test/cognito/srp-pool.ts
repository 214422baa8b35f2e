/**
 * The pool's side of SRP-6a as AWS's client expects it (the mirror of srp.ts, with Node's own
 * HKDF), for the MockAgent tests: verifier v = g^x, B = k·v + g^b, S = (A·v^u)^b; the proof a
 * PASSWORD_VERIFIER answer carries is checked, not just its presence. The group, padding, k and
 * modular power are srp.ts's own (srp.test.ts checks them against AWS's client,
 * amazon-cognito-identity-js); the pool's side of the exchange is written out here.
 */
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { N, k, modPow, padHex } from '../../lib/providers/cognito/srp.js';
import { sub, type Seen } from './mock-pool.js';

const H = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const pow = (b: bigint, e: bigint) => modPow(b, e, N);
const poolName = 'AbCdEfGhI';

/** A user `sub` of pool `…_AbCdEfGhI` whose password is `password`. */
export function srpPool(password: string) {
  const saltHex = randomBytes(16).toString('hex');
  const x = BigInt(`0x${H(padHex(BigInt(`0x${saltHex}`)) + createHash('sha256').update(`${poolName}${sub}:${password}`).digest('hex'))}`);
  const v = pow(2n, x);
  const secretBlock = randomBytes(64).toString('base64');

  /** Answers a request carrying SRP_A with PASSWORD_VERIFIER, and keeps b and A for the proof check. */
  function passwordVerifier(extra: Record<string, unknown> = {}) {
    const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
    const B = (k * v + pow(2n, b)) % N;
    const state = { b, B, A: 0n };
    const challenge = (s: Seen) => {
      state.A = BigInt(`0x${(s.body.AuthParameters ?? s.body.ChallengeResponses).SRP_A}`);
      // [InitiateAuth] PASSWORD_VERIFIER: "supply PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK, and
      // TIMESTAMP after the client-side SRP calculations"; parameters as AWS's client reads them
      // (SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP; USERNAME too). No Session unless `extra` has one: the
      // SECRET_BLOCK carries the state (AWS's client forwards data.Session whatever it is).
      return { ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: { SALT: saltHex, SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: sub, USER_ID_FOR_SRP: sub }, ...extra };
    };
    const expectedSignature = (timestamp: string) => {
      const u = BigInt(`0x${H(padHex(state.A) + padHex(state.B))}`);
      const S = pow(state.A * pow(v, u), state.b);
      const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16));
      return createHmac('sha256', key).update(Buffer.concat([Buffer.from(poolName), Buffer.from(sub), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)])).digest('base64');
    };
    /** Whether a PASSWORD_VERIFIER answer carries the right proof. */
    const accepts = (s: Seen) => s.body.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE === expectedSignature(s.body.ChallengeResponses.TIMESTAMP);
    return { challenge, expectedSignature, accepts };
  }
  return { passwordVerifier, secretBlock };
}
