/**
 * Mechanism catalogue: how each mechanism is offered on the wire (§2.4) and
 * how it behaves (§4). Prompt strings follow the captured tenants.
 */
import type { CyberArkSwitches, SimAnswerType, SimMechanismName, SimMechanismSpec, SimUser } from './types.js';
import { randomId } from './wire.js';

/** Mechanisms whose OOB step can complete without a typed code (push approval, phone call, e-mail link). */
const APPROVABLE: ReadonlySet<SimMechanismName> = new Set(['OTP', 'PF', 'EMAIL']);
/** Mechanisms for which the simulator "sends" a six-digit code. */
const SENDS_CODE: ReadonlySet<SimMechanismName> = new Set(['SMS', 'EMAIL', 'OTP']);

const LABELS: Record<SimMechanismName, string> = {
  UP: 'Password',
  SMS: 'Text message (SMS)',
  EMAIL: 'Email',
  OTP: 'Mobile Authenticator',
  OATH: 'OATH OTP Client',
  PF: 'Phone Call',
  SQ: 'Security Question',
  U2F: 'FIDO2 Security Key',
  RESET: 'New Password',
};

/** The `AnswerType` a mechanism gets under the current switches. */
export function answerTypeOf(name: SimMechanismName, switches: CyberArkSwitches): SimAnswerType {
  switch (name) {
    case 'SMS':
    case 'EMAIL':
    case 'OATH':
      return switches.oobAnswerType;
    case 'OTP':
      return 'StartTextOob';
    case 'PF':
    case 'U2F':
      return 'StartOob';
    default:
      return 'Text';
  }
}

/** How the simulator offers a mechanism under the given switches. */
export function describeMechanism(name: SimMechanismName, switches: CyberArkSwitches): SimMechanismSpec {
  return {
    name,
    answerType: answerTypeOf(name, switches),
    label: LABELS[name],
    approvable: APPROVABLE.has(name),
    sendsCode: SENDS_CODE.has(name),
  };
}

/** Out-of-band operation in flight for one mechanism. */
export interface OobState {
  status: 'pending' | 'approved' | 'denied';
  startedAt: number;
  polls: number;
  generatedAuthValue: string | undefined;
}

/** Server-side state of one mechanism in one login session. */
export interface MechState {
  readonly id: string;
  readonly spec: SimMechanismSpec;
  /** The JSON object sent in `Challenges[].Mechanisms[]`. */
  readonly wire: Record<string, unknown>;
  /** Last code sent for this mechanism, and when (codes last 5 minutes, §4). */
  code: { value: string; sentAt: number } | undefined;
  oob: OobState | undefined;
}

/** Builds the per-session state of a mechanism, with a fresh random MechanismId. */
export function createMechanism(name: SimMechanismName, user: SimUser | undefined, switches: CyberArkSwitches): MechState {
  const spec = describeMechanism(name, switches);
  const id = randomId(24);
  const wire = { AnswerType: spec.answerType, Name: name, ...wireDetails(spec, user), MechanismId: id, Enrolled: true };
  return { id, spec, wire, code: undefined, oob: undefined };
}

/** Mechanism-specific fields (prompts, masked addresses, questions). */
function wireDetails(spec: SimMechanismSpec, user: SimUser | undefined): Record<string, unknown> {
  const phone = user?.phoneLast4 ?? '0000';
  const byCode = spec.answerType === 'Text';
  switch (spec.name) {
    case 'UP':
      return { PromptMechChosen: 'Enter Password', PromptSelectMech: 'Password' };
    case 'SMS':
      return {
        PartialDeviceAddress: phone,
        PromptSelectMech: `Text message (SMS)... XXX-${phone}`,
        PromptMechChosen: byCode
          ? `A code was sent to XXX-${phone}. Enter the code to authenticate.`
          : 'Enter the code sent to your phone',
      };
    case 'EMAIL':
      return emailDetails(user?.email ?? 'user@example.com');
    case 'OTP':
      return {
        PromptSelectMech: 'Mobile Authenticator',
        PromptMechChosen:
          'Sent Mobile Authenticator request to your device. Please follow the instructions to proceed with authentication or enter verification code here.',
      };
    case 'OATH':
      return { PromptSelectMech: 'OATH OTP Client', PromptMechChosen: 'Enter your current OATH verification code' };
    case 'PF':
      return {
        PartialPhoneNumber: phone,
        PromptSelectMech: `Phone Call... XXX-${phone}`,
        // The wording of the captured tenant (jetstack-secure start_authentication_success_multiple_challenges).
        PromptMechChosen: `We will now attempt to call your phone (${phone}). Please follow the instructions to proceed with authentication.`,
      };
    case 'SQ':
      return questionDetails(user?.questions ?? []);
    case 'U2F':
      return { PromptSelectMech: 'FIDO2 Security Key', PromptMechChosen: 'Use your FIDO2 security key to authenticate.' };
    case 'RESET':
      return {
        PromptSelectMech: 'New Password',
        PromptMechChosen: 'Enter a new password',
        PasswordComplexityHint: 'At least 8 characters.',
      };
  }
}

function emailDetails(email: string): Record<string, unknown> {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const masked = `***@${domain}`;
  return {
    PartialAddress: domain,
    MaskedEmailAddress: masked,
    PromptSelectMech: `Email... @${domain}`,
    PromptMechChosen: `Email sent to ${masked}. Click the link or manually enter the code to authenticate.`,
  };
}

/**
 * One question → `Question`; several → `MultipartMechanism` with one part per Uuid (§2.4, T4).
 * Like the captured tenant (conjur-cli-go start_auth_sq), a multi-part mechanism also names
 * its first question in `Question` and `PromptMechChosen`.
 */
function questionDetails(questions: NonNullable<SimUser['questions']>): Record<string, unknown> {
  const [only] = questions;
  if (questions.length === 1 && only) {
    return {
      Question: only.text,
      PromptSelectMech: 'Security Question',
      PromptMechChosen: `Answer security question '${only.text}':`,
    };
  }
  return {
    MultipartMechanism: {
      PromptSelectMech: 'Security Questions',
      MechanismParts: questions.map((q) => ({
        Uuid: q.id,
        QuestionText: q.text,
        PromptMechChosen: `Answer security question '${q.text}':`,
      })),
    },
    Question: only?.text ?? '',
    PromptSelectMech: 'Security Question',
    PromptMechChosen: `Answer security question '${only?.text ?? ''}':`,
  };
}

/** Security answers are compared like a person would expect: trimmed, case-insensitive. */
function sameAnswer(given: unknown, expected: string): boolean {
  return typeof given === 'string' && given.trim().toLowerCase() === expected.trim().toLowerCase();
}

/** Checks an SQ answer: a string for one question, an object keyed by Uuid for several. */
export function checkQuestions(answer: unknown, questions: NonNullable<SimUser['questions']>): boolean {
  const [only] = questions;
  if (questions.length === 1 && only) return sameAnswer(answer, only.answer);
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return false;
  const given = answer as Record<string, unknown>;
  return questions.every((q) => sameAnswer(given[q.id], q.answer));
}
