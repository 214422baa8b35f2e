/**
 * The "phone": a small HTML page to play the user's side of an OAA challenge by
 * hand (approve pushes, read Email/SMS codes, authenticator codes, touch the
 * YubiKey, unlock blocked factors). Every dynamic value goes through escapeHtml.
 */
import { pushButtons, renderControlPage, section, sentCodesSection, switchesAndFaults, table, tableSection } from '../shared/control-page.js';
import { CONTROL_PAGE_STYLE, ago, controlButton as button, escapeHtml as e } from '../shared/html.js';
import type { OaaPendingPush, OaaSimulatorState } from './types.js';

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
  return renderControlPage({
    title: 'Oracle Advanced Authentication simulator',
    heading: 'Oracle Advanced Authentication (OAA) runtime simulator',
    style: STYLE,
    summaryHtml: `OAAService <code>${e(state.url)}</code> · API user <code>${e(state.apiUsername)}</code> · agent <code>${e(state.clientId)}</code> ·
assurance levels <code>${e(state.assuranceLevels.join(', '))}</code> · ${state.sessions.length} open correlationId(s) ·
enrolment page <code>${e(state.registrationUrl)}</code>`,
    sectionsHtml: [
      pushSection(state.pendingPushes, mount),
      sentCodesSection(
        'Messages (Email and SMS OTPs)',
        state.codes,
        FACTOR_LABEL,
        'No codes sent yet (an Init of ChallengeEmail or ChallengeSMS sends one).',
      ),
      totpSection(state.totp),
      yubikeySection(state.yubikeys, mount),
      userSection(state, mount),
      switchSection(state, mount),
    ],
  });
}

function pushSection(pushes: OaaPendingPush[], mount: string): string {
  const rows = pushes.map(
    (p) => `<tr><td>${e(p.username)}</td><td>${e(p.deviceName)}</td>
<td class="muted">${e(ago(p.startedAt))} · ${p.polls} poll(s) · <code>${e(p.correlation)}</code></td>
<td>${pushButtons(mount, p.username)}</td></tr>`,
  );
  return tableSection(
    'Push notifications',
    ['User', 'Device', 'Since', ''],
    rows,
    'No push waiting. Challenge rosa with ChallengeOMAPUSH to see one here.',
  );
}

function totpSection(totp: OaaSimulatorState['totp']): string {
  const rows = Object.entries(totp).map(
    ([user, t]) => `<tr><td>${e(user)}</td><td class="code">${e(t.code)}</td><td class="secret">${e(t.secret)}</td></tr>`,
  );
  return tableSection('Authenticator apps (TOTP, 30 s)', ['User', 'Code now', 'Secret (base32)'], rows, 'No user has ChallengeOMATOTP.');
}

function yubikeySection(keys: OaaSimulatorState['yubikeys'], mount: string): string {
  const rows = Object.entries(keys).map(
    ([user, k]) => `<tr><td>${e(user)}</td><td><code>${e(k.publicId)}</code></td>
<td class="secret">${k.lastOtp ? e(k.lastOtp) : '<span class="muted">not touched yet</span>'}</td>
<td>${button(mount, 'Touch key', 'plain', 'yotp', user)}</td></tr>`,
  );
  return tableSection('YubiKeys (Yubico OTP)', ['User', 'Public id', 'Last OTP (each is valid once)', ''], rows, 'No user has a YubiKey.');
}

function userSection(state: OaaSimulatorState, mount: string): string {
  const rows = state.users.map((u) => {
    const factors = u.noChallenge ? 'no challenge (low-risk rule)' : u.factors.length ? u.factors.map(label).join(', ') : 'none (missing registration)';
    const failures = Object.entries(u.failures).map(([f, n]) => `${label(f)}: ${n} wrong`);
    // Per-factor counters and blocks (not one lockout), so not the shared lockoutStatus.
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
  return section('Demo users', table(['User', 'Password (demo LDAP)', 'Factors', 'Status'], rows));
}

function switchSection(state: OaaSimulatorState, mount: string): string {
  return section(
    'Switches',
    `${switchesAndFaults(state.switches, state.pendingFaults, 'wrap')}
<p>${button(mount, 'Expire correlationIds', 'plain', 'expire-sessions')} ${button(mount, 'Reset', 'deny', 'reset')}</p>
<p class="muted">JSON API under <code>/_sim/api/</code>: GET state, GET code/:user, GET totp/:user, GET|POST yotp/:user, GET context/:user,
GET finalize/:user, POST push/:user/approve|deny, POST unlock/:user, POST expire-sessions, GET|POST switches, POST|DELETE faults, POST reset.</p>`,
  );
}
