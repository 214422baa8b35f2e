/**
 * The element the page script polls from (`#ms-poll`): the poll route, the step it was
 * rendered for and where to go next, as data attributes. Loud for a pending step (spinner,
 * role=status, progress, "still waiting"), quiet for an answer step that may also complete by
 * itself (no spinner, no text).
 */
import { attr, escapeHtml } from './escape.js';
import { startUrl, stepUrl } from './forms.js';
import type { StepView } from './view.js';

/** The words of a loud poll box. */
export interface PollWords {
  status: string;
  stillStatus: string;
  stillHint: string;
}

/** The poll box; `words` unset: quiet. */
export function pollBox(view: StepView, words?: PollWords): string {
  const { locals } = view;
  const { step } = locals;
  const data = `${attr('data-poll', locals.actions.poll)}${attr('data-step', stepUrl(view))}${attr('data-start', startUrl(locals))}`
    + `${attr('data-tx', locals.transactionId)}${attr('data-csrf', locals.csrfToken)}${attr('data-csrf-field', locals.csrfField)}`
    + `${attr('data-sequence', step.sequence)}${attr('data-kind', step.kind)}${attr('data-interval', step.pollAfterMs || 2000)}`;
  if (!words) return `<div id="ms-poll" hidden data-quiet="true"${data}></div>`;
  return `<div id="ms-poll"${data}${attr('data-still', words.stillStatus)}>
<div class="ms-waiting"><span class="ms-spinner" aria-hidden="true"></span><span id="ms-status" role="status">${escapeHtml(words.status)}</span></div>
<p class="ms-progress" id="ms-progress" hidden></p>
<p class="ms-hint" id="ms-still" hidden>${escapeHtml(words.stillHint)}</p>
</div>`;
}
