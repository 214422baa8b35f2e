/**
 * The inputs of each mechanism type: password, new password, one-time code, security
 * questions, phone number fields, the authenticator app set-up (QR code and key), and
 * "remember this device". Every input has a label, an autocomplete hint and, where the page
 * has one, the prompt as its description.
 */
import { plainLabel } from '../../mechanism-text.js';
import { type Mechanism, type MechanismField, NEW_PASSWORD_FIELD, type Step } from '../../step.js';
import { attr, escapeHtml } from './escape.js';
import type { Strings } from './strings.js';

/** A FIDO2 security key: named by the shared plain label (the core's one name for it, whatever the provider). */
export function isSecurityKey(m: Mechanism): boolean {
  return m.type === 'unsupported' && !m.locked && m.label === plainLabel('security-key');
}

/** A hardware key that types its code (e.g. 44 modhex letters): no numeric keypad, no digit pattern. */
function typesLetters(m: Mechanism): boolean {
  return m.label === plainLabel('hardware-code');
}

/** Whether the mechanism shows an authenticator app set-up (QR code or key). */
export function setsUpApp(m: Mechanism): boolean {
  return m.enroll === true && Boolean(m.qrCode || m.secret);
}

/** The masked address, unless `text` already shows it (labels and prompts often do). */
export function addressNotIn(m: Mechanism, text: string): string {
  const address = m.maskedAddress ?? '';
  const core = address.replace(/^[…*.•@\s]+/, '');
  return core && text.includes(core) ? '' : address;
}

/** "Sent to …", unless the prompt or label already says where. */
export function sentTo(t: Strings, m: Mechanism): string {
  const destination = addressNotIn(m, `${m.prompt} ${m.label}`) || (m.device && !`${m.prompt} ${m.label}`.includes(m.device) ? m.device : '');
  return destination ? `<p class="ms-muted">${escapeHtml(t('mechanism.sentTo', { destination }))}</p>` : '';
}

/** The prompt as a paragraph the input is described by (`ms-prompt`), or '' when it is empty. */
export function promptParagraph(m: Mechanism): string {
  return m.prompt ? `<p id="ms-prompt"${attr('lang', m.lang)}>${escapeHtml(m.prompt)}</p>` : '';
}

/** The one-time code input (always `name="answer"`). */
export function codeInput(t: Strings, m: Mechanism, label: string, options: { autofocus: boolean; describedBy?: string }): string {
  const letters = typesLetters(m);
  return `<label for="ms-code">${escapeHtml(label)}</label>
<input type="text" id="ms-code" name="answer" inputmode="${letters ? 'text' : 'numeric'}" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required${attr('aria-describedby', options.describedBy)}${attr('autofocus', options.autofocus)}>`;
}

/** Setting up an authenticator app: the QR code (a data:image URL, allowed by `img-src data:`) and the key to type. */
export function authenticatorSetup(t: Strings, m: Mechanism): string {
  const parts: string[] = [];
  // Only a base64 image data URL is ever put in src: nothing that could load from elsewhere.
  if (m.qrCode && /^data:image\/(?:png|gif|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(m.qrCode)) {
    parts.push(`<div class="ms-qr"><img src="${escapeHtml(m.qrCode)}" alt="${escapeHtml(t('mechanism.qrCode.alt'))}" width="200" height="200"></div>`);
  }
  if (m.secret) {
    // Groups of four are easier to type; authenticator apps ignore the spaces.
    const grouped = m.secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
    // Read-only, wrapping, no name (never submitted): labelled, focusable and easy to copy.
    parts.push(`<label for="ms-secret">${escapeHtml(t('mechanism.secret.label'))}</label>
<textarea id="ms-secret" class="ms-secret" rows="2" readonly autocomplete="off" spellcheck="false">${escapeHtml(grouped)}</textarea>`);
  }
  return parts.join('\n');
}

/** "Remember this device" (posted as `rememberDevice=on`) when the step offers it. */
export function rememberDeviceBox(t: Strings, step: Step): string {
  if (!step.rememberDevice) return '';
  const days = step.rememberDevice.days;
  const text = days === undefined ? t('mechanism.rememberDevice')
    : days === 1 ? t('mechanism.rememberDevice.days.one') : t('mechanism.rememberDevice.days.other', { days });
  return `<label class="ms-check"><input type="checkbox" name="rememberDevice" value="on"> ${escapeHtml(text)}</label>`;
}

/**
 * The account name for password managers, next to a password field: hidden and unnamed (never
 * posted), so that a saved password is offered for, and saved under, the right account.
 */
function accountField(username: string): string {
  return `<input type="text" autocomplete="username" value="${escapeHtml(username)}" hidden readonly tabindex="-1" aria-hidden="true">`;
}

/** The inputs of an answer step's mechanism (everything but consent, which has its own form). */
export function answerInputs(t: Strings, m: Mechanism, username: string): string {
  switch (m.type) {
    case 'password':
      return `${accountField(username)}
<label for="ms-password">${escapeHtml(t('mechanism.password.label'))}</label>
<input type="password" id="ms-password" name="answer" autocomplete="current-password" required autofocus>`;
    case 'new-password': {
      // With fields (details the account still needs), every input is posted as answer[<id>].
      const keyed = Boolean(m.fields?.length);
      const password = `<label for="ms-new-password">${escapeHtml(t('mechanism.new-password.label'))}</label>
<input type="password" id="ms-new-password" name="${keyed ? `answer[${NEW_PASSWORD_FIELD}]` : 'answer'}" autocomplete="new-password" required autofocus${attr('aria-describedby', m.hint ? 'ms-password-hint' : undefined)}>
${m.hint ? `<p class="ms-hint" id="ms-password-hint">${escapeHtml(m.hint)}</p>` : ''}`;
      const others = (m.fields ?? []).filter((f) => f.id !== NEW_PASSWORD_FIELD).map((f, i) => fieldInput(f, i, true, false));
      return [accountField(username), promptParagraph(m), password, ...others].join('\n');
    }
    case 'question': {
      const questions = m.questions?.length ? m.questions : [{ id: 'answer', text: m.prompt || t('mechanism.question.label') }];
      // Ids by position: upstream question ids are not guaranteed to be valid HTML ids.
      return questions.map((q, i) => `<label for="ms-question-${i}">${escapeHtml(q.text)}</label>
<input type="text" id="ms-question-${i}" name="${escapeHtml(m.questions?.length ? `answer[${q.id}]` : 'answer')}" autocomplete="off" spellcheck="false" required${attr('aria-describedby', q.hint ? `ms-question-${i}-hint` : undefined)}${attr('autofocus', i === 0)}>
${q.hint ? `<p class="ms-hint" id="ms-question-${i}-hint">${escapeHtml(q.hint)}</p>` : ''}`).join('\n');
    }
    case 'phone-number': {
      const fields: MechanismField[] = m.fields?.length ? m.fields : [{ id: 'phone', label: t('mechanism.phone-number.label'), inputMode: 'tel' }];
      return `${promptParagraph(m)}\n${fields.map((f, i) => fieldInput(f, i, Boolean(m.fields?.length))).join('\n')}`;
    }
    default: {
      const parts: string[] = [];
      if (setsUpApp(m)) parts.push(authenticatorSetup(t, m));
      parts.push(promptParagraph(m));
      parts.push(sentTo(t, m));
      parts.push(codeInput(t, m, t('mechanism.otp.label'), { autofocus: true, ...(m.prompt ? { describedBy: 'ms-prompt' } : {}) }));
      return parts.filter(Boolean).join('\n');
    }
  }
}

/** Browser autofill hints for the well-known field ids; anything else is left alone. */
const fieldAutocomplete: Record<string, string> = { countryCode: 'tel-country-code', phoneNumber: 'tel-national' };

/** One labelled input of a mechanism's `fields`, posted as `answer[<id>]` (or `answer` for the single built-in field). */
function fieldInput(f: MechanismField, index: number, keyed: boolean, first = index === 0): string {
  const inputMode = f.inputMode ?? 'text';
  const type = inputMode === 'tel' ? 'tel' : inputMode === 'email' ? 'email' : 'text';
  const autocomplete = f.autocomplete ?? fieldAutocomplete[f.id] ?? (keyed ? 'off' : 'tel');
  return `<label for="ms-field-${index}">${escapeHtml(f.label)}</label>
<input type="${type}" id="ms-field-${index}" name="${escapeHtml(keyed ? `answer[${f.id}]` : 'answer')}" inputmode="${escapeHtml(inputMode)}" autocomplete="${escapeHtml(autocomplete)}" spellcheck="false" required${attr('autofocus', first)}>`;
}
