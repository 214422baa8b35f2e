import type { SimUser } from './types.js';

/**
 * Demo users of the simulated tenant. Passwords are `<name>-pw`; e-mail
 * addresses `<name>@example.com` are accepted as login names too.
 *
 * - `alice`: password only (T1)
 * - `bob`: password, then SMS to …6098 (T2)
 * - `carol`: password, then mobile authenticator push (OTP, T3)
 * - `dave`: password, then a choice of EMAIL or two security questions (T4, T7)
 * - `erin`: password, then a choice of SMS, EMAIL, OTP push, OATH (code 123456) or phone call
 * - `frank`: password expired: RESET after the password (T10)
 * - `grace`: phone call (PF) first, then the password
 * - `hank`: federated (T12): external IdP login, then the PIN it shows (OOBAUTHPIN)
 * - `ivy`: federated without PIN: the client polls OobAuthStatus until the IdP login is done
 */
export const demoUsers: SimUser[] = [
  {
    username: 'alice',
    password: 'alice-pw',
    displayName: 'Alice Anderson',
    email: 'alice@example.com',
    challenges: [['UP']],
  },
  {
    username: 'bob',
    password: 'bob-pw',
    displayName: 'Bob Brown',
    email: 'bob@example.com',
    challenges: [['UP'], ['SMS']],
    phoneLast4: '6098',
  },
  {
    username: 'carol',
    password: 'carol-pw',
    displayName: 'Carol Clark',
    email: 'carol@example.com',
    challenges: [['UP'], ['OTP']],
  },
  {
    username: 'dave',
    password: 'dave-pw',
    displayName: 'Dave Davies',
    email: 'dave@example.com',
    challenges: [['UP'], ['EMAIL', 'SQ']],
    questions: [
      { id: '6f1c2a9e-4b7d-4e0a-9a53-1d2f3c4b5a61', text: 'What was the name of your first pet?', answer: 'Rex' },
      { id: '0b8e7d6c-5a4f-4321-8fed-cba987654321', text: 'In which town were you born?', answer: 'Leeds' },
    ],
  },
  {
    username: 'erin',
    password: 'erin-pw',
    displayName: 'Erin Evans',
    email: 'erin@example.com',
    challenges: [['UP'], ['SMS', 'EMAIL', 'OTP', 'OATH', 'PF']],
    phoneLast4: '4417',
    oathCode: '123456',
  },
  {
    username: 'frank',
    password: 'frank-pw',
    displayName: 'Frank Fischer',
    email: 'frank@example.com',
    challenges: [['UP']],
    passwordExpired: true,
  },
  {
    username: 'grace',
    password: 'grace-pw',
    displayName: 'Grace Green',
    email: 'grace@example.com',
    challenges: [['PF'], ['UP']],
    phoneLast4: '0731',
  },
  {
    username: 'hank',
    // Unused: federated users sign in at the IdP (the simulator's fake IdP page).
    password: 'hank-pw',
    displayName: 'Hank Harris',
    email: 'hank@example.com',
    challenges: [],
    federated: { pinRequired: true },
  },
  {
    username: 'ivy',
    password: 'ivy-pw',
    displayName: 'Ivy Irwin',
    email: 'ivy@example.com',
    challenges: [],
    federated: { pinRequired: false },
  },
];

/** Deep copy, so a running simulator never shares mutable state with the caller's array. */
export function cloneUsers(users: readonly SimUser[]): SimUser[] {
  return users.map((u) => ({
    ...u,
    challenges: u.challenges.map((c) => [...c]),
    ...(u.questions ? { questions: u.questions.map((q) => ({ ...q })) } : {}),
    ...(u.federated ? { federated: { ...u.federated } } : {}),
  }));
}

/**
 * Rejects user lists the simulator could not serve faithfully, at start-up
 * rather than in the middle of a test.
 */
export function validateUsers(users: readonly SimUser[]): void {
  const seen = new Set<string>();
  for (const user of users) {
    // A user may use the same string as username and e-mail; only clashes between users matter.
    const names = new Set([user.username, user.email].map((n) => n.trim().toLowerCase()));
    for (const key of names) {
      if (!key) throw new TypeError('SimUser.username and SimUser.email must not be empty');
      if (seen.has(key)) throw new TypeError(`duplicate login name "${key}"`);
      seen.add(key);
    }
    if (user.federated !== undefined) {
      if (typeof user.federated !== 'object' || user.federated === null || typeof user.federated.pinRequired !== 'boolean') {
        throw new TypeError(`user "${user.username}": federated must be { pinRequired: boolean }`);
      }
      continue; // Federated users get no challenges from the tenant.
    }
    if (user.challenges.length === 0 || user.challenges.some((c) => c.length === 0)) {
      throw new TypeError(`user "${user.username}" needs at least one challenge, each with at least one mechanism`);
    }
    const usesSq = user.challenges.some((c) => c.includes('SQ'));
    if (usesSq && !user.questions?.length) throw new TypeError(`user "${user.username}" offers SQ but has no questions`);
  }
}
