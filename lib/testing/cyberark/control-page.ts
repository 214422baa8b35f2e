/**
 * The "phone": a small HTML page to play the user's side of a login by hand
 * (approve pushes, read codes). Every dynamic value goes through escapeHtml.
 */
import { lockoutStatus, pushButtons, renderControlPage as renderPage, section, sentCodesSection, switchesAndFaults, table, tableSection } from '../shared/control-page.js';
import { CONTROL_PAGE_STYLE, ago, controlButton as button, escapeHtml as e } from '../shared/html.js';
import type { IdpLoginInfo, PendingPush, SimulatorState } from './types.js';

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
  return renderPage({
    title: 'CyberArk Identity simulator',
    heading: 'CyberArk Identity simulator',
    style: CONTROL_PAGE_STYLE,
    summaryHtml: `Tenant <code>${e(state.tenantId)}</code> · API <code>${e(state.url)}</code> · ${state.openSessions} open login(s) · ${state.activeTokens} signed-in token(s)`,
    sectionsHtml: [
      pushSection(state.pendingPushes, mount),
      idpSection(state.idpLogins, mount),
      sentCodesSection('Messages (SMS, email, authenticator codes)', state.codes, CODE_LABEL),
      userSection(state, mount),
      switchSection(state),
    ],
  });
}

function pushSection(pushes: PendingPush[], mount: string): string {
  const rows = pushes.map(
    (p) => `<tr><td>${e(p.username)}</td><td>${e(PUSH_LABEL[p.mechanism] ?? p.mechanism)}</td>
<td>${p.generatedAuthValue ? `<span class="num">${e(p.generatedAuthValue)}</span>` : '<span class="muted">–</span>'}</td>
<td class="muted">${e(ago(p.startedAt))} · <code>${e(p.session)}</code></td>
<td>${pushButtons(mount, p.username)}</td></tr>`,
  );
  return tableSection(
    'Waiting for approval',
    ['User', 'Request', 'Number', 'Since', ''],
    rows,
    'Nothing waiting. Start a push, phone call or email login to see it here.',
  );
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
  return tableSection(
    'Federated (IdP) logins',
    ['User', 'Login', 'State', 'PIN', 'Since', ''],
    rows,
    'No federated login open. Log in as a federated user (hank, ivy) with the <code>OobIdPAuth: true</code> header.',
  );
}

function userSection(state: SimulatorState, mount: string): string {
  const rows = state.users.map((u) => {
    const steps = u.federated
      ? `Federated: external IdP, then ${u.federated.pinRequired ? 'the PIN it shows' : 'OobAuthStatus polling'}`
      : u.challenges.map((c) => c.map((m) => MECH_LABEL[m] ?? m).join(' or ')).join(' → ') +
        (u.passwordExpired ? ' (expired: asks for a new password)' : '');
    const status = lockoutStatus(mount, u, u.locked, 'locked');
    return `<tr><td><code>${e(u.username)}</code><br><span class="muted">${e(u.email)}</span></td>
<td>${u.federated ? '<span class="muted">(at the IdP)</span>' : `<code>${e(u.password)}</code>`}</td><td>${e(steps)}</td><td>${status}</td></tr>`;
  });
  return section('Demo users', table(['User', 'Password', 'Steps', 'Status'], rows));
}

function switchSection(state: SimulatorState): string {
  const violations = state.cookieViolations.length
    ? `<p class="locked">Cookie violations:</p><ul>${state.cookieViolations.map((v) => `<li>${e(v)}</li>`).join('')}</ul>`
    : '';
  return section(
    'Switches',
    `${switchesAndFaults(state.switches, state.pendingFaults)}${violations}
<p class="muted">JSON API: GET state, GET code/:user, POST push/:user/approve|deny, POST idp/:user/complete|deny, POST switches, POST faults, POST reset (under <code>/_sim/api/</code>).</p>`,
  );
}
