/**
 * The demo's pages: plain functions that return HTML strings. No template engine,
 * no framework, no external assets: copy this file as a starting point for your own
 * login pages.
 *
 * Every interpolated value goes through `escapeHtml` (or `attr`), including values
 * that come from the library or the identity service: prompts, labels and messages
 * are safe to show as text, never as markup.
 */
import type { Mechanism, MechanismField, PageLocals, Step } from '../../lib/index.js';

/** Values every page needs besides the library's locals. */
export interface ViewContext {
  /** CSP nonce of this response, for the inline `<script>`. */
  nonce: string;
  /** The identity provider of this login page (its name, start page, simulator). Unset on the app's own pages. */
  provider?: ProviderInfo;
  /** Every provider the app offers (the home page's sign-in buttons). */
  providers: ProviderInfo[];
}

/** One identity provider the demo offers. */
export interface ProviderInfo {
  /** Stable key, kept in the signed-in user (`DemoUser.provider`). */
  key: string;
  /** Display name, e.g. "Oracle IDCS". */
  name: string;
  /** The router's start page, e.g. `/idcs/login/`. */
  loginUrl: string;
  /** Set when this provider is the bundled simulator: its control page ("the phone") and demo users. */
  simulator?: SimulatorInfo;
}

export interface SimulatorInfo {
  controlUrl: string;
  /** What the control page lets you do, e.g. "approve pushes and read SMS / e-mail codes". */
  controlPurpose?: string;
  users: Array<{ username: string; password: string; description?: string }>;
}

/** The user the demo keeps in its session. */
export interface DemoUser {
  id: string;
  username: string;
  name: string;
  email?: string;
  /** `ProviderInfo.key` of the provider the user signed in with: logout goes through its router. */
  provider: string;
}

// ------------------------------------------------------------------ escaping

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/** An attribute, escaped; nothing at all for undefined/false. */
function attr(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined || value === false) return '';
  if (value === true) return ` ${name}`;
  return ` ${name}="${escapeHtml(value)}"`;
}

// ------------------------------------------------------------------ layout

function layout(ctx: ViewContext, title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · passport-multistep demo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
${body}
</main>
${script ? `<script nonce="${escapeHtml(ctx.nonce)}">${script}</script>` : ''}
</body>
</html>`;
}

/**
 * What the demo adds to a few of the library's (short, fixed) messages, by stable error code:
 * the message says what happened, the hint what the user can do about it.
 */
const flashHints: Partial<Record<string, string>> = {
  MECHANISM_UNSUPPORTED: 'Security keys (FIDO2) cannot be used here: register another method, such as an authenticator app, or ask your administrator.',
  REGISTRATION_REQUIRED: 'Your account has no sign-in method for the second step yet. Ask your administrator how to register one.',
};

/**
 * The page's one alert box: the flash (the message of the last failure, by stable error code),
 * or empty and hidden, for the step script to fill (a failed poll, a resend refused as too soon).
 */
function flashBox(flash: PageLocals['flash']): string {
  if (!flash) return '<div id="page-alert" class="alert" role="alert" hidden></div>';
  const hint = flashHints[flash.code];
  return `<div id="page-alert" class="alert" role="alert" data-code="${escapeHtml(flash.code)}">${escapeHtml(flash.message)}${hint ? `<br><span class="alert-hint">${escapeHtml(hint)}</span>` : ''}</div>`;
}

function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`;
}

/** Hidden fields every step form sends back: transaction, step sequence, CSRF token. */
function stepFields(locals: PageLocals, step: Step): string {
  return `<input type="hidden" name="tx" value="${escapeHtml(locals.transactionId)}">
<input type="hidden" name="seq" value="${escapeHtml(step.sequence)}">
${csrfField(locals.csrfToken)}`;
}

/** "Demo: open the simulator's phone…" — only when the page's provider is the bundled simulator. */
function simulatorHint(ctx: ViewContext, withUsers: boolean, provider = ctx.provider): string {
  const sim = provider?.simulator;
  if (!sim) return '';
  const users = withUsers
    ? `<p>Demo users (password <code>&lt;name&gt;-pw</code>):</p>
<ul class="users">
${sim.users.map((u) => `<li><code>${escapeHtml(u.username)}</code> / <code>${escapeHtml(u.password)}</code>${u.description ? ` — ${escapeHtml(u.description)}` : ''}</li>`).join('\n')}
</ul>`
    : '';
  return `<aside class="note" aria-label="${escapeHtml(`Demo help: ${provider.name}`)}">
<p>Demo: open the ${escapeHtml(provider.name)} simulator's phone at <a href="${escapeHtml(sim.controlUrl)}" target="_blank" rel="noopener">${escapeHtml(sim.controlUrl)}</a> to ${escapeHtml(sim.controlPurpose ?? 'approve pushes and read SMS / e-mail codes')}.</p>
${users}
</aside>`;
}

// ------------------------------------------------------------------ login pages

/** The `render` option of `strategy.router()`: the start page or the current step. */
export function loginPage(locals: PageLocals, ctx: ViewContext): string {
  if (locals.page === 'start' || !locals.step) return startPage(locals, ctx);
  return stepPage(locals, locals.step, ctx);
}

export function startPage(locals: PageLocals, ctx: ViewContext): string {
  const title = ctx.provider ? `Sign in with ${ctx.provider.name}` : 'Sign in';
  const others = ctx.providers.filter((p) => p.key !== ctx.provider?.key);
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="muted">Enter your user name to begin.</p>
${flashBox(locals.flash)}
<form method="post" action="${escapeHtml(locals.actions.start)}">
${csrfField(locals.csrfToken)}
<label for="username">User name</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus${attr('value', locals.username)}>
<button type="submit" class="primary">Continue</button>
</form>
${others.length ? `<p class="muted">Or sign in with ${others.map((p) => `<a href="${escapeHtml(p.loginUrl)}">${escapeHtml(p.name)}</a>`).join(' · ')} · <a href="/">Home</a></p>` : ''}
${simulatorHint(ctx, true)}`;
  return layout(ctx, title, body);
}

function stepPage(locals: PageLocals, step: Step, ctx: ViewContext): string {
  const position = step.challenge && step.challenge.count > 1 ? ` · step ${step.challenge.index} of ${step.challenge.count}` : '';
  const via = ctx.provider ? ` · ${ctx.provider.name}` : '';
  const header = `<h1>${escapeHtml(headingOf(step))}</h1>
<p class="muted">Signing in as <strong>${escapeHtml(locals.username)}</strong>${escapeHtml(via + position)}</p>
${flashBox(locals.flash)}
${step.message ? `<p class="note" role="status">${escapeHtml(step.message)}</p>` : ''}`;

  let content: string;
  let script = '';
  switch (step.kind) {
    case 'select':
      content = `${selectForm(locals, step)}\n${moreOptions(locals, step)}\n${simulatorHint(ctx, false)}`;
      break;
    case 'answer':
      content = `${answerForm(locals, step)}\n${moreOptions(locals, step)}\n${needsPhone(step) ? simulatorHint(ctx, false) : ''}`;
      if (step.mechanisms[0]?.resendable) script = stepScript;
      break;
    case 'pending':
      content = `${pendingContent(locals, step)}\n${moreOptions(locals, step)}\n${simulatorHint(ctx, false)}`;
      script = stepScript;
      break;
    case 'done':
      content = `<p>You are signed in.</p><p><a href="/">Continue</a></p>`;
      break;
    default:
      content = `<div class="alert" role="alert">${escapeHtml(step.error?.message ?? 'The sign-in cannot continue.')}</div>
<p><a href="${escapeHtml(startUrl(locals))}">Start again</a></p>`;
  }
  const showCancel = step.kind === 'select' || step.kind === 'answer' || step.kind === 'pending';
  const footer = showCancel
    ? `<div class="row">
<form class="inline" method="post" action="${escapeHtml(locals.actions.cancel)}">
<input type="hidden" name="tx" value="${escapeHtml(locals.transactionId)}">
${csrfField(locals.csrfToken)}
<button type="submit" class="link">Cancel sign-in</button>
</form>
</div>`
    : '';
  return layout(ctx, headingOf(step), `${header}\n${content}\n${footer}`, script);
}

/** Whether the user needs the simulated phone (codes, authenticator app) for this answer step. */
function needsPhone(step: Step): boolean {
  const type = step.mechanisms[0]?.type;
  return type === 'otp' || type === 'link' || type === 'phone-number';
}

function headingOf(step: Step): string {
  const m = step.mechanisms[0];
  switch (step.kind) {
    case 'select':
      return step.mechanisms.some((x) => x.enroll) && step.mechanisms.every((x) => x.enroll || x.type === 'skip')
        ? 'Set up a sign-in method'
        : 'Verify it’s you';
    case 'pending':
      if (m?.enroll && (m.qrCode || m.secret)) return 'Set up your authenticator app';
      return m?.type === 'otp' ? 'Enter your code' : 'Waiting for approval';
    case 'done': return 'Signed in';
    case 'failed': return 'Sign-in failed';
    default: {
      const type = m?.type;
      if (type === 'password') return 'Enter your password';
      if (type === 'new-password') return 'Choose a new password';
      if (type === 'question') return 'Security questions';
      if (type === 'consent') return m?.label || 'Terms of use';
      if (type === 'phone-number') return 'Add your phone number';
      if (m?.enroll && (m.qrCode || m.secret)) return 'Set up your authenticator app';
      return 'Enter your code';
    }
  }
}

/** The start page's path (the router's `/`), derived from the start action. */
function startUrl(locals: PageLocals): string {
  return locals.actions.start.replace(/start$/, '');
}

/** The current step page (where the step script goes when the login has moved on). */
function stepUrl(locals: PageLocals): string {
  return `${locals.actions.step}?tx=${encodeURIComponent(locals.transactionId ?? '')}`;
}

/**
 * A choice of methods: one button per mechanism (unsupported ones disabled), "Set up …"
 * for enrollment, and "skip" mechanisms ("Not now") as a secondary button below.
 */
function selectForm(locals: PageLocals, step: Step): string {
  const choices = step.mechanisms.filter((m) => m.type !== 'skip');
  const skips = step.mechanisms.filter((m) => m.type === 'skip');
  const enrolling = choices.length > 0 && choices.every((m) => m.enroll);
  const buttons = choices.map((m) => {
    const unsupported = m.type === 'unsupported';
    const detail = unsupported ? 'Not available here' : addressNotInLabel(m);
    const label = m.enroll ? `Set up ${m.label}` : m.label;
    return `<button type="submit" class="choice" name="mechanism" value="${escapeHtml(m.id)}"${attr('disabled', unsupported)}>
${escapeHtml(label)}${detail ? `<small>${escapeHtml(detail)}</small>` : ''}
</button>`;
  });
  const skipButtons = skips.map((m) => `<div class="skip">
<button type="submit" class="secondary" name="mechanism" value="${escapeHtml(m.id)}"${m.prompt ? ` aria-describedby="skip-${escapeHtml(m.id)}"` : ''}>${escapeHtml(m.label)}</button>
${m.prompt ? `<p class="hint" id="skip-${escapeHtml(m.id)}">${escapeHtml(m.prompt)}</p>` : ''}
</div>`);
  return `<form method="post" action="${escapeHtml(locals.actions.select)}">
${stepFields(locals, step)}
${buttons.length ? `<fieldset>
<legend>${enrolling ? 'Choose a sign-in method to set up' : 'Choose how to verify'}</legend>
<div class="choices">
${buttons.join('\n')}
</div>
</fieldset>` : ''}
${skipButtons.join('\n')}
</form>`;
}

/** The masked address, unless the label already shows it (CyberArk and IDCS labels often do). */
function addressNotInLabel(m: Mechanism, label = m.label): string {
  const address = m.maskedAddress ?? '';
  const core = address.replace(/^[…*.@\s]+/, '');
  return core && label.includes(core) ? '' : address;
}

/** "Sent to …", unless the prompt already says where (OAA's "Enter OTP sent to o***@example.com."). */
function sentTo(m: Mechanism): string {
  const address = addressNotInLabel(m, m.prompt) || (m.device && !m.label.includes(m.device) ? m.device : '');
  return address ? `<p class="muted">Sent to ${escapeHtml(address)}</p>` : '';
}

function answerForm(locals: PageLocals, step: Step): string {
  const mechanism = step.mechanisms[0];
  if (!mechanism) return `<p><a href="${escapeHtml(startUrl(locals))}">Start again</a></p>`;
  if (mechanism.type === 'consent') return consentForm(locals, step, mechanism);
  return `<form method="post" action="${escapeHtml(locals.actions.answer)}">
${stepFields(locals, step)}
<input type="hidden" name="mechanism" value="${escapeHtml(mechanism.id)}">
${answerInputs(mechanism)}
${rememberDeviceBox(step)}
<button type="submit" class="primary">${mechanism.type === 'new-password' ? 'Change password' : 'Continue'}</button>
</form>`;
}

/** Terms of use: the text in a scrollable (keyboard-focusable) box, "I accept" or "Decline". */
function consentForm(locals: PageLocals, step: Step, m: Mechanism): string {
  return `<div class="terms" id="terms" tabindex="0" role="region" aria-label="${escapeHtml(m.label || 'Terms of use')}">${escapeHtml(m.prompt)}</div>
<form method="post" action="${escapeHtml(locals.actions.answer)}">
${stepFields(locals, step)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
<div class="actions">
<button type="submit" class="secondary" name="answer" value="decline">Decline</button>
<button type="submit" class="primary" name="answer" value="accept" aria-describedby="terms" autofocus>I accept</button>
</div>
</form>`;
}

/** "Remember this device" (sent as `rememberDevice=on`), inside the answer form, when the upstream offers it. */
function rememberDeviceBox(step: Step): string {
  if (!step.rememberDevice) return '';
  const days = step.rememberDevice.days;
  const text = days ? `Remember this device for ${days} day${days === 1 ? '' : 's'}` : 'Remember this device';
  return `<label class="check"><input type="checkbox" name="rememberDevice" value="on"> ${escapeHtml(text)}</label>`;
}

/** Secondary actions of a step: send the code again, "try another way". Each is its own small form. */
function moreOptions(locals: PageLocals, step: Step): string {
  const m = step.mechanisms[0];
  const forms: string[] = [];
  if ((step.kind === 'answer' || step.kind === 'pending') && m?.resendable) {
    // The step script posts this form as JSON: a resend refused as too soon (ACTION_NOT_ALLOWED with
    // `details.retryAfterSeconds`) then disables the button with a countdown instead of reloading the page.
    forms.push(`<form method="post" action="${escapeHtml(locals.actions.resend)}" data-resend${attr('data-step', stepUrl(locals))}${attr('data-start', startUrl(locals))}>
${stepFields(locals, step)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
<p class="muted">Didn’t get it? <button type="submit" class="link" aria-describedby="resend-wait">Send a new code</button></p>
<p class="hint" id="resend-wait" hidden></p>
</form>`);
  }
  if (step.alternatives) {
    forms.push(`<form method="post" action="${escapeHtml(locals.actions.alternatives)}">
${stepFields(locals, step)}
<p class="muted">Can’t use this method? <button type="submit" class="link">Try another way</button></p>
</form>`);
  }
  return forms.length ? `<div class="more">\n${forms.join('\n')}\n</div>` : '';
}

function answerInputs(m: Mechanism): string {
  switch (m.type) {
    case 'password':
      return `<label for="answer">Password</label>
<input type="password" id="answer" name="answer" autocomplete="current-password" required autofocus>`;
    case 'new-password':
      return `<p>${escapeHtml(m.prompt)}</p>
<label for="answer">New password</label>
<input type="password" id="answer" name="answer" autocomplete="new-password" required autofocus${m.hint ? ' aria-describedby="answer-hint"' : ''}>
${m.hint ? `<p class="hint" id="answer-hint">${escapeHtml(m.hint)}</p>` : ''}`;
    case 'question': {
      const questions = m.questions?.length ? m.questions : [{ id: 'q1', text: m.prompt }];
      return questions.map((q, i) => `<label for="answer-${escapeHtml(q.id)}">${escapeHtml(q.text)}</label>
<input type="text" id="answer-${escapeHtml(q.id)}" name="answer[${escapeHtml(q.id)}]" autocomplete="off" required${attr('autofocus', i === 0)}>`).join('\n');
    }
    case 'phone-number': {
      const fields = m.fields?.length ? m.fields : [{ id: 'phoneNumber', label: 'Phone number', inputMode: 'tel' as const }];
      return `${m.prompt ? `<p>${escapeHtml(m.prompt)}</p>` : ''}
${fields.map((f, i) => fieldInput(f, i === 0)).join('\n')}`;
    }
    default: {
      const parts: string[] = [];
      if (m.enroll && (m.qrCode || m.secret)) parts.push(authenticatorSetup(m));
      const sent = sentTo(m);
      if (sent) parts.push(sent);
      parts.push(codeInput(m.prompt || 'Verification code', true, m));
      return parts.join('\n');
    }
  }
}

/** One labelled input of a mechanism's `fields` (answered as `answer[<id>]`). */
function fieldInput(f: MechanismField, autofocus: boolean): string {
  const inputMode = f.inputMode ?? 'text';
  const type = inputMode === 'tel' ? 'tel' : inputMode === 'email' ? 'email' : 'text';
  // Well-known field names get the browser's autofill hints; anything else is left alone.
  const autocomplete = ({ countryCode: 'tel-country-code', phoneNumber: 'tel-national' } as Record<string, string>)[f.id] ?? 'off';
  const id = `answer-${f.id}`;
  return `<label for="${escapeHtml(id)}">${escapeHtml(f.label)}</label>
<input type="${type}" id="${escapeHtml(id)}" name="answer[${escapeHtml(f.id)}]" inputmode="${escapeHtml(inputMode)}" autocomplete="${escapeHtml(autocomplete)}" spellcheck="false" required${attr('autofocus', autofocus)}>`;
}

/** Enrolling an authenticator app: the QR code (a `data:image/…` URL, allowed by the CSP's `img-src data:`) and the key to type. */
function authenticatorSetup(m: Mechanism): string {
  const parts: string[] = [];
  // Only a base64 data URL of an image type is ever put in src: nothing that could load from elsewhere.
  if (m.qrCode && /^data:image\/(png|gif|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(m.qrCode)) {
    parts.push(`<div class="qr"><img src="${escapeHtml(m.qrCode)}" alt="QR code to scan with your authenticator app" width="200" height="200"></div>`);
  }
  if (m.secret) {
    // Groups of four are easier to type; authenticator apps ignore the spaces.
    const grouped = m.secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
    // A read-only, wrapping field (no name: never submitted): labelled, focusable and easy to copy.
    parts.push(`<label for="totp-secret">Or type this key</label>
<textarea id="totp-secret" class="secret" rows="2" readonly autocomplete="off" spellcheck="false">${escapeHtml(grouped)}</textarea>`);
  }
  return parts.join('\n');
}

/**
 * Mechanisms whose code is not digits: a YubiKey types a 44-character modhex OTP (OAA
 * `ChallengeYOTP` → id `yotp`, or `ChallengeYubicoOTP` → `yubicootp`), so no numeric keypad
 * and no digit pattern for those.
 */
const textCodeMechanisms = new Set(['yotp', 'yubicootp']);

function codeInput(label: string, autofocus: boolean, m?: Mechanism): string {
  const numeric = !(m && textCodeMechanisms.has(m.id));
  return `<label for="answer">${escapeHtml(label)}</label>
<input type="text" id="answer" name="answer" inputmode="${numeric ? 'numeric' : 'text'}" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required${attr('autofocus', autofocus)}>`;
}

function pendingContent(locals: PageLocals, step: Step): string {
  const m = step.mechanisms[0];
  if (!m) return '';
  // An SMS waits for the typed code only: no "waiting for approval" spinner then. An app being
  // set up (QR code) is waited for: it registers itself once scanned.
  const approvable = m.type !== 'otp' || m.enroll === true;
  const parts: string[] = [];
  parts.push(`<p>${escapeHtml(m.prompt)}</p>`);
  if (m.enroll && (m.qrCode || m.secret)) parts.push(authenticatorSetup(m));
  const sent = sentTo(m);
  if (sent) parts.push(sent);
  // A page the user must open elsewhere, e.g. their organization's sign-in page (federated users).
  if (m.url) parts.push(`<p><a class="button primary" href="${escapeHtml(m.url)}" target="_blank" rel="noopener noreferrer">Open the sign-in page</a></p>`);
  if (step.matchNumber) {
    parts.push(`<p>Tap this number on your device:</p>
<p class="match">${escapeHtml(step.matchNumber)}</p>`);
  }
  // The script polls at the server's `pollAfterMs`, shows how long it has waited and, after a
  // while, a "still waiting" state; without JavaScript the <noscript> button asks once per click.
  parts.push(`<div id="pending"${attr('data-poll', locals.actions.poll)}${attr('data-step', stepUrl(locals))}${attr('data-start', startUrl(locals))}${attr('data-tx', locals.transactionId)}${attr('data-csrf', locals.csrfToken)}${attr('data-interval', step.pollAfterMs ?? 2000)}>
${approvable
    ? `<div class="waiting"><span class="spinner" aria-hidden="true"></span><span id="pending-status" role="status">Waiting for you to approve…</span></div>
<p class="progress" id="pending-progress" hidden></p>
<p class="hint" id="pending-still" hidden>${escapeHtml(stillWaitingHint(step, m))}</p>`
    : '<span id="pending-status" role="status"></span>'}
</div>`);
  if (approvable) {
    parts.push(`<noscript>
<form method="post" action="${escapeHtml(locals.actions.poll)}">
<input type="hidden" name="tx" value="${escapeHtml(locals.transactionId)}">
${csrfField(locals.csrfToken)}
<p class="hint">Approve the request on your device, then:</p>
<button type="submit" class="primary">I have approved</button>
</form>
</noscript>`);
  }
  if (m.acceptsCode) {
    parts.push(`<form method="post" action="${escapeHtml(locals.actions.answer)}">
${stepFields(locals, step)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
${approvable ? `<h2>Or enter the code</h2>\n${codeInput(m.url ? 'PIN shown after you sign in' : 'Verification code', false, m)}` : codeInput('Verification code', true, m)}
${rememberDeviceBox(step)}
<button type="submit" class="${approvable ? 'secondary verify' : 'primary'}">Verify code</button>
</form>`);
  }
  return parts.join('\n');
}

/** What the "still waiting" state suggests, by kind of approval. */
function stillWaitingHint(step: Step, m: Mechanism): string {
  const first = m.type === 'phone-call'
    ? 'No call yet? Check that your phone has signal and is not on silent'
    : m.type === 'link'
      ? (m.url ? 'Finish signing in on the page that opened' : 'No e-mail yet? Check your spam folder')
      : 'Nothing on your device? Check that it is online and open its authenticator app';
  return `${first}${step.alternatives ? ', or try another way' : ''}. You can also cancel and start again.`;
}

/**
 * The step pages' script (progressive enhancement: every form also works without it). It reads
 * its settings from data attributes, so nothing is interpolated here, and writes messages into the
 * page's one alert box (`#page-alert`).
 *
 * - Pending steps (`#pending`): polls `/poll` (JSON, CSRF header) every `pollAfterMs` the server
 *   hints. Done → go to `redirect`; another step → reload the step page; an error → show it (and
 *   "Start again" when the login is over). While waiting for an approval it shows the time waited
 *   and the number of checks, and after `STILL_WAITING_MS` a "still waiting" state.
 * - The resend form (`form[data-resend]`): posted as JSON. Sent → reload the step page (which says
 *   so); refused as too soon (`ACTION_NOT_ALLOWED` with `details.retryAfterSeconds`, also in
 *   `Retry-After`) → the message, and the button disabled with a countdown until then.
 */
const stepScript = `
(function () {
  var STILL_WAITING_MS = 15000;
  var alertBox = document.getElementById('page-alert');
  if (!alertBox || !window.fetch) return;
  function showAlert(error, startUrl) {
    alertBox.textContent = (error.message || 'Something went wrong.') + ' ';
    alertBox.setAttribute('data-code', error.code || 'ERROR');
    if (startUrl) {
      var link = document.createElement('a');
      link.href = startUrl;
      link.textContent = 'Start again';
      alertBox.appendChild(link);
    }
    alertBox.hidden = false;
  }
  // The login is over (denied, timed out, expired): say why, link to the start page, and hide
  // the forms of the login that ended.
  function loginOver(error, startUrl) {
    showAlert(error, startUrl);
    Array.prototype.forEach.call(document.querySelectorAll('main form'), function (f) { f.hidden = true; });
  }
  function hideAlert() {
    alertBox.hidden = true;
    alertBox.textContent = '';
    alertBox.removeAttribute('data-code');
  }
  function post(url, headers, body) {
    headers.Accept = 'application/json';
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: headers, body: body }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) { return { res: res, body: json || {} }; });
    });
  }

  var box = document.getElementById('pending');
  if (box) {
    var status = document.getElementById('pending-status');
    var progress = document.getElementById('pending-progress');
    var stillHint = document.getElementById('pending-still');
    var csrf = box.dataset.csrf;
    var started = Date.now();
    var checks = 0;
    var failures = 0;
    var ticker = 0;
    var tick = function () {
      if (!progress) return;
      var seconds = Math.floor((Date.now() - started) / 1000);
      progress.textContent = 'Waiting ' + Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0') +
        (checks ? ' · checked ' + checks + (checks === 1 ? ' time' : ' times') : '');
      progress.hidden = false;
      if (Date.now() - started >= STILL_WAITING_MS && !box.classList.contains('still')) {
        box.classList.add('still');
        if (status) status.textContent = 'Still waiting for you to approve…';
        if (stillHint) stillHint.hidden = false;
      }
    };
    if (progress) { tick(); ticker = setInterval(tick, 1000); }
    var over = function (error) {
      clearInterval(ticker);
      var spinner = box.querySelector('.spinner');
      if (spinner) spinner.remove();
      if (status) status.textContent = '';
      if (progress) progress.hidden = true;
      if (stillHint) stillHint.hidden = true;
      loginOver(error, box.dataset.start);
    };
    var schedule = function (ms) { setTimeout(poll, Math.max(500, Number(ms) || 2000)); };
    var poll = function () {
      post(box.dataset.poll, { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, JSON.stringify({ tx: box.dataset.tx })).then(function (r) {
        var body = r.body;
        if (body.csrfToken) csrf = body.csrfToken;
        var step = body.step;
        checks += 1;
        failures = 0;
        if (step && step.kind === 'done' && body.redirect) { window.location.assign(body.redirect); return; }
        // Another request on this sign-in got there first (a code typed meanwhile, a second tab): follow it.
        if (r.res.status === 409 || r.res.status === 429) {
          if (step && step.kind !== 'pending') { window.location.assign(box.dataset.step); return; }
          schedule(step ? step.pollAfterMs : 2000);
          return;
        }
        if (!r.res.ok || body.error) {
          var error = body.error || { code: 'HTTP_' + r.res.status, message: 'Something went wrong.' };
          if (step && step.kind === 'pending') {
            // The login goes on (e.g. the identity service is briefly unavailable): say so, ask again later.
            showAlert(error);
            schedule(Math.max(step.pollAfterMs || 2000, 5000));
          } else {
            over(error);
          }
          return;
        }
        if (!step || step.kind !== 'pending') { window.location.assign(box.dataset.step); return; }
        hideAlert();
        tick();
        schedule(step.pollAfterMs);
      }).catch(function () {
        failures += 1;
        showAlert({ code: 'NETWORK_ERROR', message: 'Connection problem, retrying…' });
        schedule(Math.min(30000, 2000 * Math.pow(2, failures)));
      });
    };
    schedule(box.dataset.interval);
  }

  var form = document.querySelector('form[data-resend]');
  if (form && window.FormData && window.URLSearchParams) {
    var button = form.querySelector('button');
    var wait = document.getElementById('resend-wait');
    var countdown = 0;
    var coolDown = function (seconds) {
      var until = Date.now() + seconds * 1000;
      // aria-disabled rather than disabled: a focused button keeps the focus.
      button.setAttribute('aria-disabled', 'true');
      clearInterval(countdown);
      var update = function () {
        var left = Math.ceil((until - Date.now()) / 1000);
        if (left > 0) {
          wait.textContent = 'You can ask for a new code in ' + left + (left === 1 ? ' second.' : ' seconds.');
          wait.hidden = false;
          return;
        }
        clearInterval(countdown);
        button.removeAttribute('aria-disabled');
        wait.hidden = true;
        wait.textContent = '';
        if (alertBox.getAttribute('data-code') === 'ACTION_NOT_ALLOWED') hideAlert();
      };
      update();
      countdown = setInterval(update, 1000);
    };
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (button.getAttribute('aria-disabled') === 'true') return;
      var sequence = Number(form.querySelector('[name=seq]').value);
      post(form.action, { 'Content-Type': 'application/x-www-form-urlencoded' }, new URLSearchParams(new FormData(form)).toString()).then(function (r) {
        var error = r.body.error;
        var step = r.body.step;
        if (error && !step) { loginOver(error, form.dataset.start); return; }
        // Sent (the step page says so), or the login has moved on: show the current step.
        if (!error || !step || step.sequence !== sequence) { window.location.assign(form.dataset.step); return; }
        showAlert(error);
        var seconds = (error.details && error.details.retryAfterSeconds) || Number(r.res.headers.get('Retry-After')) || 0;
        if (seconds > 0) coolDown(seconds);
      }).catch(function () { form.submit(); });
    });
  }
})();
`;

// ------------------------------------------------------------------ app pages

export function homePage(ctx: ViewContext, user: DemoUser | undefined, csrfToken: string, logoutAction: string): string {
  if (!user) {
    const body = `<h1>passport-multistep demo</h1>
<p>You are not signed in.</p>
<div class="providers">
${ctx.providers.map((p) => `<a class="button" href="${escapeHtml(p.loginUrl)}">Sign in with ${escapeHtml(p.name)}</a>`).join('\n')}
</div>
<p><a href="/spa/">Single-page app</a>: the same sign-ins through the JSON routes (<code>examples/spa</code>)</p>
<p><a href="/private">Private page</a> (asks you to sign in first)</p>
${ctx.providers.map((p) => simulatorHint(ctx, false, p)).join('\n')}`;
    return layout(ctx, 'Home', body);
  }
  const provider = ctx.providers.find((p) => p.key === user.provider);
  const body = `<h1>Welcome, ${escapeHtml(user.name)}</h1>
<p class="muted">You are signed in.</p>
<dl>
<dt>Name</dt><dd>${escapeHtml(user.name)}</dd>
<dt>User name</dt><dd>${escapeHtml(user.username)}</dd>
<dt>User id</dt><dd><code>${escapeHtml(user.id)}</code></dd>
<dt>E-mail</dt><dd>${escapeHtml(user.email ?? '—')}</dd>
<dt>Signed in with</dt><dd>${escapeHtml(provider?.name ?? user.provider)}</dd>
</dl>
<div class="row">
<a href="/private">Private page</a>
<form class="inline" method="post" action="${escapeHtml(logoutAction)}">
${csrfField(csrfToken)}
<button type="submit" class="secondary">Log out</button>
</form>
</div>`;
  return layout(ctx, 'Home', body);
}

export function privatePage(ctx: ViewContext, user: DemoUser): string {
  const body = `<h1>Private page</h1>
<p>Only signed-in users see this. Hello, <strong>${escapeHtml(user.name)}</strong>.</p>
<p><a href="/">Back home</a></p>`;
  return layout(ctx, 'Private page', body);
}

export function errorPage(ctx: ViewContext, status: number, message: string): string {
  const body = `<h1>${escapeHtml(status === 404 ? 'Page not found' : 'Something went wrong')}</h1>
<div class="alert" role="alert">${escapeHtml(message)}</div>
<p><a href="/">Back home</a></p>`;
  return layout(ctx, `Error ${status}`, body);
}
