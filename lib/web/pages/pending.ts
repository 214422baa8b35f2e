/**
 * A `pending` step: the user approves elsewhere (a push, a phone call, a link, their
 * organization's sign-in page, an authenticator app being set up). Waiting status and polling;
 * "Or enter the code" when the mechanism `acceptsCode`; the number to tap for `matchNumber`.
 * Without JavaScript a button asks once per click.
 */
import type { Mechanism, Step } from '../../step.js';
import { escapeHtml } from './escape.js';
import { stepFields, txFields } from './forms.js';
import { authenticatorSetup, codeInput, promptParagraph, rememberDeviceBox, sentTo, setsUpApp } from './mechanisms.js';
import { pollBox } from './poll-box.js';
import type { StepView } from './view.js';

/** Which wording a pending step gets (keys `step.pending.<variant>.*`). */
export type PendingVariant = 'push' | 'phone-call' | 'link' | 'federated' | 'enroll';

/** The variant, from the documented fields only: a `link` with a `url` is a sign-in page elsewhere (federated). */
export function pendingVariant(m: Mechanism | undefined): PendingVariant {
  if (!m) return 'push';
  if (m.type === 'link' && m.url) return 'federated';
  if (setsUpApp(m)) return 'enroll';
  if (m.type === 'phone-call' || m.type === 'link') return m.type;
  return 'push';
}

/** Only http(s) URLs become links (the step model promises it; checked again here). */
function safeUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

function codeForm(view: StepView, step: Step, m: Mechanism, federated: boolean): string {
  const { t, locals } = view;
  const label = federated ? t('step.pending.federated.codeLabel') : t('mechanism.otp.label');
  return `<form method="post" action="${escapeHtml(locals.actions.answer)}">
${stepFields(view)}
<input type="hidden" name="mechanism" value="${escapeHtml(m.id)}">
${federated ? '' : `<h2>${escapeHtml(t('step.pending.codeHeading'))}</h2>\n`}${codeInput(t, m, label, { autofocus: true })}
${rememberDeviceBox(t, step)}
<button type="submit" class="${federated ? 'ms-primary' : 'ms-secondary'}">${escapeHtml(t('button.verify'))}</button>
</form>`;
}

/** The content of a pending step. */
export function pendingContent(view: StepView): string {
  const { t, locals } = view;
  const { step } = locals;
  const m = step.mechanisms[0];
  if (!m) return '';
  const variant = pendingVariant(m);
  const parts: string[] = [promptParagraph(m)];
  if (variant === 'enroll') parts.push(authenticatorSetup(t, m));
  parts.push(sentTo(t, m));
  const url = safeUrl(m.url);
  if (url) {
    parts.push(`<p><a class="ms-button ms-primary" href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(t('button.openSignInPage'))}</a></p>`);
  }
  if (step.matchNumber) {
    parts.push(`<p>${escapeHtml(t('step.pending.matchNumber'))}</p>\n<p class="ms-match">${escapeHtml(step.matchNumber)}</p>`);
  }
  const next = step.alternatives ? t('step.pending.stillAlternatives') : t('step.pending.stillCancel');
  parts.push(pollBox(view, {
    status: t(`step.pending.${variant}.status`),
    stillStatus: t(`step.pending.${variant}.stillStatus`),
    stillHint: `${t(`step.pending.${variant}.stillHint`)} ${next}`,
  }));
  parts.push(`<noscript>
<form method="post" action="${escapeHtml(locals.actions.poll)}">
${txFields(view)}
<p class="ms-hint">${escapeHtml(t('step.pending.noscript'))}</p>
<button type="submit" class="ms-primary">${escapeHtml(t('button.poll'))}</button>
</form>
</noscript>`);
  if (m.acceptsCode) parts.push(codeForm(view, step, m, variant === 'federated'));
  return parts.filter(Boolean).join('\n');
}
