/**
 * Sign-ins ("flows") and their requestStates. Every answer that continues a sign-in
 * carries a fresh requestState; whether the older ones still work is the
 * `strictRequestState` switch (UNVERIFIED either way). Each requestState expires
 * `requestStateTtlMs` after the answer that issued it.
 */
import { randomUUID } from 'node:crypto';
import type { UserFactor } from './factors.js';
import type { IdcsEnrollableFactor, IdcsFactor, IdcsSimUser } from './types.js';
import { type AuthBody, newRequestState } from './wire.js';

/** Where a flow stands: what its `credSubmit` means. */
export type Step = 'username' | 'password' | 'mfa' | 'enroll' | 'tou';

/** A one-time code sent in this flow. */
export interface SentOtp {
  value: string;
  sentAt: number;
  /** Which expireCodes() generation it belongs to. */
  generation: number;
}

export interface PushState {
  status: 'pending' | 'approved' | 'denied';
  startedAt: number;
  polls: number;
}

/** A factor being enrolled, kept once the user proves it. */
export interface Enrolling {
  factor: IdcsEnrollableFactor;
  /** The factor as it will be stored. */
  record: UserFactor;
  /** TOTP: online (Oracle Mobile Authenticator registers by itself) or offline (the user types a code). */
  mode: 'online' | 'offline' | 'code';
  /** Oracle Mobile Authenticator has scanned the QR code (online TOTP, PUSH). */
  scanned: boolean;
  code?: SentOtp;
}

export interface MfaState {
  /** The factor the next `credSubmit` without `authFactor` is for. */
  active: IdcsFactor | undefined;
  /** `getBackupFactors` was called: failures then list every factor. */
  backupsListed: boolean;
  codes: Partial<Record<'SMS' | 'EMAIL', SentOtp>>;
  push: PushState | undefined;
  /** Security questions: index of the question asked now, and the ids asked so far. */
  questionIndex: number;
  asked: Set<string>;
}

export interface EnrollState {
  required: boolean;
  /** Factors enrolled in this flow. */
  done: number;
  pending: Enrolling | undefined;
}

/** One sign-in, from the `GET` to the authnToken. */
export interface Flow {
  readonly id: string;
  step: Step;
  /** `nextOp` of the last answer that had one: the operations accepted now. */
  nextOp: string[];
  /** Fields of the last challenge (for the 422 answer to a missing `op`). */
  challenge: AuthBody;
  user: IdcsSimUser | undefined;
  /** The user name of a `USERNAME` step. */
  identified: string | undefined;
  mfa: MfaState;
  enroll: EnrollState | undefined;
  /** `trustedDevice: true` came with the call that completed MFA. */
  trustRequested: boolean;
  mfaDone: boolean;
  /** A factor was proved in this flow (a trust token may then be issued). */
  mfaPerformed: boolean;
  touAccepted: boolean;
}

interface IssuedState {
  flowId: string;
  issuedAt: number;
  generation: number;
}

/** Open flows are capped so a demo server running for days stays small. */
const MAX_FLOWS = 10_000;
/** requestStates kept per flow (older ones become unknown). */
const MAX_STATES_PER_FLOW = 64;

export type Resolved = { flow: Flow } | { problem: 'missing' | 'invalid' | 'expired' };

export class FlowStore {
  private readonly flows = new Map<string, { flow: Flow; states: string[] }>();
  private readonly states = new Map<string, IssuedState>();
  /** Bumped by expireAll(): requestStates of older generations are expired. */
  private generation = 0;

  constructor(
    private readonly ttlMs: () => number,
    private readonly strict: () => boolean,
  ) {}

  create(): Flow {
    this.sweep();
    const flow: Flow = {
      id: randomUUID(),
      step: 'password',
      nextOp: [],
      challenge: {},
      user: undefined,
      identified: undefined,
      mfa: { active: undefined, backupsListed: false, codes: {}, push: undefined, questionIndex: 0, asked: new Set() },
      enroll: undefined,
      trustRequested: false,
      mfaDone: false,
      mfaPerformed: false,
      touAccepted: false,
    };
    this.flows.set(flow.id, { flow, states: [] });
    return flow;
  }

  /** A fresh requestState for the flow. */
  issue(flow: Flow): string {
    const entry = this.flows.get(flow.id);
    const state = newRequestState();
    if (!entry) return state; // the flow ended in this very call
    this.states.set(state, { flowId: flow.id, issuedAt: Date.now(), generation: this.generation });
    entry.states.push(state);
    while (entry.states.length > MAX_STATES_PER_FLOW) this.states.delete(entry.states.shift()!);
    return state;
  }

  resolve(requestState: unknown): Resolved {
    if (requestState === undefined || requestState === null || requestState === '') return { problem: 'missing' };
    const issued = typeof requestState === 'string' ? this.states.get(requestState) : undefined;
    const entry = issued && this.flows.get(issued.flowId);
    if (!issued || !entry) return { problem: 'invalid' };
    if (this.isExpired(issued)) {
      if (entry.states.at(-1) === requestState) this.drop(entry.flow);
      return { problem: 'expired' };
    }
    if (this.strict() && entry.states.at(-1) !== requestState) return { problem: 'invalid' };
    return { flow: entry.flow };
  }

  /** Ends the flow: none of its requestStates works any more. */
  drop(flow: Flow): void {
    const entry = this.flows.get(flow.id);
    if (!entry) return;
    for (const state of entry.states) this.states.delete(state);
    this.flows.delete(flow.id);
  }

  /** Flows whose latest requestState still works. */
  open(): Flow[] {
    return [...this.flows.values()].filter((e) => !this.latestExpired(e.states)).map((e) => e.flow);
  }

  expireAll(): void {
    this.generation += 1;
  }

  clear(): void {
    this.flows.clear();
    this.states.clear();
    this.generation = 0;
  }

  private isExpired(issued: IssuedState): boolean {
    return issued.generation < this.generation || Date.now() - issued.issuedAt >= this.ttlMs();
  }

  private latestExpired(states: string[]): boolean {
    const latest = states.at(-1);
    const issued = latest === undefined ? undefined : this.states.get(latest);
    return issued === undefined || this.isExpired(issued);
  }

  /** Drops flows whose latest requestState expired, and the oldest ones beyond {@link MAX_FLOWS}. */
  private sweep(): void {
    for (const entry of [...this.flows.values()]) if (entry.states.length > 0 && this.latestExpired(entry.states)) this.drop(entry.flow);
    for (const entry of this.flows.values()) {
      if (this.flows.size < MAX_FLOWS) break;
      this.drop(entry.flow);
    }
  }
}
