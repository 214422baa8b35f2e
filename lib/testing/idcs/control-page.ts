/**
 * The "phone": a small HTML page to play the user's side of an IDCS sign-in by
 * hand (approve pushes, scan enrollment QR codes with "Oracle Mobile Authenticator",
 * read SMS/e-mail codes and authenticator codes). Every dynamic value goes through escapeHtml.
 */
import { lockoutStatus, pushButtons, renderControlPage, section, sentCodesSection, switchesAndFaults, table, tableSection } from '../shared/control-page.js';
import { CONTROL_PAGE_STYLE, ago, controlButton as button, escapeHtml as e } from '../shared/html.js';
import type { IdcsPendingEnrollment, IdcsPendingPush, IdcsSimulatorState } from './types.js';

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
  return renderControlPage({
    title: 'Oracle IDCS simulator',
    heading: 'Oracle IDCS / Identity Domains simulator',
    style: STYLE,
    summaryHtml: `API <code>${e(state.url)}</code> · app <code>${e(state.appName)}</code> · client <code>${e(state.clientId)}</code> ·
tenant <code>${e(state.tenant)}</code> · ${state.openFlows} open sign-in(s) · ${state.activeAccessTokens} live access token(s) ·
${state.tokensIssued} issued (${state.userTokensIssued} for users)`,
    sectionsHtml: [
      pushSection(state.pendingPushes, mount),
      enrollmentSection(state.pendingEnrollments, mount),
      totpSection(state.totp),
      sentCodesSection('Messages (SMS and email codes)', state.codes, FACTOR_LABEL),
      userSection(state, mount),
      switchSection(state, mount),
    ],
  });
}

function pushSection(pushes: IdcsPendingPush[], mount: string): string {
  const rows = pushes.map(
    (p) => `<tr><td>${e(p.username)}</td><td>${e(p.deviceName)}</td>
<td class="muted">${e(ago(p.startedAt))} · ${p.polls} poll(s) · <code>${e(p.flow)}</code></td>
<td>${pushButtons(mount, p.username)}</td></tr>`,
  );
  return tableSection(
    'Push notifications',
    ['User', 'Device', 'Since', ''],
    rows,
    'No push waiting. Sign in as dan (or lea and choose push) to see one here.',
  );
}

function enrollmentSection(pending: IdcsPendingEnrollment[], mount: string): string {
  const rows = pending.map((p) => {
    const action =
      p.mode === 'online' && !p.scanned
        ? button(mount, 'Scan QR code', 'approve', 'enrollment', p.username, 'scan')
        : `<span class="muted">${e(p.scanned ? 'scanned: the next poll succeeds' : p.mode === 'offline' ? 'type the code shown below' : 'type the code sent')}</span>`;
    return `<tr><td>${e(p.username)}</td><td>${e(FACTOR_LABEL[p.factor] ?? p.factor)}</td><td class="muted">${e(p.mode)} · <code>${e(p.flow)}</code></td><td>${action}</td></tr>`;
  });
  return tableSection(
    'Enrollments (Oracle Mobile Authenticator)',
    ['User', 'Factor', 'Mode', ''],
    rows,
    'No enrollment waiting. Sign in as gus or hal and choose a factor to see one here.',
  );
}

function totpSection(totp: IdcsSimulatorState['totp']): string {
  const rows = Object.entries(totp).map(
    ([user, t]) => `<tr><td>${e(user)}</td><td class="code">${e(t.code)}</td>
<td>${t.enrolling ? 'being enrolled' : 'enrolled'}</td><td class="secret">${e(t.secret)}</td></tr>`,
  );
  return tableSection('Authenticator apps (TOTP, 30 s)', ['User', 'Code now', 'State', 'Secret (base32)'], rows, 'No authenticator app yet.');
}

function userSection(state: IdcsSimulatorState, mount: string): string {
  const rows = state.users.map((u) => {
    const notes = [
      u.enrollment ? `enrollment ${u.enrollment}` : '',
      u.termsOfUse ? 'terms of use' : '',
      u.trustedDevice ? 'trusted devices' : '',
      u.passwordExpired ? 'password expired' : '',
      u.mustChangePassword ? 'must change password' : '',
      u.adminLocked ? 'locked' : '',
    ].filter(Boolean);
    const factors = u.factors.length
      ? u.factors.map((f) => FACTOR_LABEL[f] ?? f).join(', ') + (u.enrolledDuringRun.length ? ` (enrolled now: ${u.enrolledDuringRun.join(', ')})` : '')
      : 'password only';
    const status = lockoutStatus(mount, u, u.lockedOut, 'locked out');
    return `<tr><td><code>${e(u.username)}</code> ${e(u.displayName)}<br><span class="muted">${e(u.email)}</span></td>
<td><code>${e(u.password)}</code></td><td>${e(factors)}${notes.length ? `<br><span class="muted">${e(notes.join(' · '))}</span>` : ''}</td><td>${status}</td></tr>`;
  });
  return section('Demo users', table(['User', 'Password', 'Factors', 'Status'], rows));
}

function switchSection(state: IdcsSimulatorState, mount: string): string {
  return section(
    'Switches',
    `${switchesAndFaults(state.switches, state.pendingFaults)}
<p>${button(mount, 'Expire access tokens', 'plain', 'expire-access-tokens')} ${button(mount, 'Expire authnTokens', 'plain', 'expire-authn-tokens')}
${button(mount, 'Expire requestStates', 'plain', 'expire-request-states')} ${button(mount, 'Expire codes', 'plain', 'expire-codes')} ${button(mount, 'Reset', 'deny', 'reset')}</p>
<p class="muted">JSON API under <code>/_sim/api/</code>: GET state, GET code/:user, GET totp/:user, POST push/:user/approve|deny,
POST enrollment/:user/scan, POST unlock/:user, POST expire-access-tokens, POST expire-authn-tokens, POST expire-request-states,
POST expire-codes, GET|POST switches, POST|DELETE faults, POST reset.</p>`,
  );
}
