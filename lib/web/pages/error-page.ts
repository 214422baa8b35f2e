/** A failure with no login page to go back to (e.g. a form posted without a session cookie): the message and "Start again". */
import type { ErrorPageLocals } from '../page-locals.js';
import { alertBox } from './alert.js';
import type { PageBody } from './document.js';
import { escapeHtml } from './escape.js';
import { startUrl } from './forms.js';
import type { View } from './view.js';

/** The error page's heading and content. */
export function errorPage(view: View<ErrorPageLocals>): PageBody {
  const { t, locals } = view;
  const html = `${alertBox(t, locals.error)}
<p><a href="${escapeHtml(startUrl(locals))}">${escapeHtml(t('link.startAgain'))}</a></p>`;
  return { heading: t('page.error.heading'), html };
}
