/**
 * The normalized step: what a login page renders, whatever the provider.
 * It holds no secret and no upstream handle: mechanism ids are local to the
 * login transaction and mean nothing upstream.
 */
import type { ErrorCode, ErrorDetails } from './errors.js';

/** What the user has to do for a mechanism. */
export type MechanismType =
  | 'password' // type the account password
  | 'new-password' // choose a new password (expired password); with `fields`, also what the account still needs
  | 'otp' // type a one-time code (SMS, e-mail, authenticator app)
  | 'push' // approve a notification on a device (a code may also be typed)
  | 'phone-call' // answer a phone call
  | 'link' // click a link sent by e-mail (a code may also be typed)
  | 'question' // answer one or more security questions
  | 'phone-number' // type a phone number (to enroll SMS): answer `fields`
  | 'consent' // terms of use: answer "accept" or "decline"
  | 'skip' // skip an optional step (e.g. enrollment)
  | 'unsupported'; // offered upstream, but not drivable here (e.g. FIDO2)

/** One security question of a `question` mechanism. */
export interface SecurityQuestion {
  /** Local id to key the answer with. */
  id: string;
  text: string;
  /** The hint the user set for this question, when the upstream shows it. */
  hint?: string;
}

/** One input of a mechanism that takes several values (answered as an object keyed by `id`). */
export interface MechanismField {
  id: string;
  label: string;
  /** Hint for the input's `inputmode`/`type`. */
  inputMode?: 'text' | 'tel' | 'numeric' | 'email';
  /** The HTML `autocomplete` token for browsers to fill it in (e.g. `given-name`, `email`), when known. */
  autocomplete?: string;
}

/** The id of the new password's own field in a `new-password` mechanism that has `fields`. */
export const NEW_PASSWORD_FIELD = 'newPassword';

/** A way to satisfy the current challenge. */
export interface Mechanism {
  /** Local id, valid only in this transaction and step. */
  id: string;
  type: MechanismType;
  /** Short label for a chooser, e.g. "Text message (SMS) to XXX-6098". */
  label: string;
  /** Instruction once chosen, e.g. "Enter the code sent to your phone". */
  prompt: string;
  /** Masked phone number ("•••• 6098") or e-mail domain ("•••@example.com"), one format whatever the upstream sends. */
  maskedAddress?: string;
  /** The device a code or notification goes to, as the upstream names it (e.g. "Joe's iPhone"). Never the person's name. */
  device?: string;
  /** The upstream's own wording of the prompt, when it had one and it differs from `prompt` (e.g. CyberArk's "Enter OTP sent to…"). */
  upstreamPrompt?: string;
  /** Language of `prompt` when the upstream says (BCP 47, e.g. `en` for terms of use). */
  lang?: string;
  /** For `question`: the questions to answer, all of them. */
  questions?: SecurityQuestion[];
  /**
   * For `phone-number` and similar: the inputs, answered as `{ [field.id]: value }`. For
   * `new-password`, when the account must also fill in details (e.g. a name the directory
   * requires): the field {@link NEW_PASSWORD_FIELD} is the new password, the others are text.
   */
  fields?: MechanismField[];
  /** Sets up a new method (enrollment) rather than using an enrolled one. */
  enroll?: boolean;
  /** Enrolling an authenticator app: the QR code to scan, as a `data:image/…` URL. */
  qrCode?: string;
  /** Enrolling an authenticator app: the key to type when the QR code cannot be scanned. */
  secret?: string;
  /** For `new-password`: the upstream's password policy text. */
  hint?: string;
  /** For `link`: a page the user must open (e.g. their organization's sign-in page); always http(s). */
  url?: string;
  /** Offered, but locked after too many failures in this login (shown greyed out; `type` is then `unsupported`). */
  locked?: boolean;
  /** On a `pending` step: whether a typed code is accepted as well as the approval (show a code form too). */
  acceptsCode?: boolean;
  /** On an `answer` or `pending` step: whether the code or notification can be sent again (`resend`). */
  resendable?: boolean;
}

/**
 * Step kinds: choose a mechanism (`select`), type something (`answer`: a password, code,
 * answers, new password, phone number, consent), wait for an approval made elsewhere
 * (`pending`: push, phone call, e-mail link, an authenticator being registered; a code may
 * also be typed when the mechanism says `acceptsCode`), finished (`done`) or failed (`failed`).
 */
export type StepKind = 'select' | 'answer' | 'pending' | 'done' | 'failed';

/** The step a page renders. */
export interface Step {
  kind: StepKind;
  /** `select`: the choices; `answer`/`pending`: the one mechanism in play. */
  mechanisms: Mechanism[];
  /** Which challenge of how many (1-based), when the upstream says. */
  challenge?: { index: number; count: number };
  /** A notice from the upstream or the library (e.g. "Your password has expired"). Safe to show. */
  message?: string;
  /**
   * Poll the `poll` action after this many milliseconds. Always set on `pending` steps (the
   * user approves elsewhere). Set on an `answer` step when the login may also complete
   * without typing (e.g. a texted code whose message also carries a link): show the code
   * form and poll quietly in the background. Unset on other `answer` steps: do not poll.
   */
  pollAfterMs?: number;
  /** "Try another way": the `alternatives` action lists the user's other methods. */
  alternatives?: boolean;
  /** "Remember this device" may be offered: send `rememberDevice` with the answer (for `days` days). */
  rememberDevice?: { days?: number };
  /** `pending`: a number to match on the device (number matching). */
  matchNumber?: string;
  /** `failed`: stable error code and details. */
  error?: { code: ErrorCode; message: string; details?: ErrorDetails };
  /** Increases whenever the step changes; forms send it back so stale or replayed forms are refused. */
  sequence: number;
}

/** What a provider reports after each upstream exchange, before the core stamps `sequence`. */
export type ProviderStep = Omit<Step, 'sequence'>;
