/**
 * The "phone": a small HTML page to play the user's side of an OAA challenge by
 * hand (approve pushes, read Email/SMS codes, authenticator codes, touch the
 * YubiKey, unlock blocked factors). Every dynamic value goes through escapeHtml.
 */
import { CONTROL_PAGE_STYLE, ago, controlButton as button, escapeHtml as e } from '../shared/html.js';
import type { OaaPendingPush, OaaSentCode, OaaSimulatorState } from './types.js';

const FACTOR_LABEL: Record<string, string> = {
  ChallengeEmail: 'Email OTP',
  ChallengeSMS: 'SMS OTP',
  ChallengeOMATOTP: 'TOTP (authenticator app)',
  ChallengeOMAPUSH: 'Push (Oracle Mobile Authenticator)',
  ChallengeYOTP: 'YubiKey OTP',
  ChallengeYubicoOTP: 'YubiKey OTP',
  ChallengeFIDO2: 'FIDO2 security key',
};

const STYLE = `${CONTROL_PAGE_STYLE}
header{background:#3a2f28}.secret{font:12px ui-monospace,Menlo,Consolas,monospace;color:#5a6478;word-break:break-all}
.wrap{word-break:break-all}`;

const label = (key: string): string => FACTOR_LABEL[key] ?? key;

/** Renders the control page; `mount` is the path of the page (e.g. `/_sim`), used for form actions. */
export function renderOaaControlPage(state: OaaSimulatorState, mount: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Oracle Advanced Authentication simulator</title><style>${STYLE}</style></head>
<body><header><h1>Oracle Advanced Authentication (OAA) runtime simulator</h1>
<p>OAAService <code>${e(state.url)}</code> · API user <code>${e(state.apiUsername)}</code> · agent <code>${e(state.clientId)}</code> ·
assurance levels <code>${e(state.assuranceLevels.join(', '))}</code> · ${state.sessions.length} open correlationId(s) ·
enrolment page <code>${e(state.registrationUrl)}</code></p></header>
<main>
${pushSection(state.pendingPushes, mount)}
${codeSection(state.codes)}
${totpSection(state.totp)}
${yubikeySection(state.yubikeys, mount)}
${userSection(state, mount)}
${switchSection(state, mount)}
</main></body></html>`;
}

function pushSection(pushes: OaaPendingPush[], mount: string): string {
  const rows = pushes.map(
    (p) => `<tr><td>${e(p.username)}</td><td>${e(p.deviceName)}</td>
<td class="muted">${e(ago(p.startedAt))} · ${p.polls} poll(s) · <code>${e(p.correlation)}</code></td>
<td>${button(mount, 'Approve', 'approve', 'push', p.username, 'approve')} ${button(mount, 'Deny', 'deny', 'push', p.username, 'deny')}</td></tr>`,
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Device</th><th>Since</th><th></th></tr>${rows.join('')}</table>`
    : '<p class="muted">No push waiting. Challenge rosa with ChallengeOMAPUSH to see one here.</p>';
  return `<section><h2>Push notifications</h2>${body}</section>`;
}

function codeSection(codes: Record<string, OaaSentCode[]>): string {
  const rows = Object.entries(codes).flatMap(([user, sent]) =>
    [...sent]
      .sort((a, b) => b.sentAt - a.sentAt)
      .map(
        (c) => `<tr><td>${e(user)}</td><td>${e(label(c.mechanism))}</td>
<td class="code">${e(c.code)}</td><td class="muted">${e(ago(c.sentAt))}</td></tr>`,
      ),
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Sent by</th><th>Code</th><th>Sent</th></tr>${rows.join('')}</table>`
    : '<p class="muted">No codes sent yet (an Init of ChallengeEmail or ChallengeSMS sends one).</p>';
  return `<section><h2>Messages (Email and SMS OTPs)</h2>${body}</section>`;
}

function totpSection(totp: OaaSimulatorState['totp']): string {
  const rows = Object.entries(totp).map(
    ([user, t]) => `<tr><td>${e(user)}</td><td class="code">${e(t.code)}</td><td class="secret">${e(t.secret)}</td></tr>`,
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Code now</th><th>Secret (base32)</th></tr>${rows.join('')}</table>`
    : '<p class="muted">No user has ChallengeOMATOTP.</p>';
  return `<section><h2>Authenticator apps (TOTP, 30 s)</h2>${body}</section>`;
}

function yubikeySection(keys: OaaSimulatorState['yubikeys'], mount: string): string {
  const rows = Object.entries(keys).map(
    ([user, k]) => `<tr><td>${e(user)}</td><td><code>${e(k.publicId)}</code></td>
<td class="secret">${k.lastOtp ? e(k.lastOtp) : '<span class="muted">not touched yet</span>'}</td>
<td>${button(mount, 'Touch key', 'plain', 'yotp', user)}</td></tr>`,
  );
  const body = rows.length
    ? `<table><tr><th>User</th><th>Public id</th><th>Last OTP (each is valid once)</th><th></th></tr>${rows.join('')}</table>`
    : '<p class="muted">No user has a YubiKey.</p>';
  return `<section><h2>YubiKeys (Yubico OTP)</h2>${body}</section>`;
}

function userSection(state: OaaSimulatorState, mount: string): string {
  const rows = state.users.map((u) => {
    const factors = u.noChallenge ? 'no challenge (low-risk rule)' : u.factors.length ? u.factors.map(label).join(', ') : 'none (missing registration)';
    const failures = Object.entries(u.failures).map(([f, n]) => `${label(f)}: ${n} wrong`);
    const status = u.blocked.length
      ? `<span class="locked">blocked: ${e(u.blocked.map(label).join(', '))}</span> ${button(mount, 'Unlock', 'plain', 'unlock', u.username)}`
      : failures.length
        ? e(failures.join(' · '))
        : '<span class="muted">ok</span>';
    const contact = [
      u.factors.includes('ChallengeEmail') ? u.email : '',
      u.factors.includes('ChallengeSMS') ? u.phoneNumber : '',
    ].filter(Boolean);
    const finalize = u.lastFinalize ? `<br><span class="muted">last Finalize: ${e(u.lastFinalize.result)}${u.lastFinalize.reason ? ` (${e(u.lastFinalize.reason)})` : ''}</span>` : '';
    return `<tr><td><code>${e(u.username)}</code> ${e(u.displayName)}<br><span class="muted">group ${e(u.group)} · contextId <code>${e(u.contextId)}</code></span></td>
<td><code>${e(u.password)}</code></td><td>${e(factors)}${contact.length ? `<br><span class="muted">${e(contact.join(' · '))}</span>` : ''}</td><td>${status}${finalize}</td></tr>`;
  });
  return `<section><h2>Demo users</h2><table><tr><th>User</th><th>Password (demo LDAP)</th><th>Factors</th><th>Status</th></tr>${rows.join('')}</table></section>`;
}

function switchSection(state: OaaSimulatorState, mount: string): string {
  const faults = state.pendingFaults.length ? `<p>Armed faults: <code>${e(JSON.stringify(state.pendingFaults))}</code></p>` : '';
  return `<section><h2>Switches</h2><code class="wrap">${e(JSON.stringify(state.switches))}</code>${faults}
<p>${button(mount, 'Expire correlationIds', 'plain', 'expire-sessions')} ${button(mount, 'Reset', 'deny', 'reset')}</p>
<p class="muted">JSON API under <code>/_sim/api/</code>: GET state, GET code/:user, GET totp/:user, GET|POST yotp/:user, GET context/:user,
GET finalize/:user, POST push/:user/approve|deny, POST unlock/:user, POST expire-sessions, GET|POST switches, POST|DELETE faults, POST reset.</p></section>`;
}
