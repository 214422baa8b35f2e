/**
 * The fake external IdP ("Example IdP") that federated users are sent to
 * (`IdpRedirectUrl` / `IdpRedirectShortUrl`, §2.3, T12). GET shows a sign-in
 * button, POST signs in; PIN users then see their PIN. Every dynamic value
 * goes through escapeHtml.
 */
import type { IdpLoginInfo } from './types.js';
import { escapeHtml as e } from './wire.js';

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#eef1f6;color:#1d2330}
main{max-width:420px;margin:64px auto;background:#fff;border-radius:10px;box-shadow:0 2px 8px rgba(0,0,0,.1);padding:28px 32px}
h1{font-size:20px;margin:0 0 4px}.brand{color:#6b4fd8;font-weight:700;letter-spacing:.03em;font-size:13px;text-transform:uppercase}
p{margin:12px 0}.muted{color:#8a93a6;font-size:13px}.pin{font:700 32px ui-monospace,Menlo,Consolas,monospace;letter-spacing:.2em;margin:12px 0}
button{border:0;border-radius:6px;padding:9px 20px;font:inherit;cursor:pointer;color:#fff;background:#6b4fd8}.bad{color:#c0392b}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body><main><div class="brand">Example IdP</div>
${body}
<p class="muted">A fake identity provider served by the CyberArk Identity simulator.</p></main></body></html>`;
}

/** The page for one federated login; `action` is the page's own path (the form posts to itself). */
export function renderIdpPage(login: IdpLoginInfo | undefined, action: string): string {
  if (!login) {
    return page('Example IdP', '<h1>Link not valid</h1><p class="bad">This sign-in link is unknown or has expired. Start the login again.</p>');
  }
  const who = `${e(login.displayName)} (<code>${e(login.username)}</code>)`;
  switch (login.state) {
    case 'pending':
      return page(
        'Sign in at Example IdP',
        `<h1>Sign in at Example IdP as ${e(login.username)}</h1><p>${who}</p>
<form method="post" action="${e(action)}"><button type="submit">Sign in</button></form>`,
      );
    case 'completed':
      if (login.pin !== undefined) {
        return page(
          'Example IdP: your PIN',
          `<h1>Signed in as ${e(login.username)}</h1><p>Enter this PIN in the application:</p>
<div class="pin" id="pin">${e(login.pin)}</div><p class="muted">It is valid for 5 minutes.</p>`,
        );
      }
      return page(
        'Example IdP: signed in',
        `<h1>Signed in as ${e(login.username)}</h1><p>You are signed in. You can close this page and return to the application.</p>` +
          (login.api ? '' : '<p class="muted">Browser-only redirect: the simulator does not model the return to the portal.</p>'),
      );
    case 'succeeded':
      return page('Example IdP: done', `<h1>Signed in as ${e(login.username)}</h1><p>The application has completed the login.</p>`);
    default:
      return page('Example IdP', `<h1>Sign-in ended</h1><p class="bad">This login is ${e(login.state)}. Start the login again.</p>`);
  }
}
