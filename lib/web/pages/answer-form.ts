/**
 * An `answer` step: the user types something (password, code, answers, new password, phone
 * number) or accepts the terms of use. With `pollAfterMs` the login may also complete without
 * typing (e.g. a text message that also carries a link): the page then polls quietly too.
 */
import type { Mechanism } from '../../step.js';
import { escapeHtml } from './escape.js';
import { startUrl, stepFields } from './forms.js';
import { answerInputs, rememberDeviceBox } from './mechanisms.js';
import { pollBox } from './poll-box.js';
import type { StepView } from './view.js';

/** The button of each kind of answer: one text per action, whatever the provider. */
function buttonOf(view: StepView, m: Mechanism): string {
  if (m.type === 'new-password') return view.t('button.changePassword');
  if (m.type === 'password' || m.type === 'question' || m.type === 'phone-number') return view.t('button.continue');
  return view.t('button.verify');
}

/** Terms of use: the text in a scrollable, keyboard-focusable region, then Decline / I accept. */
function consentForm(view: StepView, m: Mechanism): string {
  const { t, locals } = view;
  return `<div class="ms-terms" id="ms-terms" tabindex="0" role="region" aria-label="${escapeHtml(t('mechanism.consent.label'))}"${m.lang ? ` lang="${escapeHtml(m.lang)}"` : ''}>${escapeHtml(m.prompt)}</div>
<form method="post" action="${escapeHtml(locals.actions.answer)}">
${stepFields(view)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
<div class="ms-actions">
<button type="submit" name="answer" value="decline">${escapeHtml(t('button.decline'))}</button>
<button type="submit" class="ms-primary" name="answer" value="accept" aria-describedby="ms-terms" autofocus>${escapeHtml(t('button.accept'))}</button>
</div>
</form>`;
}

/** The content of an answer step. */
export function answerContent(view: StepView): string {
  const { t, locals } = view;
  const { step } = locals;
  const m = step.mechanisms[0];
  if (!m) return `<p><a href="${escapeHtml(startUrl(locals))}">${escapeHtml(t('link.startAgain'))}</a></p>`;
  const form = m.type === 'consent' ? consentForm(view, m) : `<form method="post" action="${escapeHtml(locals.actions.answer)}">
${stepFields(view)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
${answerInputs(t, m, locals.username)}
${rememberDeviceBox(t, step)}
<button type="submit" class="ms-primary">${escapeHtml(buttonOf(view, m))}</button>
</form>`;
  // Polled exactly when the core polls it (`pollAfterMs` set, even 0: the configured interval).
  return step.pollAfterMs !== undefined ? `${form}\n${pollBox(view)}` : form;
}
