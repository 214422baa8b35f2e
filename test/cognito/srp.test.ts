/** SRP against AWS's own client (amazon-cognito-identity-js AuthenticationHelper / DateHelper) on fixed vectors. */
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { Sha256 } from '@aws-crypto/sha256-js';
import { N, g, modPow, newSrpClient, padHex, passwordAuthenticationKey, passwordClaimSignature, srpPoolName, srpTimestamp } from '../../lib/providers/cognito/srp.js';
import { secretHash } from '../../lib/providers/cognito/secret-hash.js';

const require = createRequire(import.meta.url);
const { AuthenticationHelper, DateHelper } = require('amazon-cognito-identity-js');
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default;

function awsKey(poolName: string, userId: string, password: string, aHex: string, bHex: string, saltHex: string): Promise<{ A: string; key: Buffer }> {
  const helper = new AuthenticationHelper(poolName);
  helper.smallAValue = new BigInteger(aHex, 16);
  helper.largeAValue = undefined;
  return new Promise((resolve, reject) => {
    helper.getLargeAValue((err: unknown, A: any) => {
      if (err) return reject(err);
      helper.getPasswordAuthenticationKey(userId, password, new BigInteger(bHex, 16), new BigInteger(saltHex, 16), (err2: unknown, key: Uint8Array) => {
        if (err2) return reject(err2);
        resolve({ A: A.toString(16), key: Buffer.from(key) });
      });
    });
  });
}

const vectors = [
  { pool: 'us-east-1_AbCdEfGhI', user: 'ann', password: 'Ann-pw-1', a: 'a1'.repeat(128), b: 17n, salt: '7f3e' },
  { pool: 'eu-west-1_Zz9', user: 'd2f0c3a8-1111-2222-3333-444455556666', password: 'pässwörd ✓', a: '0f'.repeat(128), b: 123456789n, salt: '8a'.repeat(16) },
  { pool: 'ap-south-1_x', user: 'bob@example.com', password: 'p', a: 'ff'.repeat(128), b: 987654321987654321n, salt: '00' },
];

describe('Cognito SRP matches amazon-cognito-identity-js', () => {
  it('pads like Java BigInteger.toByteArray', () => {
    expect(padHex(20n)).to.equal('14');
    expect(padHex(236n)).to.equal('00ec');
    expect(padHex(200n)).to.equal('00c8');
    expect(padHex(0x1234n)).to.equal('1234');
  });

  for (const [i, v] of vectors.entries()) {
    it(`vector ${i + 1}: A and the password authentication key`, async () => {
      const poolName = srpPoolName(v.pool);
      const bHex = modPow(g, v.b, N).toString(16);
      const client = newSrpClient(BigInt(`0x${v.a}`));
      const theirs = await awsKey(poolName, v.user, v.password, v.a, bHex, v.salt);
      expect(client.largeA).to.equal(theirs.A);
      const key = passwordAuthenticationKey(poolName, v.user, v.password, client, bHex, v.salt);
      expect(key.toString('hex')).to.equal(theirs.key.toString('hex'));
      // The signature as CognitoUser.authenticateUserDefaultAuth computes it.
      const secretBlock = Buffer.from(`block-${i}`).toString('base64');
      const timestamp = 'Tue Mar 5 09:04:01 UTC 2024';
      const hmac = new Sha256(theirs.key);
      hmac.update(Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(v.user, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]));
      expect(passwordClaimSignature(key, poolName, v.user, secretBlock, timestamp)).to.equal(Buffer.from(hmac.digestSync()).toString('base64'));
    });
  }

  it('timestamps like DateHelper ("ddd MMM D HH:mm:ss UTC YYYY", day not padded)', () => {
    expect(srpTimestamp(new Date(Date.UTC(2024, 2, 5, 9, 4, 1)))).to.equal('Tue Mar 5 09:04:01 UTC 2024');
    expect(srpTimestamp(new Date(Date.UTC(2025, 11, 25, 23, 59, 9)))).to.equal('Thu Dec 25 23:59:09 UTC 2025');
    const before = srpTimestamp();
    const theirs: string = new DateHelper().getNowString();
    const after = srpTimestamp();
    expect([before, after]).to.include(theirs);
  });

  it('SECRET_HASH is Base64(HMAC-SHA256(secret, username + clientId))', () => {
    // Worked by hand with openssl: printf 'ann1example' | openssl dgst -sha256 -hmac s3cr3t -binary | base64
    expect(secretHash('s3cr3t', 'ann', '1example')).to.equal('GEqkyiHn3SaCcLX6FJZd9GBy5pM6S4xgaAl9FJW6XDI=');
  });
});
