/**
 * Parses what the browser sent into a typed action. Everything is checked for type
 * and size here, so providers only ever see strings of sane length.
 */
import { MultiStepError } from './errors.js';
import type { Answer } from './provider.js';

/** What a request asks the flow to do. */
export type ActionName = 'start' | 'select' | 'answer' | 'poll' | 'resend' | 'alternatives' | 'cancel';
export const actionNames: readonly ActionName[] = ['start', 'select', 'answer', 'poll', 'resend', 'alternatives', 'cancel'];

export interface ActionInput {
  action: ActionName;
  transactionId?: string;
  /** The step sequence the form was rendered for. */
  sequence?: number;
  username?: string;
  mechanism?: string;
  answer?: Answer;
  returnTo?: string;
  /** The "remember this device" checkbox. */
  rememberDevice?: boolean;
}

const maxField = 1024;
const maxQuestions = 10;

function optionalString(body: Record<string, unknown>, name: string, max = maxField): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw badField(name);
  return value;
}

function badField(name: string): MultiStepError {
  return new MultiStepError('BAD_REQUEST', { message: `The field "${name}" is missing or invalid.` });
}

/** Reads the answer: a string, a JSON object of question answers, or form fields `answer[<id>]`. */
function readAnswer(body: Record<string, unknown>): Answer | undefined {
  const direct = body.answer;
  if (typeof direct === 'string') {
    if (direct.length > maxField) throw badField('answer');
    return direct;
  }
  const entries: Array<[string, unknown]> =
    direct !== undefined && direct !== null
      ? isPlainObject(direct) ? Object.entries(direct) : (() => { throw badField('answer'); })()
      : Object.entries(body).flatMap(([key, value]) => {
          const match = /^answer\[([^\]]{1,64})\]$/.exec(key);
          return match ? [[match[1] as string, value] as [string, unknown]] : [];
        });
  if (entries.length === 0) return undefined;
  if (entries.length > maxQuestions) throw badField('answer');
  const answers: Record<string, string> = Object.create(null);
  for (const [id, value] of entries) {
    if (typeof value !== 'string' || value.length > maxField || id.length > 64) throw badField('answer');
    answers[id] = value;
  }
  return answers;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSequence(body: Record<string, unknown>): number | undefined {
  const raw = body.sequence ?? body.seq;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw badField('sequence');
  return value;
}

/**
 * Builds the action input from a parsed body (JSON or form). `action` comes from the
 * route, or from the body's `action` field when the strategy is used on a single route.
 */
export function parseActionInput(rawBody: unknown, action?: ActionName): ActionInput {
  const body: Record<string, unknown> = isPlainObject(rawBody) ? rawBody : {};
  const name = action ?? body.action;
  if (typeof name !== 'string' || !(actionNames as readonly string[]).includes(name)) throw badField('action');
  const input: ActionInput = { action: name as ActionName };
  const transactionId = optionalString(body, 'tx', 64) ?? optionalString(body, 'transactionId', 64);
  const sequence = readSequence(body);
  const mechanism = optionalString(body, 'mechanism', 64);
  const returnTo = optionalString(body, 'returnTo', 2048);
  if (transactionId !== undefined) input.transactionId = transactionId;
  if (sequence !== undefined) input.sequence = sequence;
  if (mechanism !== undefined) input.mechanism = mechanism;
  if (returnTo !== undefined) input.returnTo = returnTo;
  const remember = body.rememberDevice;
  if (remember === true || remember === 'on' || remember === 'true') input.rememberDevice = true;
  else if (remember !== undefined && remember !== false && remember !== 'false' && remember !== '') throw badField('rememberDevice');
  if (input.action === 'start') {
    const username = optionalString(body, 'username', 256)?.trim();
    if (!username) throw badField('username');
    input.username = username;
  } else {
    if (input.transactionId === undefined) throw badField('tx');
    const answer = readAnswer(body);
    if (answer !== undefined) input.answer = answer;
    if (input.action === 'answer' && input.answer === undefined) throw badField('answer');
    if ((input.action === 'answer' || input.action === 'select') && input.mechanism === undefined) throw badField('mechanism');
  }
  return input;
}
