/**
 * A `select` step: one button per mechanism (posting `mechanism=<id>`), "Set up …" when
 * enrolling, unavailable ones disabled with the reason, and "skip" mechanisms as a secondary
 * button below.
 */
import type { Mechanism } from '../../step.js';
import { attr, escapeHtml } from './escape.js';
import { stepFields } from './forms.js';
import { addressNotIn, isSecurityKey } from './mechanisms.js';
import type { Strings } from './strings.js';
import type { StepView } from './view.js';

/** Whether every choice sets up a new method (the page is then about setting one up). */
export function enrolling(mechanisms: readonly Mechanism[]): boolean {
  const choices = mechanisms.filter((m) => m.type !== 'skip');
  return choices.length > 0 && choices.every((m) => m.enroll);
}

/** Why a mechanism cannot be chosen: locked, a security key (FIDO2), or not drivable here. */
function unavailableReason(t: Strings, m: Mechanism): string {
  if (m.locked) return t('mechanism.locked.hint');
  if (isSecurityKey(m)) return t('mechanism.securityKey.hint');
  return t('mechanism.unsupported.hint');
}

function choiceButton(t: Strings, m: Mechanism): string {
  const unavailable = m.type === 'unsupported' || m.locked === true;
  const name = m.label || t(`mechanism.${m.type}.label`);
  const label = m.enroll && !unavailable ? t('button.setUp', { method: name }) : name;
  const detail = unavailable ? unavailableReason(t, m) : addressNotIn(m, name);
  return `<button type="submit" class="ms-choice" name="mechanism" value="${escapeHtml(m.id)}"${attr('disabled', unavailable)}>${escapeHtml(label)}${detail ? `<small>${escapeHtml(detail)}</small>` : ''}</button>`;
}

function skipButton(t: Strings, m: Mechanism, index: number): string {
  const hintId = `ms-skip-${index}`;
  return `<button type="submit" class="ms-secondary" name="mechanism" value="${escapeHtml(m.id)}"${attr('aria-describedby', m.prompt ? hintId : undefined)}>${escapeHtml(t('mechanism.skip.label'))}</button>
${m.prompt ? `<p class="ms-hint" id="${hintId}">${escapeHtml(m.prompt)}</p>` : ''}`;
}

/** The chooser form of a `select` step. */
export function selectForm(view: StepView): string {
  const { t, locals } = view;
  const { step } = locals;
  const choices = step.mechanisms.filter((m) => m.type !== 'skip');
  const skips = step.mechanisms.filter((m) => m.type === 'skip');
  const legend = enrolling(step.mechanisms) ? t('step.select.enroll.legend') : t('step.select.legend');
  return `<form method="post" action="${escapeHtml(locals.actions.select)}">
${stepFields(view)}
${choices.length ? `<fieldset>
<legend>${escapeHtml(legend)}</legend>
<div class="ms-choices">
${choices.map((m) => choiceButton(t, m)).join('\n')}
</div>
</fieldset>` : ''}
${skips.map((m, i) => skipButton(t, m, i)).join('\n')}
</form>`;
}
