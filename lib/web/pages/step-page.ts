/**
 * The page of a login in progress, for every step kind: `select` (choose a method), `answer`
 * (type something), `pending` (approve elsewhere), `done` and `failed`. Headings and buttons
 * come from the step model's documented fields, never from which provider sent the step.
 */
import type { Step } from '../../step.js';
import { alertBox, type ShownError } from './alert.js';
import { answerContent } from './answer-form.js';
import type { PageBody } from './document.js';
import { escapeHtml } from './escape.js';
import { startUrl, stepFields, stepUrl, txFields } from './forms.js';
import { setsUpApp } from './mechanisms.js';
import { pendingContent, pendingVariant } from './pending.js';
import { enrolling, selectForm } from './select-form.js';
import type { StringKey, Strings } from './strings.js';
import { defaultStrings } from './strings.js';
import type { StepView } from './view.js';

function known(key: string): key is StringKey {
  return Object.hasOwn(defaultStrings, key);
}

/** The page's h1, from the step kind and its (first) mechanism. */
export function headingOf(t: Strings, step: Step): string {
  const m = step.mechanisms[0];
  switch (step.kind) {
    case 'select':
      return enrolling(step.mechanisms) ? t('step.select.enroll.heading') : t('step.select.heading');
    case 'answer': {
      if (m && setsUpApp(m)) return t('step.answer.enroll.heading');
      const key = `step.answer.${m?.type}.heading`;
      return known(key) ? t(key) : t('step.answer.heading');
    }
    case 'pending':
      return t(`step.pending.${pendingVariant(m)}.heading`);
    case 'done':
      return t('step.done.heading');
    default:
      return t('step.failed.heading');
  }
}

/** Secondary actions: send the code again, "try another way". Each is its own small form. */
function moreOptions(view: StepView): string {
  const { t, locals } = view;
  const { step } = locals;
  const m = step.mechanisms[0];
  const forms: string[] = [];
  if (m?.resendable && (step.kind === 'answer' || step.kind === 'pending')) {
    // The script posts this form with fetch: refused as too soon, the button counts down instead of a reload.
    forms.push(`<form method="post" action="${escapeHtml(locals.actions.resend)}" data-ms-resend data-step="${escapeHtml(stepUrl(view))}" data-start="${escapeHtml(startUrl(locals))}">
${stepFields(view)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
<p class="ms-muted">${escapeHtml(t('resend.question'))} <button type="submit" class="ms-link" aria-describedby="ms-resend-wait">${escapeHtml(t('button.resend'))}</button></p>
<p class="ms-hint ms-countdown" id="ms-resend-wait" hidden></p>
</form>`);
  }
  if (step.alternatives && (step.kind === 'answer' || step.kind === 'pending' || step.kind === 'select')) {
    forms.push(`<form method="post" action="${escapeHtml(locals.actions.alternatives)}">
${stepFields(view)}
<p class="ms-muted">${escapeHtml(t('alternatives.question'))} <button type="submit" class="ms-link">${escapeHtml(t('button.tryAnotherWay'))}</button></p>
</form>`);
  }
  return forms.length ? `<div class="ms-more">\n${forms.join('\n')}\n</div>` : '';
}

function cancelForm(view: StepView): string {
  return `<div class="ms-footer-actions">
<form method="post" action="${escapeHtml(view.locals.actions.cancel)}">
${txFields(view)}
<button type="submit" class="ms-link">${escapeHtml(view.t('button.cancel'))}</button>
</form>
</div>`;
}

/** "Signing in as bob · Step 1 of 2", the user name in bold. */
function whoAndWhere(view: StepView): string {
  const { t, locals } = view;
  const marker = '\u0000';
  const [before = '', after = ''] = t('document.signingInAs', { username: marker }).split(marker);
  const who = `${escapeHtml(before)}<strong>${escapeHtml(locals.username)}</strong>${escapeHtml(after)}`;
  const challenge = locals.step.challenge;
  const where = challenge && challenge.count > 1 ? ` · ${escapeHtml(t('document.position', { index: challenge.index, count: challenge.count }))}` : '';
  return `<p class="ms-muted">${who}${where}</p>`;
}

/** What the page script needs to say things (JSON in `data-ms-strings`): its texts, and the app's own error messages. */
function scriptStrings(t: Strings): string {
  const errors: Record<string, string> = {};
  for (const key of Object.keys(defaultStrings) as StringKey[]) {
    const code = /^error\.([A-Z_]+)$/.exec(key)?.[1];
    if (code && t.overridden(key)) errors[code] = t(key);
  }
  return JSON.stringify({
    startAgain: t('link.startAgain'), network: t('error.network'), unknown: t('error.unknown'),
    progress: t('step.pending.progress'), progressOne: t('step.pending.progressChecks.one'), progressOther: t('step.pending.progressChecks.other'),
    resendOne: t('resend.wait.one'), resendOther: t('resend.wait.other'), errors,
  });
}

/** The step page's heading and content. */
export function stepPage(view: StepView): PageBody {
  const { t, locals } = view;
  const { step } = locals;
  const failure: ShownError | undefined = locals.flash ?? (step.kind === 'failed' ? step.error ?? { code: 'LOGIN_NOT_COMPLETED', message: t('step.failed.text') } : undefined);
  const parts = [whoAndWhere(view), alertBox(t, failure)];
  if (step.message) parts.push(`<p class="ms-note" role="status">${escapeHtml(step.message)}</p>`);
  switch (step.kind) {
    case 'select':
      parts.push(selectForm(view));
      break;
    case 'answer':
      parts.push(answerContent(view));
      break;
    case 'pending':
      parts.push(pendingContent(view));
      break;
    case 'done':
      parts.push(`<p>${escapeHtml(t('step.done.text'))}</p>\n<p><a href="/">${escapeHtml(t('link.continue'))}</a></p>`);
      break;
    default:
      parts.push(`<p><a href="${escapeHtml(startUrl(locals))}">${escapeHtml(t('link.startAgain'))}</a></p>`);
  }
  const live = step.kind === 'select' || step.kind === 'answer' || step.kind === 'pending';
  if (live) parts.push(moreOptions(view), cancelForm(view));
  return { heading: headingOf(t, step), html: parts.filter(Boolean).join('\n'), mainData: { 'ms-strings': scriptStrings(t) } };
}
