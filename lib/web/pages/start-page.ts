/** The start page: the user name (prefilled after a failed attempt), and the last failure's message. */
import type { StartPageLocals } from '../page-locals.js';
import { alertBox } from './alert.js';
import type { PageBody } from './document.js';
import { attr, escapeHtml } from './escape.js';
import { csrfInput } from './forms.js';
import type { View } from './view.js';

/** The start page's heading and content. */
export function startPage(view: View<StartPageLocals>): PageBody {
  const { t, locals } = view;
  const html = `<p class="ms-muted">${escapeHtml(t('start.intro'))}</p>
${alertBox(t, locals.flash)}
<form method="post" action="${escapeHtml(locals.actions.start)}">
${csrfInput(locals)}
<label for="ms-username">${escapeHtml(t('start.username.label'))}</label>
<input type="text" id="ms-username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus${attr('value', locals.username)}>
<button type="submit" class="ms-primary">${escapeHtml(t('button.continue'))}</button>
</form>`;
  return { heading: t('start.heading'), html };
}
