/** The generated simulator users: `user0` … with a password and one SMS challenge (like the demo user bob). */
import type { SimUser } from '../lib/testing/index.js';
import type { CognitoUser } from './cognito-upstream.js';

export interface BenchUser {
  username: string;
  password: string;
}

export function benchUser(index: number): BenchUser {
  return { username: `user${index}`, password: `user${index}-pw` };
}

export function simUsers(count: number): SimUser[] {
  return Array.from({ length: count }, (_, i) => {
    const { username, password } = benchUser(i);
    return {
      username,
      password,
      displayName: `User ${i}`,
      email: `${username}@bench.example`,
      challenges: [['UP'], ['SMS']],
      phoneLast4: String(1000 + (i % 9000)),
    };
  });
}

/** The same users in the loopback Cognito pool (cognito-upstream.ts): the same names, passwords and phones. */
export function cognitoUsers(count: number): CognitoUser[] {
  return simUsers(count).map(({ username, password, displayName, email, phoneLast4 }) => ({ username, password, displayName, email, phoneLast4: phoneLast4 ?? '0000' }));
}
