/**
 * The demo's own pages (home, /private, errors) and what it adds to the library's built-in
 * login pages: the simulator hints (which users exist, where the simulated phone is), through
 * the `pages.footerHtml` option of `strategy.router()`. The login pages themselves are the
 * library's built-in ones.
 *
 * Every interpolated value goes through `escapeHtml`.
 */
import type { PageLocals } from '../../lib/index.js';

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

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

function layout(title: string, body: string): string {
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
</body>
</html>`;
}

/** "Demo: open the simulator's phone…", when the provider is the bundled simulator; `classes` fit the page it goes on. */
function simulatorHint(provider: ProviderInfo, withUsers: boolean, classes: { note: string }): string {
  const sim = provider.simulator;
  if (!sim) return '';
  const users = withUsers
    ? `<p>Demo users (password <code>&lt;name&gt;-pw</code>):</p>
<ul class="users">
${sim.users.map((u) => `<li><code>${escapeHtml(u.username)}</code> / <code>${escapeHtml(u.password)}</code>${u.description ? ` — ${escapeHtml(u.description)}` : ''}</li>`).join('\n')}
</ul>`
    : '';
  return `<aside class="${classes.note}" aria-label="${escapeHtml(`Demo help: ${provider.name}`)}">
<p>Demo: open the ${escapeHtml(provider.name)} simulator's phone at <a href="${escapeHtml(sim.controlUrl)}" target="_blank" rel="noopener">${escapeHtml(sim.controlUrl)}</a> to ${escapeHtml(sim.controlPurpose ?? 'approve pushes and read SMS / e-mail codes')}.</p>
${users}
</aside>`;
}

/** Step pages where the user needs the simulated phone: choosing a method, waiting, typing a code sent to it. */
function needsPhone(locals: PageLocals): boolean {
  if (locals.page !== 'step') return false;
  const { step } = locals;
  if (step.kind === 'select' || step.kind === 'pending') return true;
  const type = step.mechanisms[0]?.type;
  return step.kind === 'answer' && (type === 'otp' || type === 'link' || type === 'phone-number');
}

/**
 * The `pages.footerHtml` of one provider's router (trusted HTML, appended inside the built-in
 * pages' `<main>`): on the start page the other providers and the demo users, on the steps that
 * need it a link to the simulated phone.
 */
export function loginFooter(provider: ProviderInfo, providers: readonly ProviderInfo[]): (locals: PageLocals) => string {
  return (locals) => {
    if (locals.page === 'start') {
      const others = providers.filter((p) => p.key !== provider.key);
      return `<p class="ms-muted">Or sign in with ${others.map((p) => `<a href="${escapeHtml(p.loginUrl)}">${escapeHtml(p.name)}</a>`).join(' · ')} · <a href="/">Home</a></p>
${simulatorHint(provider, true, { note: 'ms-note' })}`;
    }
    if (locals.page === 'error') return '<p><a href="/">Home</a></p>';
    return needsPhone(locals) ? simulatorHint(provider, false, { note: 'ms-note' }) : '';
  };
}

export function homePage(providers: readonly ProviderInfo[], user: DemoUser | undefined, csrf: { field: string; token: string }, logoutAction: string): string {
  if (!user) {
    const body = `<h1>passport-multistep demo</h1>
<p>You are not signed in.</p>
<div class="providers">
${providers.map((p) => `<a class="button" href="${escapeHtml(p.loginUrl)}">Sign in with ${escapeHtml(p.name)}</a>`).join('\n')}
</div>
<p><a href="/spa/">Single-page app</a>: the same sign-ins through the JSON routes (<code>examples/spa</code>)</p>
<p><a href="/private">Private page</a> (asks you to sign in first)</p>
${providers.map((p) => simulatorHint(p, false, { note: 'note' })).join('\n')}`;
    return layout('Home', body);
  }
  const provider = providers.find((p) => p.key === user.provider);
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
<input type="hidden" name="${escapeHtml(csrf.field)}" value="${escapeHtml(csrf.token)}">
<button type="submit" class="secondary">Log out</button>
</form>
</div>`;
  return layout('Home', body);
}

export function privatePage(user: DemoUser): string {
  const body = `<h1>Private page</h1>
<p>Only signed-in users see this. Hello, <strong>${escapeHtml(user.name)}</strong>.</p>
<p><a href="/">Back home</a></p>`;
  return layout('Private page', body);
}

export function errorPage(status: number, message: string): string {
  const body = `<h1>${escapeHtml(status === 404 ? 'Page not found' : 'Something went wrong')}</h1>
<div class="alert" role="alert">${escapeHtml(message)}</div>
<p><a href="/">Back home</a></p>`;
  return layout(`Error ${status}`, body);
}
