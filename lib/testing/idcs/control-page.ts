/**
 * The "phone": a small HTML page to play the user's side of an IDCS sign-in by
 * hand (approve pushes, read SMS/e-mail codes and authenticator codes). Every
 * dynamic value goes through escapeHtml.
 */
import { CONTROL_PAGE_STYLE, ago, controlButton as button, escapeHtml as e } from '../shared/html.js';
import type { IdcsPendingPush, IdcsSentCode, IdcsSimulatorState } from './types.js';

const FACTOR_LABEL: Record<string, string> = {
  TOTP: 'Authenticator app',
  SMS: 'SMS',
  EMAIL: 'Email',
  PUSH: 'Push',
  SECURITY_QUESTIONS: 'Security questions',
  BYPASSCODE: 'Bypass code',
};

const STYLE = `${CONTROL_PAGE_STYLE}
header{background:#312d2a}.secret{font:12px ui-monospace,Menlo,Consolas,monospace;color:#5a6478;word-break:break-all}`;

/** Renders the control page; `mount` is the path of the page (e.g. `/_sim`), used for form actions. */
export function renderIdcsControlPage(state: IdcsSimulatorState, mount: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Oracle IDCS simulator</title><style>${STYLE}</style></head>
<body><header><h1>Oracle IDCS / Identity Domains simulator</h1>
<p>API <code>${e(state.url)}</code> · app <code>${e(state.appName)}</code> · client <code>${e(state.clientId)}</code> ·
${state.openFlows} open sign-in(s) · ${state.activeAccessTokens} live access token(s) · ${state.tokensIssued} issued</p></header>
<main>
${pushSection(state.pendingPushes, mount)}
${totpSection(state.totp)}
${codeSection(state.codes)}
${userSection(state, mount)}
${switchSection(state, mount)}
</main></body></html>`;
}

function pushSection(pushes: IdcsPendingPush[], mount: string): string {
  const rows = pushes.map(
    (p) => `<tr><td>${e(p.username)}</td><td>${e(p.deviceName)}</td>
<td class="muted">${e(ago(p.startedAt))} · ${p.polls} poll(s) · <code>${e(p.flow)}</code></td>
<td>${button(mount, 'Approve', 'approve', 'push', p.username, 'approve')} ${button(mount, 'Deny', 'deny', 'push', p.username, 'deny')}</td></tr>`,
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Device</th><th>Since</th><th></th></tr>${rows.join('')}</table>`
    : '<p class="muted">No push waiting. Sign in as dan (or lea and choose push) to see one here.</p>';
  return `<section><h2>Push notifications</h2>${body}</section>`;
}

function totpSection(totp: IdcsSimulatorState['totp']): string {
  const rows = Object.entries(totp).map(
    ([user, t]) => `<tr><td>${e(user)}</td><td class="code">${e(t.code)}</td>
<td>${t.enrolling ? 'being enrolled' : 'enrolled'}</td><td class="secret">${e(t.secret)}</td></tr>`,
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Code now</th><th>State</th><th>Secret (base32)</th></tr>${rows.join('')}</table>`
    : '<p class="muted">No authenticator app yet.</p>';
  return `<section><h2>Authenticator apps (TOTP, 30 s)</h2>${body}</section>`;
}

function codeSection(codes: Record<string, IdcsSentCode[]>): string {
  const rows = Object.entries(codes).flatMap(([user, sent]) =>
    [...sent]
      .sort((a, b) => b.sentAt - a.sentAt)
      .map(
        (c) => `<tr><td>${e(user)}</td><td>${e(FACTOR_LABEL[c.mechanism] ?? c.mechanism)}</td>
<td class="code">${e(c.code)}</td><td class="muted">${e(ago(c.sentAt))}</td></tr>`,
      ),
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Sent by</th><th>Code</th><th>Sent</th></tr>${rows.join('')}</table>`
    : '<p class="muted">No codes sent yet.</p>';
  return `<section><h2>Messages (SMS and email codes)</h2>${body}</section>`;
}

function userSection(state: IdcsSimulatorState, mount: string): string {
  const rows = state.users.map((u) => {
    const notes = [
      u.usernameFirst ? 'user name first' : '',
      u.enrollment ? `enrollment ${u.enrollment}` : '',
      u.termsOfUse ? 'terms of use' : '',
      u.trustedDevice ? 'trusted devices' : '',
      u.passwordExpired ? 'password expired' : '',
      u.adminLocked ? 'locked by admin' : '',
    ].filter(Boolean);
    const factors = u.factors.length
      ? u.factors.map((f) => FACTOR_LABEL[f] ?? f).join(', ') + (u.enrolledDuringRun.length ? ` (enrolled now: ${u.enrolledDuringRun.join(', ')})` : '')
      : 'password only';
    const status = u.lockedOut
      ? `<span class="locked">locked out</span> ${button(mount, 'Unlock', 'plain', 'unlock', u.username)}`
      : u.failures > 0
        ? `${u.failures} failed`
        : '<span class="muted">ok</span>';
    return `<tr><td><code>${e(u.username)}</code> ${e(u.displayName)}<br><span class="muted">${e(u.email)}</span></td>
<td><code>${e(u.password)}</code></td><td>${e(factors)}${notes.length ? `<br><span class="muted">${e(notes.join(' · '))}</span>` : ''}</td><td>${status}</td></tr>`;
  });
  return `<section><h2>Demo users</h2><table><tr><th>User</th><th>Password</th><th>Factors</th><th>Status</th></tr>${rows.join('')}</table></section>`;
}

function switchSection(state: IdcsSimulatorState, mount: string): string {
  const faults = state.pendingFaults.length ? `<p>Armed faults: <code>${e(JSON.stringify(state.pendingFaults))}</code></p>` : '';
  return `<section><h2>Switches</h2><code>${e(JSON.stringify(state.switches))}</code>${faults}
<p>${button(mount, 'Expire access tokens', 'plain', 'expire-access-tokens')} ${button(mount, 'Expire requestStates', 'plain', 'expire-request-states')}
${button(mount, 'Expire codes', 'plain', 'expire-codes')} ${button(mount, 'Reset', 'deny', 'reset')}</p>
<p class="muted">JSON API under <code>/_sim/api/</code>: GET state, GET code/:user, GET totp/:user, POST push/:user/approve|deny, POST unlock/:user,
POST expire-access-tokens, POST expire-request-states, POST expire-codes, GET|POST switches, POST|DELETE faults, POST reset.</p></section>`;
}
