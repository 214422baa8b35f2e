/**
 * Locals and steps for the built-in pages' unit tests: one of every page kind, step kind and
 * mechanism shape the step model documents, plus a small HTML reader (no DOM in these tests).
 */
import { ErrorCodes, type ErrorCode } from '../../../lib/errors.js';
import type { Mechanism, Step } from '../../../lib/step.js';
import type { ErrorPageLocals, PageActions, PageLocals, StartPageLocals, StepPageLocals } from '../../../lib/web/page-locals.js';

export const assetBase = '/login/assets/';

export const actions: PageActions = {
  start: '/login/start', step: '/login/step', select: '/login/select', answer: '/login/answer', poll: '/login/poll',
  resend: '/login/resend', alternatives: '/login/alternatives', cancel: '/login/cancel', logout: '/login/logout',
};

const base = { csrfToken: 'csrf-token-1', csrfField: '_csrf', actions };

export function startLocals(extra: Partial<StartPageLocals> = {}): StartPageLocals {
  return { ...base, page: 'start', ...extra };
}

export function stepLocals(step: Omit<Step, 'sequence'> & { sequence?: number }, extra: Partial<StepPageLocals> = {}): StepPageLocals {
  return { ...base, page: 'step', transactionId: 'tx-1', username: 'bob', step: { sequence: 3, ...step }, ...extra };
}

export function errorLocals(code: ErrorCode, extra: Partial<ErrorPageLocals> = {}): ErrorPageLocals {
  return { ...base, page: 'error', error: { code, message: ErrorCodes[code].message }, status: ErrorCodes[code].status, ...extra };
}

const sms: Mechanism = {
  id: 'm1', type: 'otp', label: 'Text message to •••• 6098', prompt: 'Enter the code sent by text message to •••• 6098.', maskedAddress: '•••• 6098',
};

/** One step of every kind and shape, by name. */
export const steps: Record<string, Omit<Step, 'sequence'>> = {
  'select': {
    kind: 'select', alternatives: false, challenge: { index: 2, count: 2 },
    mechanisms: [
      sms,
      { id: 'm2', type: 'push', label: 'Notification to Joe’s phone', prompt: 'Approve the notification.', device: 'Joe’s phone' },
      { id: 'm3', type: 'unsupported', label: 'Security key', prompt: '' },
      { id: 'm4', type: 'unsupported', label: 'Text message to •••• 1111', prompt: '', locked: true },
      { id: 'm5', type: 'unsupported', label: 'Smart card', prompt: '' },
    ],
  },
  'select-enroll': {
    kind: 'select',
    mechanisms: [
      { id: 'e1', type: 'otp', label: 'Authenticator app', prompt: '', enroll: true },
      { id: 'e2', type: 'phone-number', label: 'Text message (SMS)', prompt: '', enroll: true },
      { id: 'skip', type: 'skip', label: 'Skip', prompt: 'You can set one up later.' },
    ],
  },
  'answer-password': { kind: 'answer', mechanisms: [{ id: 'pw', type: 'password', label: 'Password', prompt: 'Enter your password.' }] },
  'answer-new-password': {
    kind: 'answer', message: 'Your password has expired.',
    mechanisms: [{ id: 'np', type: 'new-password', label: 'New password', prompt: 'Choose a new password.', hint: 'At least 12 characters.' }],
  },
  'answer-new-password-fields': {
    kind: 'answer', message: 'Your password must be changed before you sign in.',
    mechanisms: [{
      id: 'np', type: 'new-password', label: 'New password', prompt: 'Choose a new password.',
      fields: [{ id: 'newPassword', label: 'New password' }, { id: 'given_name', label: 'First name', inputMode: 'text', autocomplete: 'given-name' }, { id: 'email', label: 'E-mail address', inputMode: 'email' }],
    }],
  },
  'answer-otp': { kind: 'answer', alternatives: true, rememberDevice: { days: 30 }, mechanisms: [{ ...sms, resendable: true }] },
  'answer-otp-polled': { kind: 'answer', pollAfterMs: 3000, mechanisms: [{ ...sms, resendable: true }] },
  'answer-hardware-code': { kind: 'answer', mechanisms: [{ id: 'yk', type: 'otp', label: 'Security key code', prompt: 'Touch your security key to enter its code.' }] },
  'answer-questions': {
    kind: 'answer',
    mechanisms: [{
      id: 'q', type: 'question', label: 'Security questions', prompt: 'Answer your security questions.',
      questions: [{ id: 'pet', text: 'Name of your first pet?', hint: 'furry' }, { id: 'town', text: 'Town you were born in?' }],
    }],
  },
  'answer-phone-number': {
    kind: 'answer',
    mechanisms: [{
      id: 'ph', type: 'phone-number', label: 'Text message (SMS)', prompt: 'We will send a code to this number.', enroll: true,
      fields: [{ id: 'countryCode', label: 'Country code', inputMode: 'tel' }, { id: 'phoneNumber', label: 'Mobile number', inputMode: 'tel' }],
    }],
  },
  'answer-consent': { kind: 'answer', mechanisms: [{ id: 'tou', type: 'consent', label: 'Terms of use', prompt: 'Use for authorised purposes only.', lang: 'en' }] },
  'answer-totp-enroll': {
    kind: 'answer',
    mechanisms: [{ id: 'app', type: 'otp', label: 'Authenticator app', prompt: 'Enter the code your app shows.', enroll: true, qrCode: 'data:image/png;base64,iVBORw0KGgo=', secret: 'JBSWY3DPEHPK3PXP' }],
  },
  'pending-push': {
    kind: 'pending', pollAfterMs: 2000, alternatives: true, matchNumber: '42',
    mechanisms: [{ id: 'p', type: 'push', label: 'Notification to Joe’s phone', prompt: 'Approve the notification sent to Joe’s phone.', device: 'Joe’s phone', acceptsCode: true }],
  },
  'pending-phone-call': { kind: 'pending', pollAfterMs: 2000, mechanisms: [{ id: 'c', type: 'phone-call', label: 'Phone call to •••• 6098', prompt: 'Answer the call to •••• 6098.', maskedAddress: '•••• 6098' }] },
  'pending-link': {
    kind: 'pending', pollAfterMs: 2000,
    mechanisms: [{ id: 'l', type: 'link', label: 'E-mail to •••@example.com', prompt: 'Open the link we sent.', maskedAddress: '•••@example.com', acceptsCode: true, resendable: true }],
  },
  'pending-federated': {
    kind: 'pending', pollAfterMs: 2000,
    mechanisms: [{ id: 'idp', type: 'link', label: 'Sign in with your organization', prompt: 'Open your organization’s sign-in page, sign in, then enter the PIN it shows.', url: 'https://idp.example.com/sso?x=1&y=2', acceptsCode: true }],
  },
  'pending-totp-enroll': {
    kind: 'pending', pollAfterMs: 2000,
    mechanisms: [{ id: 'app', type: 'otp', label: 'Authenticator app', prompt: 'Scan the QR code with your authenticator app.', enroll: true, qrCode: 'data:image/png;base64,iVBORw0KGgo=', secret: 'JBSWY3DPEHPK3PXP' }],
  },
  'done': { kind: 'done', mechanisms: [] },
  'failed': { kind: 'failed', mechanisms: [], error: { code: 'OOB_DENIED', message: ErrorCodes.OOB_DENIED.message } },
};

/** Every page the unit tests render: the start page (plain and with a flash), every step, every error code. */
export function everyPage(): Array<{ name: string; locals: PageLocals }> {
  const pages: Array<{ name: string; locals: PageLocals }> = [
    { name: 'start', locals: startLocals() },
    { name: 'start-flash', locals: startLocals({ username: 'bob', flash: { code: 'AUTH_FAILED', message: ErrorCodes.AUTH_FAILED.message } }) },
  ];
  for (const [name, step] of Object.entries(steps)) pages.push({ name: `step-${name}`, locals: stepLocals(step) });
  for (const code of Object.keys(ErrorCodes) as ErrorCode[]) pages.push({ name: `error-${code}`, locals: errorLocals(code) });
  return pages;
}

// ------------------------------------------------------------------ reading HTML without a DOM

/** Every start tag of `tag` with its attributes (values unescaped only for &quot; and &amp;). */
export function tags(html: string, tag: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attrs: Record<string, string> = {};
    for (const a of (match[1] ?? '').matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) attrs[a[1]!.toLowerCase()] = (a[2] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    out.push(attrs);
  }
  return out;
}

/** The page without `<noscript>` content (what a browser with JavaScript shows). */
export function withoutNoscript(html: string): string {
  return html.replace(/<noscript>[\s\S]*?<\/noscript>/g, '');
}

/** Visible form fields (not hidden inputs) with neither a `<label for>` nor an enclosing `<label>`. */
export function unlabelledFields(html: string): string[] {
  const page = withoutNoscript(html);
  const labelled = new Set(tags(page, 'label').map((l) => l.for).filter(Boolean));
  const problems: string[] = [];
  for (const match of page.matchAll(/<(input|textarea|select)\b([^>]*)>/gi)) {
    const attrs = tags(match[0], match[1]!)[0] ?? {};
    if (attrs.type === 'hidden' || 'hidden' in attrs) continue;
    const before = page.slice(0, match.index);
    const insideLabel = before.lastIndexOf('<label') > before.lastIndexOf('</label>');
    if (!(attrs.id && labelled.has(attrs.id)) && !insideLabel && !attrs['aria-label']) problems.push(match[0]);
  }
  return problems;
}

/** The text content of the first element with `id` (tags stripped, entities left). */
export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match?.[2]?.replace(/<[^>]+>/g, '').trim();
}
