/**
 * CyberArk mechanisms → normalized mechanisms. Branches on AnswerType for how a
 * mechanism is driven (cyberark.md §2.4: "a client must branch on AnswerType, not on
 * Name") and on Name only for how it is presented: a plain label of its channel
 * (lib/mechanism-text.ts), the one masked address format, and the tenant's own prompt
 * kept as `upstreamPrompt`.
 */
import { MultiStepError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { applyPlainText, type Channel, type Destination } from '../../mechanism-text.js';
import type { JsonObject } from '../../provider.js';
import type { Mechanism, MechanismType } from '../../step.js';
import { arrayField, field, isObject, objectField, stringField, type WireObject } from './wire.js';

/** How a mechanism is answered upstream. */
export type AnswerType = 'Text' | 'StartTextOob' | 'StartOob';

/** What the provider keeps per offered mechanism (in the session, never in the browser). */
export interface StoredMechanism extends JsonObject {
  /** Upstream MechanismId. */
  upstreamId: string;
  /** Upstream Name (UP, SMS, …), upper-cased. */
  name: string;
  answerType: AnswerType | 'Unsupported';
  /** Local question id → upstream Uuid, for multi-part security questions. */
  parts?: Record<string, string>;
  /** The normalized view shown to the user. */
  view: Mechanism & JsonObject;
}

/**
 * The AnswerType values real tenants send, by lower-cased value: real clients compare them
 * case-insensitively (IdentityCommand), so a tenant's `startTextOob` is still StartTextOob.
 */
const answerTypes: Readonly<Record<string, AnswerType>> = { text: 'Text', starttextoob: 'StartTextOob', startoob: 'StartOob' };

const oobTypes: Record<string, MechanismType> = { OTP: 'push', PF: 'phone-call', EMAIL: 'link', SMS: 'otp', OATH: 'otp', QR: 'push' };

function typeOf(name: string, answerType: StoredMechanism['answerType']): MechanismType {
  if (answerType === 'Unsupported') return 'unsupported';
  if (name === 'UP') return 'password';
  if (name === 'RESET') return 'new-password';
  if (name === 'SQ') return 'question';
  if (answerType === 'Text') return 'otp';
  return oobTypes[name] ?? 'push';
}

/**
 * What a mechanism is, for its label. OTP is the CyberArk Identity app: a notification
 * when started out of band, a code from the app when answered in-band (`Text`). Names
 * without a channel here (RADIUS, QR, DUO, anything new) keep the tenant's own label.
 */
function channelOf(name: string, answerType: StoredMechanism['answerType']): Channel | undefined {
  switch (name) {
    case 'UP': return 'password';
    case 'RESET': return 'new-password';
    case 'SMS': return 'sms';
    case 'EMAIL': return 'email';
    case 'PF': return 'voice';
    case 'OATH': return 'app-code';
    case 'OTP': return answerType === 'Text' ? 'app-code' : 'push';
    case 'SQ': return 'questions';
    case 'U2F': return 'security-key';
    default: return undefined;
  }
}

/**
 * Where a code or call goes. E-mail: `PartialAddress` is the domain only (`cyberark.com`),
 * `MaskedEmailAddress` a masked address; phones: `PartialDeviceAddress` (SMS) and
 * `PartialPhoneNumber` (PF) are the last digits. The picker text ("Email... @cyberark.com",
 * "Phone Call... XXX-0000") is the last resort; mechanism-text masks whatever it gets.
 */
function destinationOf(channel: Channel, mech: WireObject): Destination {
  const picker = stringField(mech, 'PromptSelectMech');
  if (channel === 'email') return { address: stringField(mech, 'PartialAddress') ?? stringField(mech, 'MaskedEmailAddress') ?? picker };
  if (channel === 'sms') return { address: stringField(mech, 'PartialDeviceAddress') ?? stringField(mech, 'PartialPhoneNumber') ?? picker };
  if (channel === 'voice') return { address: stringField(mech, 'PartialPhoneNumber') ?? stringField(mech, 'PartialDeviceAddress') ?? picker };
  return {};
}

function readAnswerType(mech: WireObject, name: string, log?: Logger): StoredMechanism['answerType'] {
  // FIDO2 and Duo need a browser ceremony that no API client can drive (§4).
  if (name === 'U2F' || name === 'DUO' || name === 'OOBAUTHPIN') return 'Unsupported';
  const raw = field(mech, 'AnswerType');
  const known = typeof raw === 'string' ? answerTypes[raw.toLowerCase()] : undefined;
  if (known) return known;
  // Something this provider cannot drive (QR, a new kind): offered greyed out, never guessed at.
  log?.('unsupported answer type', { mechanism: name || null, answerType: typeof raw === 'string' ? raw : (raw ?? null) });
  return 'Unsupported';
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
export function readMechanism(raw: unknown, localId: string, log?: Logger): StoredMechanism | undefined {
  if (!isObject(raw)) return undefined;
  if (field(raw, 'Enrolled') === false) return undefined; // not usable by this user (conjur, jetstack)
  const upstreamId = stringField(raw, 'MechanismId');
  const name = (stringField(raw, 'Name') ?? '').toUpperCase();
  if (!upstreamId) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  const answerType = readAnswerType(raw, name, log);
  const type = typeOf(name, answerType);
  const multipart = objectField(raw, 'MultipartMechanism');
  const upstreamLabel = stringField(multipart, 'PromptSelectMech') ?? stringField(raw, 'PromptSelectMech');
  const upstreamPrompt = stringField(raw, 'PromptMechChosen') ?? stringField(raw, 'UiPrompt');
  const view: Mechanism & JsonObject = { id: localId, type, label: upstreamLabel ?? (name || 'Other sign-in method'), prompt: '' };
  const channel = channelOf(name, answerType);
  if (channel) {
    applyPlainText(view, channel, destinationOf(channel, raw), upstreamPrompt ?? upstreamLabel);
  } else {
    view.prompt = upstreamPrompt ?? view.label;
  }
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
export function readChallenges(raw: unknown, log?: Logger): StoredMechanism[][] {
  if (!Array.isArray(raw)) throw new MultiStepError('UPSTREAM_BAD_RESPONSE');
  return raw.map((challenge, c) => {
    const mechanisms = arrayField(isObject(challenge) ? challenge : undefined, 'Mechanisms') ?? [];
    return mechanisms.flatMap((m, i) => readMechanism(m, `c${c + 1}m${i + 1}`, log) ?? []);
  });
}

/** The view of a mechanism while it is pending upstream. */
export function pendingView(mech: StoredMechanism): Mechanism & JsonObject {
  const view: Mechanism & JsonObject = { ...mech.view, acceptsCode: mech.answerType === 'StartTextOob' };
  if (mech.answerType === 'StartTextOob' && (mech.name === 'SMS' || mech.name === 'EMAIL')) view.resendable = true;
  return view;
}

/** A pending texted code as an answer step's mechanism: typing is what it takes, so no `acceptsCode`. */
export function codeView(view: Mechanism & JsonObject): Mechanism & JsonObject {
  const { acceptsCode: _typed, ...rest } = view;
  return rest;
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
