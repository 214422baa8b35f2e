/**
 * CyberArk mechanisms → normalized mechanisms. Branches on AnswerType for how a
 * mechanism is driven (cyberark.md §2.4: "a client must branch on AnswerType, not on
 * Name") and on Name only for how it is presented.
 */
import { MultiStepError } from '../../errors.js';
import type { JsonObject } from '../../provider.js';
import type { Mechanism, MechanismType } from '../../step.js';
import { arrayField, field, isObject, objectField, stringField, type WireObject } from './wire.js';

/** How a mechanism is answered upstream. */
export type AnswerType = 'Text' | 'StartTextOob' | 'StartOob';

/** What the provider keeps per offered mechanism (in the session, never in the browser). */
export interface StoredMechanism extends JsonObject {
  /** Upstream MechanismId. */
  upstreamId: string;
  /** Upstream Name (UP, SMS, …). */
  name: string;
  answerType: AnswerType | 'Unsupported';
  /** Local question id → upstream Uuid, for multi-part security questions. */
  parts?: Record<string, string>;
  /** The normalized view shown to the user. */
  view: Mechanism & JsonObject;
}

const oobTypes: Record<string, MechanismType> = { OTP: 'push', PF: 'phone-call', EMAIL: 'link', SMS: 'otp', OATH: 'otp', QR: 'push' };

function typeOf(name: string, answerType: StoredMechanism['answerType']): MechanismType {
  if (answerType === 'Unsupported') return 'unsupported';
  if (name === 'UP') return 'password';
  if (name === 'RESET') return 'new-password';
  if (name === 'SQ') return 'question';
  if (answerType === 'Text') return 'otp';
  return oobTypes[name] ?? 'push';
}

function maskedAddress(mech: WireObject): string | undefined {
  const email = stringField(mech, 'MaskedEmailAddress');
  if (email) return email;
  const domain = stringField(mech, 'PartialAddress');
  if (domain) return `…@${domain}`;
  const phone = stringField(mech, 'PartialDeviceAddress') ?? stringField(mech, 'PartialPhoneNumber');
  return phone ? `…${phone}` : undefined;
}

function readAnswerType(mech: WireObject, name: string): StoredMechanism['answerType'] {
  // FIDO2 and Duo need a browser ceremony that no API client can drive (§4).
  if (name === 'U2F' || name === 'DUO' || name === 'OOBAUTHPIN') return 'Unsupported';
  const value = stringField(mech, 'AnswerType');
  return value === 'Text' || value === 'StartTextOob' || value === 'StartOob' ? value : 'Unsupported';
}

/** Questions of an SQ mechanism: several parts (answered as an object) or a single `Question`. */
function readQuestions(mech: WireObject): { questions: Array<{ id: string; text: string }>; parts?: Record<string, string> } {
  const multipart = objectField(mech, 'MultipartMechanism');
  const partList = arrayField(multipart, 'MechanismParts');
  if (partList && partList.length > 0) {
    const parts: Record<string, string> = {};
    const questions = partList.filter(isObject).map((part, i) => {
      const uuid = stringField(part, 'Uuid');
      if (!uuid) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
      const id = `q${i + 1}`;
      parts[id] = uuid;
      return { id, text: stringField(part, 'QuestionText') ?? stringField(part, 'PromptMechChosen') ?? `Question ${i + 1}` };
    });
    return { questions, parts };
  }
  return { questions: [{ id: 'q1', text: stringField(mech, 'Question') ?? stringField(mech, 'PromptMechChosen') ?? 'Security question' }] };
}

/** Normalizes one upstream mechanism. `localId` is what the browser sees. */
export function readMechanism(raw: unknown, localId: string): StoredMechanism | undefined {
  if (!isObject(raw)) return undefined;
  if (field(raw, 'Enrolled') === false) return undefined; // not usable by this user (conjur, jetstack)
  const upstreamId = stringField(raw, 'MechanismId');
  const name = (stringField(raw, 'Name') ?? '').toUpperCase();
  if (!upstreamId) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const answerType = readAnswerType(raw, name);
  const type = typeOf(name, answerType);
  const label = stringField(objectField(raw, 'MultipartMechanism'), 'PromptSelectMech') ?? stringField(raw, 'PromptSelectMech') ?? name;
  const view: Mechanism & JsonObject = {
    id: localId,
    type,
    label,
    prompt: stringField(raw, 'PromptMechChosen') ?? stringField(raw, 'UiPrompt') ?? label,
  };
  const address = maskedAddress(raw);
  if (address) view.maskedAddress = address;
  const hint = stringField(raw, 'PasswordComplexityHint');
  if (hint) view.hint = hint;
  const stored: StoredMechanism = { upstreamId, name, answerType, view };
  if (type === 'question') {
    const { questions, parts } = readQuestions(raw);
    view.questions = questions;
    if (parts) stored.parts = parts;
  }
  return stored;
}

/** Normalizes every challenge of a package: challenges[i] is the list of mechanisms of challenge i. */
export function readChallenges(raw: unknown): StoredMechanism[][] {
  if (!Array.isArray(raw)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  return raw.map((challenge, c) => {
    const mechanisms = arrayField(isObject(challenge) ? challenge : undefined, 'Mechanisms') ?? [];
    return mechanisms.flatMap((m, i) => readMechanism(m, `c${c + 1}m${i + 1}`) ?? []);
  });
}

/** The view of a mechanism while it is pending upstream. */
export function pendingView(mech: StoredMechanism): Mechanism & JsonObject {
  const view: Mechanism & JsonObject = { ...mech.view, acceptsCode: mech.answerType === 'StartTextOob' };
  if (mech.answerType === 'StartTextOob' && (mech.name === 'SMS' || mech.name === 'EMAIL')) view.resendable = true;
  return view;
}

/** The Answer value to send: a string, or `{Uuid: answer}` for multi-part security questions. */
export function upstreamAnswer(mech: StoredMechanism, answer: string | Record<string, string>): string | Record<string, string> {
  if (typeof answer === 'string') return answer;
  if (!mech.parts) {
    const [only] = Object.values(answer);
    if (only === undefined) throw new MultiStepError('BAD_REQUEST');
    return only;
  }
  const out: Record<string, string> = {};
  for (const [local, value] of Object.entries(answer)) {
    const uuid = mech.parts[local];
    if (!uuid) throw new MultiStepError('MECHANISM_NOT_OFFERED');
    out[uuid] = value;
  }
  return out;
}
