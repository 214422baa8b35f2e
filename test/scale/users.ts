/**
 * Generated users for the scale-out tests (the simulators' demo users are too few), one
 * mechanism mix each, and a driver that logs a user in through a ClusterClient.
 */
import type { Mechanism } from '../../lib/index.js';
import type { CyberArkSimulator, IdcsSimulator, IdcsSimUser, OaaSimulator, OaaSimUser, SimUser } from '../../lib/testing/index.js';
import type { ClusterClient, Reply } from './cluster-client.js';

export type Mix =
  | 'cyberark:password' | 'cyberark:password+sms' | 'cyberark:password+push' | 'cyberark:password+questions'
  | 'idcs:password' | 'idcs:password+totp'
  | 'oaa:email' | 'oaa:totp';

export const mixes: readonly Mix[] = [
  'cyberark:password', 'cyberark:password+sms', 'cyberark:password+push', 'cyberark:password+questions',
  'idcs:password', 'idcs:password+totp', 'oaa:email', 'oaa:totp',
];

export type ProviderKey = 'cyberark' | 'idcs' | 'oaa';

export interface PlannedUser {
  username: string;
  mix: Mix;
  provider: ProviderKey;
  /** Where the provider's routes are mounted on the app instances. */
  mount: string;
}

export const mounts: Record<ProviderKey, string> = { cyberark: '/login', idcs: '/idcs/login', oaa: '/oaa/login' };

const questions = [
  { id: '6f1c2a9e-4b7d-4e0a-9a53-1d2f3c4b5a61', text: 'What was the name of your first pet?', answer: 'Rex' },
  { id: '0b8e7d6c-5a4f-4321-8fed-cba987654321', text: 'In which town were you born?', answer: 'Leeds' },
];
const answerByQuestion = new Map(questions.map((q) => [q.text, q.answer]));

/** `count` users spread round robin over `mixList`, named `<prefix><n>-<mix>`. */
export function planUsers(count: number, mixList: readonly Mix[] = mixes, prefix = 'u'): PlannedUser[] {
  return Array.from({ length: count }, (_, i) => {
    const mix = mixList[i % mixList.length]!;
    const provider = mix.split(':')[0] as ProviderKey;
    const tag = mix.split(':')[1]!.replace(/\+/g, '-');
    return { username: `${prefix}${String(i + 1).padStart(3, '0')}-${provider}-${tag}`, mix, provider, mount: mounts[provider] };
  });
}

/** The simulators' user lists for the planned users (passwords `<name>-pw`). */
export function simulatorUsers(users: readonly PlannedUser[]): { cyberark: SimUser[]; idcs: IdcsSimUser[]; oaa: OaaSimUser[] } {
  const cyberark: SimUser[] = [];
  const idcs: IdcsSimUser[] = [];
  const oaa: OaaSimUser[] = [];
  for (const [i, u] of users.entries()) {
    const base = { username: u.username, password: `${u.username}-pw`, displayName: `User ${u.username}`, email: `${u.username}@example.com` };
    switch (u.mix) {
      case 'cyberark:password': cyberark.push({ ...base, challenges: [['UP']] }); break;
      case 'cyberark:password+sms': cyberark.push({ ...base, challenges: [['UP'], ['SMS']], phoneLast4: String(1000 + i).slice(-4) }); break;
      case 'cyberark:password+push': cyberark.push({ ...base, challenges: [['UP'], ['OTP']] }); break;
      case 'cyberark:password+questions': cyberark.push({ ...base, challenges: [['UP'], ['SQ']], questions: questions.map((q) => ({ ...q })) }); break;
      case 'idcs:password': idcs.push({ ...base, factors: [] }); break;
      case 'idcs:password+totp': idcs.push({ ...base, factors: ['TOTP'] }); break;
      case 'oaa:email': oaa.push({ username: u.username, displayName: base.displayName, factors: ['ChallengeEmail'] }); break;
      case 'oaa:totp': oaa.push({ username: u.username, displayName: base.displayName, factors: ['ChallengeOMATOTP'] }); break;
    }
  }
  return { cyberark, idcs, oaa };
}

export interface Simulators {
  cyberark: CyberArkSimulator;
  idcs: IdcsSimulator;
  oaa: OaaSimulator;
}

/** What the user types for a mechanism (the code from the simulator's phone), or 'approve' for a push. */
export function answerFor(user: PlannedUser, mechanism: Mechanism, sims: Simulators): unknown {
  switch (mechanism.type) {
    case 'password':
      return `${user.username}-pw`;
    case 'question':
      return Object.fromEntries((mechanism.questions ?? []).map((q) => [q.id, answerByQuestion.get(q.text) ?? '?']));
    case 'otp': {
      const code = user.mix === 'cyberark:password+sms' ? sims.cyberark.lastCode(user.username)
        : user.mix === 'idcs:password+totp' ? sims.idcs.totpCode(user.username)
        : user.mix === 'oaa:email' ? sims.oaa.lastCode(user.username)
        : user.mix === 'oaa:totp' ? sims.oaa.totpCode(user.username)
        : undefined;
      if (!code) throw new Error(`${user.username}: no code for ${mechanism.type}`);
      return code;
    }
    case 'push':
      return 'approve';
    default:
      throw new Error(`${user.username}: unexpected mechanism ${mechanism.type}`);
  }
}

export class LoginFailed extends Error {
  constructor(readonly user: string, readonly reply: Reply | undefined, message: string) {
    super(`${user}: ${message}${reply ? ` (${reply.method} ${reply.path} on instance ${reply.instance} → ${reply.status} ${JSON.stringify(reply.json?.error ?? reply.json).slice(0, 300)})` : ''}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Logs `user` in through `client` (requests alternate between the instances), answering
 * each step as the user would; approves pushes on the simulator and polls. Throws
 * LoginFailed on any non-2xx answer.
 */
export async function logIn(client: ClusterClient, user: PlannedUser, sims: Simulators): Promise<Reply> {
  const check = (reply: Reply): Reply => {
    if (reply.status < 200 || reply.status >= 300) throw new LoginFailed(user.username, reply, 'request failed');
    return reply;
  };
  check(await client.fetchCsrf());
  let reply = check(await client.start(user.username));
  let approved = false;
  for (let round = 0; round < 200; round++) {
    const step = reply.json?.step;
    if (step?.kind === 'done') return reply;
    const mechanism: Mechanism | undefined = client.step?.mechanisms[0];
    if (!step || !mechanism) throw new LoginFailed(user.username, reply, 'no step');
    if (step.kind === 'answer' || (step.kind === 'pending' && mechanism.type === 'otp')) {
      reply = check(await client.answer(answerFor(user, mechanism, sims)));
    } else if (step.kind === 'pending' && mechanism.type === 'push') {
      // The user looks at the phone after the first poll, and approves.
      if (round > 1 && !approved) {
        approved = (user.provider === 'cyberark' ? sims.cyberark : user.provider === 'idcs' ? sims.idcs : sims.oaa).approvePush(user.username);
      }
      await sleep(step.pollAfterMs ?? 20);
      reply = check(await client.act('poll'));
    } else {
      throw new LoginFailed(user.username, reply, `unexpected step ${JSON.stringify(step)}`);
    }
  }
  throw new LoginFailed(user.username, reply, 'did not finish in 200 rounds');
}
