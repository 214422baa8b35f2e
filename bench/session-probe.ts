/**
 * Session bytes per pending transaction: logins driven up to the password step (the SMS code
 * is pending), then the session read back from the app's MemoryStore (`store.get(sid)`) and
 * measured as the JSON the store keeps.
 */
import { Agent } from 'undici';
import { type BenchApp, readSession } from './apps/common.js';
import { type FlowContext, type PendingState, Jar, send, untilPending } from './flows.js';
import { type Summary, summarize } from './stats.js';
import type { BenchUser } from './users.js';

export interface SessionSizes {
  samples: number;
  /** The whole session (as the store keeps it) after the password step. */
  whole: Summary;
  /** The session of a visitor who only fetched the CSRF token (before the login). */
  beforeLogin: Summary;
  /** The login state: `req.session['passport-multistep']` (a) or `req.session.login` + csrf (b). */
  area: Summary;
  /** One pending transaction (a: its entry in `transactions`; b: `req.session.login`). */
  transaction: Summary;
  /** a only: parts of the transaction. */
  parts?: Record<string, Summary>;
}

const bytes = (value: unknown): number => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));

export async function probeSessions(
  app: BenchApp, flow: keyof typeof untilPending, users: BenchUser[], code: (username: string) => string,
): Promise<SessionSizes> {
  const library = flow === 'a' || flow === 'a-cognito';
  const dispatcher = new Agent({ connections: 4 });
  const ctx: FlowContext = { base: app.url, dispatcher, code: async (u) => code(u), record() {} };
  const whole: number[] = [];
  const before: number[] = [];
  const area: number[] = [];
  const transaction: number[] = [];
  const parts: Record<string, number[]> = { state: [], cookies: [], step: [], other: [] };
  try {
    for (const user of users) {
      // A visitor who only fetched the CSRF token.
      const visitor = new Jar();
      await send(ctx, visitor, undefined, 'GET', '/login/csrf');
      before.push(bytes(await sessionOf(app, visitor)));

      const pending: PendingState = await untilPending[flow](ctx, user);
      const session = await sessionOf(app, pending.jar);
      whole.push(bytes(session));
      if (library) {
        const libArea = session[app.loginKey] as { transactions: Array<Record<string, unknown>> };
        const tx = libArea.transactions.find((entry) => entry.id === pending.tx);
        if (!tx) throw new Error('the pending transaction is not in the session');
        area.push(bytes(libArea));
        transaction.push(bytes(tx)); // its entry in the list
        const { state, cookies, step, ...other } = tx;
        parts.state!.push(bytes(state));
        parts.cookies!.push(bytes(cookies));
        parts.step!.push(bytes(step));
        parts.other!.push(bytes(other));
      } else {
        area.push(bytes({ login: session[app.loginKey], csrf: session.csrf }) - 2);
        transaction.push(bytes(session[app.loginKey]));
      }
    }
  } finally {
    await dispatcher.close();
  }
  return {
    samples: users.length,
    whole: summarize(whole),
    beforeLogin: summarize(before),
    area: summarize(area),
    transaction: summarize(transaction),
    ...(library ? { parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, summarize(v)])) } : {}),
  };
}

async function sessionOf(app: BenchApp, jar: Jar): Promise<Record<string, unknown>> {
  const sid = jar.sessionId();
  if (!sid) throw new Error('no session cookie');
  const session = await readSession(app.store, sid);
  if (!session) throw new Error(`session ${sid.slice(0, 6)}… is not in the store`);
  return session;
}
