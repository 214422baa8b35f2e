// @ts-check
/**
 * A single-page login for passport-multistep: plain JavaScript, no framework, no build step.
 * It talks to the routes of `strategy.router()` in their JSON mode; copy it (with index.html
 * and ../style.css) as a starting point for your own app.
 *
 * The protocol, in short (README: "Routes", "The step object", "Errors"):
 *
 * - Every request: `credentials: 'same-origin'`, `Accept: application/json`. Every POST: a JSON
 *   body and the session's CSRF token as `X-CSRF-Token`. The token comes from `GET {base}/csrf`
 *   and is refreshed from every answer's `csrfToken`.
 * - `POST {base}/start {username}` starts a login. Every answer then carries the current
 *   `step` (render it; send its `sequence` back with the next action), or
 *   `{ step: { kind: 'done' }, redirect }` (signed in: go there), or `{ cancelled: true }`.
 * - Failures answer `{ error: { code, message, details } }` with a 4xx/5xx status, plus the
 *   current `step` while the login goes on (show the message above that step). Without a
 *   `step`, the login is over: back to the start. Show `error.message` (user-safe, one per
 *   stable `code`); branch on `code`, never on the text.
 * - `pending` steps (approve elsewhere), and `answer` steps that carry `pollAfterMs` (a code that
 *   may also complete upstream): `POST {base}/poll {tx}` every `step.pollAfterMs`.
 * - A resend that is too soon answers 429 `RATE_LIMITED` with `details.retryAfterSeconds`
 *   (and `Retry-After`): the button stays disabled, with a countdown, until then.
 * - The providers: index.html's `spa-config` lists them; with a `providersUrl`, the server's
 *   list (`{ providers, pending? }`) replaces it, asked again while some are `pending` (the
 *   demo's AWS Cognito joins once cognito-local is up).
 *
 * Everything from the server goes into the page as text (`textContent`), never as markup.
 * Type-checked with `// @ts-check` by examples/spa/tsconfig.json (`npm run typecheck`).
 */

// In your app: `@import { … } from 'passport-multistep'`.
/** @import { ErrorCode, ErrorDetails } from '../../lib/errors.js' */
/** @import { Mechanism, MechanismField, Step } from '../../lib/step.js' */

/**
 * One identity provider: where its `strategy.router()` is mounted.
 * @typedef {object} Provider
 * @property {string} key   short name, for links such as `/spa/?provider=idcs`
 * @property {string} name  shown in the picker and on every step
 * @property {string} base  mount path of its routes, e.g. `/idcs/login`
 */

/**
 * An error as the routes send it (`code` is an {@link ErrorCode}; `NETWORK_ERROR` and
 * `HTTP_<status>` are this app's own, for answers that never came or were not JSON).
 * @typedef {object} ApiError
 * @property {ErrorCode | string} code
 * @property {string} message
 * @property {ErrorDetails} [details]
 */

/**
 * What the JSON routes answer (each route sends some of these fields).
 * @typedef {object} Reply
 * @property {string} [csrfToken]
 * @property {string} [transactionId]
 * @property {string} [username]
 * @property {Step} [step]
 * @property {Record<string, string>} [actions]  absolute paths of the routes
 * @property {string} [redirect]                 after `done`
 * @property {boolean} [cancelled]
 * @property {ApiError} [error]
 */

/**
 * @typedef {object} Result
 * @property {number} status      HTTP status; 0 when no answer came at all
 * @property {Reply} reply
 * @property {number} [retryAfter] seconds to wait (`error.details.retryAfterSeconds`, else `Retry-After`)
 */

/** @typedef {'start' | 'select' | 'answer' | 'poll' | 'resend' | 'alternatives' | 'cancel'} Action */

/** After this long without an approval, a pending step says it is still waiting. */
const STILL_WAITING_MS = 15_000;
/** Where the login in progress is remembered across a page reload (this tab only). */
const STORAGE_KEY = 'passport-multistep-spa';
/**
 * What the app adds to a few of the library's (short, fixed) messages, by stable error code:
 * the message says what happened, the hint what the user can do about it.
 * @type {Partial<Record<string, string>>}
 */
const HINTS = {
  MECHANISM_UNSUPPORTED: 'Security keys (FIDO2) cannot be used here: register another method, such as an authenticator app, or ask your administrator.',
  REGISTRATION_REQUIRED: 'Your account has no sign-in method for the second step yet.',
  NETWORK_ERROR: 'Nothing was changed. Try again in a moment.',
};
/** In a `new-password` step with `fields`, the id of the new password's own field (the others are text). */
const NEW_PASSWORD_FIELD = 'newPassword';
/** OAA YubiKey factors type a 44-letter OTP: no numeric keypad for those. */
const TEXT_CODE_MECHANISMS = new Set(['yotp', 'yubicootp']);

/** While the server says a provider is still starting: ask again this often, this many times. */
const PROVIDERS_RETRY_MS = 1000;
const PROVIDERS_RETRIES = 60;

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const config = readConfig();
/** The providers offered (index.html's list; replaced in place by the server's, see {@link loadProviders}). */
const providers = config.providers;
/** `?provider=<key>`: the provider to preselect, once it is offered. */
const wantedProvider = new URLSearchParams(window.location.search).get('provider');

const state = {
  /** @type {Provider} */
  provider: pickProvider(),
  /** The CSRF token of the provider's session area (each strategy has its own). */
  csrf: '',
  /** The key of the provider whose `GET {base}/csrf` gave `csrf`. */
  csrfFor: '',
  /** The login in progress (`transactionId`), and who is signing in. */
  tx: '',
  username: '',
  /** @type {Step | undefined} the step on screen */
  step: undefined,
  /** @type {Record<string, string>} route paths from the last answer (fallback: `base/<name>`) */
  actions: {},
  /** Bumped whenever the screen changes: timers and answers that belong to an older screen do nothing. */
  view: 0,
  /** @type {number[]} timers of the current screen (polling, countdowns) */
  timers: [],
  /** A request of the current screen is on its way (no double submits). */
  busy: false,
  /** When the pending step on screen began, and how often it was checked. */
  pendingSince: 0,
  polls: 0,
};

// ------------------------------------------------------------------ talking to the routes

/** @param {Action | 'csrf' | 'step'} name */
function route(name) {
  return state.actions[name] ?? `${state.provider.base}/${name}`;
}

/**
 * One request to the routes: JSON both ways, the session cookie, the CSRF header on POSTs.
 * Never throws: a network failure is an answer with status 0 and a `NETWORK_ERROR`.
 * @param {string} path
 * @param {Record<string, unknown>} [body]  POST this (GET without)
 * @returns {Promise<Result>}
 */
async function request(path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  /** @type {RequestInit} */
  const init = { method: body ? 'POST' : 'GET', credentials: 'same-origin', cache: 'no-store', headers };
  if (body) {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = state.csrf;
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { status: 0, reply: { error: { code: 'NETWORK_ERROR', message: 'The server could not be reached. Check your connection.' } } };
  }
  /** @type {Reply} */
  let reply = {};
  try {
    const json = await response.json();
    if (json && typeof json === 'object') reply = json;
  } catch {
    // Not JSON (a proxy's error page …): reported below by its status.
  }
  if (typeof reply.csrfToken === 'string') state.csrf = reply.csrfToken;
  if (!response.ok && !reply.error) reply.error = { code: `HTTP_${response.status}`, message: 'Something went wrong. Please try again.' };
  const retryAfter = reply.error?.details?.retryAfterSeconds ?? (Number(response.headers.get('Retry-After')) || undefined);
  return { status: response.status, reply, ...(retryAfter ? { retryAfter } : {}) };
}

/** Fetches the session's CSRF token for the current provider. */
async function refreshCsrf() {
  const key = state.provider.key;
  const { reply } = await request(route('csrf'));
  if (reply.csrfToken) state.csrfFor = key;
  return Boolean(reply.csrfToken);
}

/**
 * Sends one action of the login and shows what comes back.
 * @param {Action} action
 * @param {Record<string, unknown>} fields  besides `tx` (added here, except for `start`)
 */
async function send(action, fields) {
  if (state.busy) return;
  const view = state.view;
  setBusy(true);
  const body = action === 'start' ? fields : { tx: state.tx, ...fields };
  const result = await request(route(action), body);
  if (view !== state.view) return; // the screen changed meanwhile (e.g. a poll finished the login)
  setBusy(false);
  await show(result);
}

/**
 * Shows an answer: the next step, the same step with an error, the start page, or the
 * page after sign-in.
 * @param {Result} result
 */
async function show({ reply }) {
  const { error, step } = reply;
  if (reply.transactionId) state.tx = reply.transactionId;
  if (reply.username) state.username = reply.username;
  if (reply.actions) state.actions = reply.actions;
  if (step?.kind === 'done') return finish(reply.redirect);
  if (reply.cancelled) return startView({ notice: 'You cancelled the sign-in.' });
  // A refused token: the answer usually brings the session's current one; if not, ask for it.
  if (error?.code === 'CSRF_INVALID' && !reply.csrfToken) await refreshCsrf();
  // While the login goes on, the answer carries its current step: show it (with the message, if any).
  if (step && step.kind !== 'failed') return stepView(step, error);
  return startView({ error: error ?? step?.error ?? { code: 'HTTP_500', message: 'The sign-in cannot continue.' } });
}

/** Signed in: forget the login and go where the server says (local paths only). */
/** @param {string | undefined} redirect */
function finish(redirect) {
  forget();
  clearTimers();
  state.view += 1;
  const target = redirect && /^\/(?![/\\])/.test(redirect) ? redirect : '/';
  window.location.assign(target);
}

// ------------------------------------------------------------------ screens

/**
 * The start page: the provider picker (when there are several) and the user name.
 * @param {{ error?: ApiError, notice?: string }} [options]
 */
function startView({ error, notice } = {}) {
  forget();
  state.tx = '';
  state.step = undefined;
  state.actions = {};
  const single = providers.length === 1;
  const username = h('input', {
    type: 'text', id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true,
  });
  username.value = state.username;
  const picker = h('select', { id: 'provider', name: 'provider' }, ...providerOptions());
  // Chosen by the user: a list that changes later (a provider joining) keeps that choice.
  picker.addEventListener('change', () => { picker.dataset.chosen = 'true'; });
  const form = h('form', {},
    single ? null : h('label', { for: 'provider' }, 'Sign in with'),
    single ? null : picker,
    h('label', { for: 'username' }, 'User name'),
    username,
    h('button', { type: 'submit', class: 'primary' }, 'Continue'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void begin(picker.value, username.value.trim());
  });
  render(single ? `Sign in with ${state.provider.name}` : 'Sign in', [
    h('p', { class: 'muted' }, single ? 'Enter your user name to begin.' : 'Choose your identity provider and enter your user name.'),
    alertBox(error),
    notice ? h('p', { class: 'note', role: 'status' }, notice) : null,
    form,
  ], { focus: error || notice ? 'heading' : username });
}

/**
 * Starts a login with the chosen provider (its CSRF token first, if not yet known).
 * @param {string} providerKey
 * @param {string} username
 */
async function begin(providerKey, username) {
  if (!username || state.busy) return;
  const provider = providers.find((p) => p.key === providerKey) ?? state.provider;
  state.provider = provider;
  // Each provider's routes have their own token (their own corner of the session).
  if (provider.key !== state.csrfFor || !state.csrf) {
    state.csrf = '';
    setBusy(true);
    const ok = await refreshCsrf();
    setBusy(false);
    if (!ok) return startView({ error: { code: 'NETWORK_ERROR', message: 'The server could not be reached. Check your connection.' } });
  }
  state.username = username;
  await send('start', { username });
}

/**
 * A step of the login in progress.
 * @param {Step} step
 * @param {ApiError} [error]  the message of a failed action; the step is then shown again
 */
function stepView(step, error) {
  const previous = state.step;
  const same = previous !== undefined && previous.sequence === step.sequence && previous.kind === step.kind;
  state.step = step;
  remember();
  // Polled: waiting for an approval, or a code step that may also complete upstream (a link in the SMS).
  const polled = step.kind === 'pending' || (step.kind === 'answer' && step.pollAfterMs !== undefined);
  if (polled && !same) {
    state.pendingSince = Date.now();
    state.polls = 0;
  }
  const mechanism = step.mechanisms[0];
  /** @type {Array<Node | null>} */
  let content;
  if (step.kind === 'select') content = selectContent(step);
  else if (step.kind === 'pending' && mechanism) content = pendingContent(step, mechanism);
  else if (mechanism) content = answerContent(step, mechanism);
  else content = [h('p', {}, 'Nothing to answer here.')];

  const position = step.challenge && step.challenge.count > 1 ? ` · step ${step.challenge.index} of ${step.challenge.count}` : '';
  const cancel = h('button', { type: 'button', class: 'link' }, 'Cancel sign-in');
  cancel.addEventListener('click', () => void send('cancel', {}));
  const view = render(headingOf(step), [
    h('p', { class: 'muted' }, 'Signing in as ', h('strong', {}, state.username), ` · ${state.provider.name}${position}`),
    alertBox(error),
    step.message ? h('p', { class: 'note', role: 'status' }, step.message) : null,
    ...content,
    h('div', { class: 'row' }, cancel),
  ], {
    // A new step: the heading (screen readers read where they are). The same step again after an
    // error (a wrong code): its first field, to type again; the alert is announced anyway.
    focus: same && error ? 'field' : same ? 'none' : 'heading',
  });
  if (polled) startPolling(view, step);
}

/** @param {Step} step */
function headingOf(step) {
  const m = step.mechanisms[0];
  if (step.kind === 'select') {
    return step.mechanisms.some((x) => x.enroll) && step.mechanisms.every((x) => x.enroll || x.type === 'skip')
      ? 'Set up a sign-in method' : 'Verify it’s you';
  }
  if (step.kind === 'pending') {
    if (m?.enroll && (m.qrCode || m.secret)) return 'Set up your authenticator app';
    return m?.type === 'link' && m.url ? 'Sign in with your organization' : 'Waiting for approval';
  }
  switch (m?.type) {
    case 'password': return 'Enter your password';
    case 'new-password': return 'Choose a new password';
    case 'question': return 'Security questions';
    case 'consent': return m.label || 'Terms of use';
    case 'phone-number': return 'Add your phone number';
    default: return m?.enroll && (m.qrCode || m.secret) ? 'Set up your authenticator app' : 'Enter your code';
  }
}

/**
 * `select`: one button per method (unsupported ones disabled), "Set up …" when enrolling,
 * and "skip" methods ("Not now") as a secondary button.
 * @param {Step} step
 */
function selectContent(step) {
  const choices = step.mechanisms.filter((m) => m.type !== 'skip');
  const enrolling = choices.length > 0 && choices.every((m) => m.enroll);
  /** @param {Mechanism} m */
  const choose = (m) => () => void send('select', { sequence: step.sequence, mechanism: m.id });
  const buttons = choices.map((m) => {
    const unsupported = m.type === 'unsupported';
    const detail = unsupported ? 'Not available here' : addressNotIn(m, m.label);
    const button = h('button', { type: 'button', class: 'choice', disabled: unsupported },
      m.enroll ? `Set up ${m.label}` : m.label, detail ? h('small', {}, detail) : null);
    button.addEventListener('click', choose(m));
    return button;
  });
  const skips = step.mechanisms.filter((m) => m.type === 'skip').map((m) => {
    const hintId = `skip-${m.id}`;
    const button = h('button', { type: 'button', class: 'secondary', 'aria-describedby': m.prompt ? hintId : undefined }, m.label);
    button.addEventListener('click', choose(m));
    return h('div', { class: 'skip' }, button, m.prompt ? h('p', { class: 'hint', id: hintId }, m.prompt) : null);
  });
  return [
    buttons.length
      ? h('fieldset', {}, h('legend', {}, enrolling ? 'Choose a sign-in method to set up' : 'Choose how to verify'), h('div', { class: 'choices' }, ...buttons))
      : null,
    ...skips,
    moreOptions(step),
  ];
}

/**
 * `answer`: a form for the one method in play.
 * @param {Step} step
 * @param {Mechanism} m
 */
function answerContent(step, m) {
  if (m.type === 'consent') return consentContent(step, m);
  /** @type {Array<Node | null>} */
  let inputs;
  /** @type {() => string | Record<string, string>} */
  let answer;
  switch (m.type) {
    case 'password': {
      const input = h('input', { type: 'password', id: 'answer', autocomplete: 'current-password', required: true });
      inputs = [h('label', { for: 'answer' }, 'Password'), input];
      answer = () => input.value;
      break;
    }
    case 'new-password': {
      const hint = m.hint ? h('p', { class: 'hint', id: 'answer-hint' }, m.hint) : null;
      if (m.fields?.length) {
        // A new password and more (e.g. the attributes a Cognito pool requires): one field each,
        // answered as { [field.id]: value }. The `newPassword` field is the password itself.
        const fields = m.fields.map((f) => ({
          id: f.id, label: f.label,
          input: f.id === NEW_PASSWORD_FIELD
            ? h('input', { type: 'password', id: `answer-${f.id}`, autocomplete: 'new-password', required: true, 'aria-describedby': m.hint ? 'answer-hint' : undefined })
            : fieldInput(f),
        }));
        inputs = [h('p', {}, m.prompt), ...fields.flatMap((f) => [h('label', { for: `answer-${f.id}` }, f.label), f.input, f.id === NEW_PASSWORD_FIELD ? hint : null])];
        answer = () => Object.fromEntries(fields.map((f) => [f.id, f.input.value]));
        break;
      }
      const input = h('input', { type: 'password', id: 'answer', autocomplete: 'new-password', required: true, 'aria-describedby': m.hint ? 'answer-hint' : undefined });
      inputs = [h('p', {}, m.prompt), h('label', { for: 'answer' }, 'New password'), input, hint];
      answer = () => input.value;
      break;
    }
    case 'question': {
      // Several questions: one labelled field each, answered as { [question.id]: answer }.
      const fields = (m.questions?.length ? m.questions : [{ id: 'q1', text: m.prompt }]).map((q) => ({
        id: q.id, input: h('input', { type: 'text', id: `answer-${q.id}`, autocomplete: 'off', required: true }), label: q.text,
      }));
      inputs = fields.flatMap((f) => [h('label', { for: `answer-${f.id}` }, f.label), f.input]);
      answer = () => Object.fromEntries(fields.map((f) => [f.id, f.input.value]));
      break;
    }
    case 'phone-number': {
      /** @type {MechanismField[]} */
      const defaults = [{ id: 'phoneNumber', label: 'Phone number', inputMode: 'tel' }];
      const fields = (m.fields?.length ? m.fields : defaults).map((f) => ({ id: f.id, label: f.label, input: fieldInput(f) }));
      inputs = [m.prompt ? h('p', {}, m.prompt) : null, ...fields.flatMap((f) => [h('label', { for: `answer-${f.id}` }, f.label), f.input])];
      answer = () => Object.fromEntries(fields.map((f) => [f.id, f.input.value]));
      break;
    }
    default: {
      const input = codeInput(m);
      inputs = [...authenticatorSetup(m), sentTo(m), h('label', { for: 'answer' }, m.prompt || 'Verification code'), input];
      answer = () => input.value.trim();
    }
  }
  const remember = rememberDeviceBox(step);
  const form = h('form', {}, ...inputs, remember,
    h('button', { type: 'submit', class: 'primary' }, m.type === 'new-password' ? 'Change password' : 'Continue'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send('answer', { sequence: step.sequence, mechanism: m.id, answer: answer(), ...rememberDevice(remember) });
  });
  return [form, moreOptions(step)];
}

/**
 * Terms of use: the text in a scrollable, focusable region; "I accept" or "Decline".
 * @param {Step} step
 * @param {Mechanism} m
 */
function consentContent(step, m) {
  /** @param {'accept' | 'decline'} value */
  const reply = (value) => () => void send('answer', { sequence: step.sequence, mechanism: m.id, answer: value });
  const decline = h('button', { type: 'button', class: 'secondary' }, 'Decline');
  const accept = h('button', { type: 'button', class: 'primary', 'aria-describedby': 'terms' }, 'I accept');
  decline.addEventListener('click', reply('decline'));
  accept.addEventListener('click', reply('accept'));
  return [
    h('div', { class: 'terms', id: 'terms', tabindex: 0, role: 'region', 'aria-label': m.label || 'Terms of use' }, m.prompt),
    h('div', { class: 'actions' }, decline, accept),
  ];
}

/**
 * `pending`: approve on the device (the number to match, a page to open); polled in the
 * background. A code form too when the method also takes a typed code.
 * @param {Step} step
 * @param {Mechanism} m
 */
function pendingContent(step, m) {
  // A pending step is always an approval made elsewhere (an app being set up registers itself
  // once scanned); codes that are only typed come as `answer` steps.
  const approvable = true;
  /** @type {Array<Node | null>} */
  const parts = [h('p', {}, m.prompt), ...authenticatorSetup(m), sentTo(m)];
  if (m.url && /^https?:\/\//i.test(m.url)) {
    parts.push(h('p', {}, h('a', { class: 'button', href: m.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open the sign-in page')));
  }
  if (step.matchNumber) parts.push(h('p', {}, 'Tap this number on your device:'), h('p', { class: 'match' }, step.matchNumber));
  if (approvable) {
    parts.push(h('div', { id: 'pending' },
      h('div', { class: 'waiting' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        h('span', { id: 'pending-status', role: 'status' }, 'Waiting for you to approve…')),
      h('p', { class: 'progress', id: 'pending-progress' }),
      h('p', { class: 'hint', id: 'pending-still', hidden: true }, stillWaitingHint(step, m))));
  }
  if (m.acceptsCode) {
    const input = codeInput(m);
    const remember = rememberDeviceBox(step);
    const form = h('form', {},
      approvable ? h('h2', {}, 'Or enter the code') : null,
      h('label', { for: 'answer' }, m.url ? 'PIN shown after you sign in' : 'Verification code'), input, remember,
      h('button', { type: 'submit', class: approvable ? 'secondary verify' : 'primary' }, 'Verify code'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void send('answer', { sequence: step.sequence, mechanism: m.id, answer: input.value.trim(), ...rememberDevice(remember) });
    });
    parts.push(form);
  }
  parts.push(moreOptions(step));
  return parts;
}

/**
 * What the "still waiting" state suggests, by kind of approval.
 * @param {Step} step
 * @param {Mechanism} m
 */
function stillWaitingHint(step, m) {
  const first = m.type === 'phone-call'
    ? 'No call yet? Check that your phone has signal and is not on silent'
    : m.type === 'link'
      ? (m.url ? 'Finish signing in on the page that opened' : 'No e-mail yet? Check your spam folder')
      : 'Nothing on your device? Check that it is online and open its authenticator app';
  return `${first}${step.alternatives ? ', or try another way' : ''}. You can also cancel and start again.`;
}

/**
 * Secondary actions of a step: send the code again (with its cooldown), "try another way".
 * @param {Step} step
 */
function moreOptions(step) {
  const m = step.mechanisms[0];
  /** @type {HTMLElement[]} */
  const parts = [];
  if ((step.kind === 'answer' || step.kind === 'pending') && m?.resendable) parts.push(...resendControl(step, m));
  if (step.alternatives) {
    const button = h('button', { type: 'button', class: 'link' }, 'Try another way');
    button.addEventListener('click', () => void send('alternatives', { sequence: step.sequence }));
    parts.push(h('p', { class: 'muted' }, 'Can’t use this method? ', button));
  }
  return parts.length ? h('div', { class: 'more' }, ...parts) : null;
}

/**
 * "Send a new code". Too soon, the server answers `RATE_LIMITED` with
 * `details.retryAfterSeconds`: the button is then disabled (`aria-disabled`, so a focused
 * button keeps the focus) with a countdown until then.
 * @param {Step} step
 * @param {Mechanism} m
 */
function resendControl(step, m) {
  const button = h('button', { type: 'button', class: 'link', 'aria-describedby': 'resend-wait' }, 'Send a new code');
  const wait = h('p', { class: 'hint', id: 'resend-wait', hidden: true });
  const sent = h('span', { role: 'status', class: 'hint' });
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-disabled') === 'true' || state.busy) return;
    const view = state.view;
    setBusy(true);
    const result = await request(route('resend'), { tx: state.tx, sequence: step.sequence, mechanism: m.id });
    if (view !== state.view) return;
    setBusy(false);
    const { reply } = result;
    const same = reply.step?.sequence === step.sequence;
    if (!same) return show(result); // the login moved on (or is over)
    if (!reply.error) {
      setAlert(undefined);
      sent.textContent = ' A new code has been sent.';
      return;
    }
    sent.textContent = '';
    setAlert(reply.error);
    if (reply.error.code === 'RATE_LIMITED' && result.retryAfter) coolDown(button, wait, result.retryAfter);
  });
  return [h('p', { class: 'muted' }, 'Didn’t get it? ', button, sent), wait];
}

/**
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} wait   the countdown text (not a live region: it changes every second)
 * @param {number} seconds
 */
function coolDown(button, wait, seconds) {
  const until = Date.now() + seconds * 1000;
  button.setAttribute('aria-disabled', 'true');
  const update = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      wait.textContent = `You can ask for a new code in ${left} ${left === 1 ? 'second' : 'seconds'}.`;
      wait.hidden = false;
      return;
    }
    window.clearInterval(timer);
    button.removeAttribute('aria-disabled');
    wait.hidden = true;
    if (currentAlertCode() === 'RATE_LIMITED') setAlert(undefined);
  };
  const timer = window.setInterval(update, 1000);
  state.timers.push(timer);
  update();
}

// ------------------------------------------------------------------ polling

/**
 * Polls a pending step at the interval the server hints (`pollAfterMs`), and shows how long
 * it has waited; after {@link STILL_WAITING_MS}, a "still waiting" state.
 * @param {number} view
 * @param {Step} step
 */
function startPolling(view, step) {
  const box = document.getElementById('pending');
  const status = document.getElementById('pending-status');
  const progress = document.getElementById('pending-progress');
  const still = document.getElementById('pending-still');
  let failures = 0;

  const tick = () => {
    if (!box || !progress) return;
    const elapsed = Date.now() - state.pendingSince;
    const seconds = Math.floor(elapsed / 1000);
    const checks = state.polls ? ` · checked ${state.polls} ${state.polls === 1 ? 'time' : 'times'}` : '';
    progress.textContent = `Waiting ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}${checks}`;
    if (elapsed >= STILL_WAITING_MS && !box.classList.contains('still')) {
      box.classList.add('still');
      if (status) status.textContent = 'Still waiting for you to approve…';
      if (still) still.hidden = false;
    }
  };
  /** @param {number | undefined} ms */
  const schedule = (ms) => {
    state.timers.push(window.setTimeout(poll, Math.max(500, ms ?? 2000)));
  };
  const poll = async () => {
    const result = await request(route('poll'), { tx: state.tx });
    if (view !== state.view) return;
    const { reply } = result;
    const next = reply.step;
    state.polls += 1;
    if (result.status === 0) {
      // No answer at all: say so, ask again later (longer and longer).
      failures += 1;
      setAlert(reply.error);
      return schedule(Math.min(30_000, 2000 * 2 ** failures));
    }
    failures = 0;
    if (next?.kind === 'done') return finish(reply.redirect);
    const stillPending = next?.kind === step.kind && next.sequence === step.sequence;
    if (reply.error) {
      // The login goes on (e.g. the identity service is briefly unavailable): show it, ask again later.
      if (stillPending) {
        if (reply.error.code !== 'CONCURRENT_REQUEST') setAlert(reply.error); // (another request of this login was busy: just ask again)
        return schedule(Math.max(next.pollAfterMs ?? 2000, 5000));
      }
      // Something else moved the login on (a code typed meanwhile, another tab): show where it is.
      if (next && ['STALE_STEP', 'ACTION_NOT_ALLOWED', 'CONCURRENT_REQUEST'].includes(reply.error.code)) return stepView(next);
      return show(result);
    }
    if (!stillPending) return show(result);
    if (currentAlertCode()) setAlert(undefined);
    tick();
    schedule(next.pollAfterMs);
  };

  if (box && progress) {
    tick();
    state.timers.push(window.setInterval(tick, 1000));
  }
  schedule(step.pollAfterMs);
}

// ------------------------------------------------------------------ pieces

/**
 * The screen's one alert box (`role=alert`): an error's message, by its stable code, and a
 * hint for some codes. Hidden when empty, filled in place later (a failed poll, a refused resend).
 * @param {ApiError} [error]
 */
function alertBox(error) {
  const box = h('div', { class: 'alert', role: 'alert', id: 'alert', hidden: true });
  fillAlert(box, error);
  return box;
}

/** @param {ApiError | undefined} error */
function setAlert(error) {
  const box = document.getElementById('alert');
  if (box) fillAlert(box, error);
}

/**
 * @param {HTMLElement} box
 * @param {ApiError | undefined} error
 */
function fillAlert(box, error) {
  box.replaceChildren();
  box.hidden = !error;
  if (!error) {
    delete box.dataset.code;
    return;
  }
  box.dataset.code = error.code;
  box.append(error.message || 'Something went wrong.');
  const hint = HINTS[error.code];
  if (hint) box.append(h('br', {}), h('span', { class: 'alert-hint' }, hint));
  // Nothing to sign in with yet: the provider's enrolment page, when the server names one.
  const registration = error.details?.registrationUrl;
  if (registration && /^https?:\/\//i.test(registration)) {
    box.append(' ', h('a', { href: registration }, 'Set up a sign-in method'));
  }
}

/** The code of the error on screen, if any. */
function currentAlertCode() {
  return document.getElementById('alert')?.dataset.code;
}

/**
 * A one-time code field: digits keypad and the browser's SMS autofill (`one-time-code`),
 * except for YubiKey OTPs (letters).
 * @param {Mechanism} m
 */
function codeInput(m) {
  const numeric = !TEXT_CODE_MECHANISMS.has(m.id);
  return h('input', {
    type: 'text', id: 'answer', inputmode: numeric ? 'numeric' : 'text', autocomplete: 'one-time-code', autocapitalize: 'none',
    spellcheck: 'false', required: true,
  });
}

/**
 * One labelled input of a mechanism's `fields` (answered as `{ [field.id]: value }`).
 * @param {MechanismField} f
 */
function fieldInput(f) {
  const inputMode = f.inputMode ?? 'text';
  const type = inputMode === 'tel' ? 'tel' : inputMode === 'email' ? 'email' : 'text';
  /** @type {Record<string, string>} */
  const autofill = { countryCode: 'tel-country-code', phoneNumber: 'tel-national' };
  return h('input', {
    type, id: `answer-${f.id}`, inputmode: inputMode, autocomplete: autofill[f.id] ?? 'off', spellcheck: 'false', required: true,
  });
}

/**
 * Enrolling an authenticator app: the QR code (only a base64 `data:image/…` URL) and the key to type.
 * @param {Mechanism} m
 */
function authenticatorSetup(m) {
  if (!m.enroll) return [];
  /** @type {HTMLElement[]} */
  const parts = [];
  if (m.qrCode && /^data:image\/(png|gif|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(m.qrCode)) {
    parts.push(h('div', { class: 'qr' }, h('img', { src: m.qrCode, alt: 'QR code to scan with your authenticator app', width: 200, height: 200 })));
  }
  if (m.secret) {
    const secret = h('textarea', { id: 'totp-secret', class: 'secret', rows: 2, readonly: true, autocomplete: 'off', spellcheck: 'false' });
    // Groups of four are easier to type; authenticator apps ignore the spaces.
    secret.value = m.secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
    parts.push(h('label', { for: 'totp-secret' }, 'Or type this key'), secret);
  }
  return parts;
}

/**
 * "Remember this device", when the server offers it (sent as `rememberDevice: true`).
 * @param {Step} step
 */
function rememberDeviceBox(step) {
  if (!step.rememberDevice) return null;
  const days = step.rememberDevice.days;
  const box = h('input', { type: 'checkbox', id: 'remember-device' });
  return h('label', { class: 'check' }, box, days ? ` Remember this device for ${days} day${days === 1 ? '' : 's'}` : ' Remember this device');
}

/** @param {HTMLElement | null} label  the label around the checkbox */
function rememberDevice(label) {
  const box = label?.querySelector('input');
  return box?.checked ? { rememberDevice: true } : {};
}

/**
 * "Sent to …", unless the prompt already says where.
 * @param {Mechanism} m
 */
function sentTo(m) {
  const address = addressNotIn(m, m.prompt) || (m.device && !m.label.includes(m.device) ? m.device : '');
  return address ? h('p', { class: 'muted' }, `Sent to ${address}`) : null;
}

/**
 * The masked phone number or e-mail address, unless `text` already shows it.
 * @param {Mechanism} m
 * @param {string} text
 */
function addressNotIn(m, text) {
  const address = m.maskedAddress ?? '';
  const core = address.replace(/^[…*.@\s]+/, '');
  return core && text.includes(core) ? '' : address;
}

// ------------------------------------------------------------------ rendering

/**
 * Replaces the screen: a focusable `h1`, then the parts. Stops the old screen's timers.
 * @param {string} title
 * @param {Array<Node | null>} parts
 * @param {{ focus: 'heading' | 'field' | 'none' | HTMLElement }} options
 * @returns {number} the new screen's number (for its timers and answers)
 */
function render(title, parts, { focus }) {
  clearTimers();
  state.view += 1;
  state.busy = false;
  root.removeAttribute('aria-busy');
  const heading = h('h1', { tabindex: -1 }, title);
  root.replaceChildren(heading, ...parts.filter((p) => p !== null));
  document.title = `${title} · single-page app · passport-multistep demo`;
  if (focus === 'heading') heading.focus();
  else if (focus === 'field') {
    const field = root.querySelector('input:not([type=hidden]):not([type=checkbox]), select');
    if (field instanceof HTMLInputElement) field.select();
    if (field instanceof HTMLElement) field.focus();
  } else if (focus instanceof HTMLElement) focus.focus();
  return state.view;
}

function clearTimers() {
  for (const timer of state.timers) {
    window.clearTimeout(timer);
    window.clearInterval(timer);
  }
  state.timers = [];
}

/** @param {boolean} busy */
function setBusy(busy) {
  state.busy = busy;
  if (busy) root.setAttribute('aria-busy', 'true');
  else root.removeAttribute('aria-busy');
}

/**
 * A tiny element builder: attributes (`true` → present, `false`/`undefined` → absent) and
 * children (strings become text nodes: never parsed as HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | undefined>} attributes
 * @param {Array<Node | string | null | undefined>} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child);
  return element;
}

// ------------------------------------------------------------------ start-up

/**
 * index.html's `spa-config`: `{ providers: [{ key, name, base }], providersUrl? }`.
 * @returns {{ providers: Provider[], providersUrl?: string }}
 */
function readConfig() {
  const text = document.getElementById('spa-config')?.textContent ?? '';
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const object = /** @type {{ providers?: unknown, providersUrl?: unknown }} */ (parsed ?? {});
  const valid = validProviders(object.providers);
  if (valid.length === 0) throw new Error('index.html needs <script type="application/json" id="spa-config">{"providers": [{key, name, base}]}</script>');
  // Same origin only: the list says where the app sends passwords.
  const url = typeof object.providersUrl === 'string' && /^\/(?![/\\])/.test(object.providersUrl) ? object.providersUrl : undefined;
  return { providers: valid, ...(url ? { providersUrl: url } : {}) };
}

/**
 * The well-formed entries of a providers list (`base`: a path on this origin).
 * @param {unknown} list
 * @returns {Provider[]}
 */
function validProviders(list) {
  if (!Array.isArray(list)) return [];
  return list.filter((p) => p && typeof p.key === 'string' && typeof p.name === 'string' && typeof p.base === 'string' && /^\/(?![/\\])/.test(p.base));
}

/** The provider named by `?provider=<key>`, else the first one. */
function pickProvider() {
  return providers.find((p) => p.key === wantedProvider) ?? /** @type {Provider} */ (providers[0]);
}

/** The picker's options, the current provider selected. */
function providerOptions() {
  return providers.map((p) => {
    const option = h('option', { value: p.key }, p.name);
    option.selected = p.key === state.provider.key;
    return option;
  });
}

/**
 * Asks the server which providers it offers now (`config.providersUrl`): `{ providers, pending? }`.
 * Its list replaces index.html's; while some are `pending` (still starting), it asks again, and
 * the start page's picker gains them when they come. Without the URL, or when the server does
 * not answer, index.html's list stays.
 * @param {number} [attempt]
 */
async function loadProviders(attempt = 0) {
  if (!config.providersUrl) return;
  /** @type {{ providers?: unknown, pending?: unknown } | undefined} */
  let reply;
  try {
    const response = await fetch(config.providersUrl, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
    if (response.ok) reply = await response.json();
  } catch {
    reply = undefined;
  }
  const list = validProviders(reply?.providers);
  if (list.length > 0) {
    const before = providers.map((p) => p.key).join();
    providers.splice(0, providers.length, ...list);
    if (providers.map((p) => p.key).join() !== before) providersChanged();
  }
  const pending = Array.isArray(reply?.pending) && reply.pending.length > 0;
  if (pending && attempt < PROVIDERS_RETRIES) {
    window.setTimeout(() => void loadProviders(attempt + 1), PROVIDERS_RETRY_MS);
  }
}

/**
 * The list of providers changed. A login in progress keeps its provider; on the start page the
 * picker follows: the user's choice stays, else `?provider=` once it is offered.
 */
function providersChanged() {
  // A login in progress (or starting: its request is on its way) keeps its provider.
  if (state.tx || state.step || state.busy) return;
  const username = document.getElementById('username');
  const picker = document.getElementById('provider');
  const selected = picker instanceof HTMLSelectElement ? picker.value : state.provider.key;
  const chosen = picker instanceof HTMLSelectElement && picker.dataset.chosen === 'true';
  /** @param {string | null} key */
  const byKey = (key) => providers.find((p) => p.key === key);
  state.provider = (chosen ? byKey(selected) : undefined) ?? byKey(wantedProvider) ?? byKey(selected) ?? /** @type {Provider} */ (providers[0]);
  // The start page is not on screen yet: it will show the new list.
  if (!(username instanceof HTMLInputElement)) return;
  if (picker instanceof HTMLSelectElement && providers.length > 1) {
    // In place: what the user typed, and the focus, stay.
    picker.replaceChildren(...providerOptions());
    picker.value = state.provider.key;
    return;
  }
  // The picker appears (or goes): the start page again, with the user name typed so far.
  state.username = username.value;
  const focused = document.activeElement === username;
  startView();
  if (!focused) root.querySelector('h1')?.focus();
}

/** Keeps the login in progress across a reload of this tab (only its id: nothing secret). */
function remember() {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ provider: state.provider.key, tx: state.tx, username: state.username }));
  } catch {
    // Storage disabled: a reload simply starts over.
  }
}

function forget() {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // (see remember)
  }
}

/** Resumes a login this tab had in progress (after a reload), else shows the start page. */
async function resume() {
  /** @type {{ provider?: string, tx?: string, username?: string }} */
  let saved = {};
  try {
    saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? '{}') ?? {};
  } catch {
    saved = {};
  }
  // The server's list (in the background; first, to resume a login with a provider index.html does not list).
  const listed = loadProviders();
  if (saved.tx) await listed;
  const provider = providers.find((p) => p.key === saved.provider);
  if (provider && saved.tx) {
    state.provider = provider;
    state.tx = saved.tx;
    state.username = saved.username ?? '';
    const result = await request(`${route('step')}?tx=${encodeURIComponent(saved.tx)}`);
    if (result.reply.step && !result.reply.error) return show(result);
  }
  startView();
  // The first POST needs the token; fetching it now makes "Continue" one request.
  await Promise.all([refreshCsrf(), listed]);
}

void resume();
