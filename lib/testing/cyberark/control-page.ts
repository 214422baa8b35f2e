/**
 * The "phone": a small HTML page to play the user's side of a login by hand
 * (approve pushes, read codes). Every dynamic value goes through escapeHtml.
 */
import { CONTROL_PAGE_STYLE as STYLE, ago, controlButton as button, escapeHtml as e } from '../shared/html.js';
import type { IdpLoginInfo, PendingPush, SentCode, SimulatorState } from './types.js';

const MECH_LABEL: Record<string, string> = {
  UP: 'Password',
  SMS: 'SMS',
  EMAIL: 'Email',
  OTP: 'Push',
  OATH: 'OATH',
  PF: 'Phone call',
  SQ: 'Questions',
  U2F: 'FIDO2',
};

const PUSH_LABEL: Record<string, string> = { OTP: 'Mobile push', PF: 'Phone call', EMAIL: 'Email link' };
const CODE_LABEL: Record<string, string> = { SMS: 'SMS', EMAIL: 'Email', OTP: 'Authenticator app', OOBAUTHPIN: 'IdP PIN' };

/** Renders the control page; `mount` is the path of the page (e.g. `/_sim`), used for form actions. */
export function renderControlPage(state: SimulatorState, mount: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>CyberArk Identity simulator</title><style>${STYLE}</style></head>
<body><header><h1>CyberArk Identity simulator</h1>
<p>Tenant <code>${e(state.tenantId)}</code> · API <code>${e(state.url)}</code> · ${state.openSessions} open login(s) · ${state.activeTokens} signed-in token(s)</p></header>
<main>
${pushSection(state.pendingPushes, mount)}
${idpSection(state.idpLogins, mount)}
${codeSection(state.codes)}
${userSection(state, mount)}
${switchSection(state)}
</main></body></html>`;
}

function pushSection(pushes: PendingPush[], mount: string): string {
  const rows = pushes.map(
    (p) => `<tr><td>${e(p.username)}</td><td>${e(PUSH_LABEL[p.mechanism] ?? p.mechanism)}</td>
<td>${p.generatedAuthValue ? `<span class="num">${e(p.generatedAuthValue)}</span>` : '<span class="muted">–</span>'}</td>
<td class="muted">${e(ago(p.startedAt))} · <code>${e(p.session)}</code></td>
<td>${button(mount, 'Approve', 'approve', 'push', p.username, 'approve')} ${button(mount, 'Deny', 'deny', 'push', p.username, 'deny')}</td></tr>`,
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Request</th><th>Number</th><th>Since</th><th></th></tr>${rows.join('')}</table>`
    : '<p class="muted">Nothing waiting. Start a push, phone call or email login to see it here.</p>';
  return `<section><h2>Waiting for approval</h2>${body}</section>`;
}

function idpSection(logins: IdpLoginInfo[], mount: string): string {
  const rows = logins.map((l) => {
    const page = e(`${mount}/idp/${encodeURIComponent(l.shortUrlId)}`);
    const state =
      l.state === 'pending'
        ? 'waiting for the IdP login'
        : l.pinRequired
          ? 'signed in at the IdP; waiting for the PIN'
          : 'signed in at the IdP; waiting for the OobAuthStatus poll';
    const pin = l.pin ? `<span class="code">${e(l.pin)}</span>` : '<span class="muted">–</span>';
    const actions =
      l.state === 'pending'
        ? `${button(mount, 'Complete IdP login', 'approve', 'idp', l.username, 'complete')} ${button(mount, 'Deny', 'deny', 'idp', l.username, 'deny')}`
        : '';
    return `<tr><td>${e(l.username)}</td><td><a href="${page}">IdP page</a> · ${l.pinRequired ? 'PIN' : 'no PIN'}</td>
<td>${e(state)}</td><td>${pin}</td><td class="muted">${e(ago(l.startedAt))} · <code>${e(l.session)}</code></td><td>${actions}</td></tr>`;
  });
  const body = rows.length
    ? `<table><tr><th>User</th><th>Login</th><th>State</th><th>PIN</th><th>Since</th><th></th></tr>${rows.join('')}</table>`
    : '<p class="muted">No federated login open. Log in as a federated user (hank, ivy) with the <code>OobIdPAuth: true</code> header.</p>';
  return `<section><h2>Federated (IdP) logins</h2>${body}</section>`;
}

function codeSection(codes: Record<string, SentCode[]>): string {
  const rows = Object.entries(codes).flatMap(([user, sent]) =>
    [...sent]
      .sort((a, b) => b.sentAt - a.sentAt)
      .map(
        (c) => `<tr><td>${e(user)}</td><td>${e(CODE_LABEL[c.mechanism] ?? c.mechanism)}</td>
<td class="code">${e(c.code)}</td><td class="muted">${e(ago(c.sentAt))}</td></tr>`,
      ),
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Sent by</th><th>Code</th><th>Sent</th></tr>${rows.join('')}</table>`
    : '<p class="muted">No codes sent yet.</p>';
  return `<section><h2>Messages (SMS, email, authenticator codes)</h2>${body}</section>`;
}

function userSection(state: SimulatorState, mount: string): string {
  const rows = state.users.map((u) => {
    const steps = u.federated
      ? `Federated: external IdP, then ${u.federated.pinRequired ? 'the PIN it shows' : 'OobAuthStatus polling'}`
      : u.challenges.map((c) => c.map((m) => MECH_LABEL[m] ?? m).join(' or ')).join(' → ') +
        (u.passwordExpired ? ' (expired: asks for a new password)' : '');
    const status = u.locked
      ? `<span class="locked">locked</span> ${button(mount, 'Unlock', 'plain', 'unlock', u.username)}`
      : u.failures > 0
        ? `${u.failures} failed`
        : '<span class="muted">ok</span>';
    return `<tr><td><code>${e(u.username)}</code><br><span class="muted">${e(u.email)}</span></td>
<td>${u.federated ? '<span class="muted">(at the IdP)</span>' : `<code>${e(u.password)}</code>`}</td><td>${e(steps)}</td><td>${status}</td></tr>`;
  });
  return `<section><h2>Demo users</h2><table><tr><th>User</th><th>Password</th><th>Steps</th><th>Status</th></tr>${rows.join('')}</table></section>`;
}

function switchSection(state: SimulatorState): string {
  const faults = state.pendingFaults.length ? `<p>Armed faults: <code>${e(JSON.stringify(state.pendingFaults))}</code></p>` : '';
  const violations = state.cookieViolations.length
    ? `<p class="locked">Cookie violations:</p><ul>${state.cookieViolations.map((v) => `<li>${e(v)}</li>`).join('')}</ul>`
    : '';
  return `<section><h2>Switches</h2><code>${e(JSON.stringify(state.switches))}</code>${faults}${violations}
<p class="muted">JSON API: GET state, GET code/:user, POST push/:user/approve|deny, POST idp/:user/complete|deny, POST switches, POST faults, POST reset (under <code>/_sim/api/</code>).</p></section>`;
}
