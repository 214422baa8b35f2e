/**
 * The pieces every form of the pages shares: the CSRF field (named as the router says), the
 * hidden fields a step form posts back (`tx`, `sequence`), and the pages' own URLs.
 */
import type { PageLocals } from '../page-locals.js';
import type { Step } from '../../step.js';
import { escapeHtml } from './escape.js';
import type { StepView } from './view.js';

/** The hidden CSRF field, under the field name of `locals.csrfField`. */
export function csrfInput(locals: PageLocals): string {
  return `<input type="hidden" name="${escapeHtml(locals.csrfField || '_csrf')}" value="${escapeHtml(locals.csrfToken)}">`;
}

/** `tx` and the CSRF field: what the poll and cancel forms send. */
export function txFields(view: StepView): string {
  return `<input type="hidden" name="tx" value="${escapeHtml(view.locals.transactionId)}">\n${csrfInput(view.locals)}`;
}

/** `tx`, `sequence` (refused as STALE_STEP if the step has moved on) and the CSRF field. */
export function stepFields(view: StepView, step: Step = view.locals.step): string {
  return `${txFields(view)}\n<input type="hidden" name="sequence" value="${escapeHtml(step.sequence)}">`;
}

/** The start page: the router's `/`, next to its `start` route. */
export function startUrl(locals: PageLocals): string {
  return locals.actions.start.replace(/start$/, '');
}

/** The page of the login's current step (where the script goes when the step has changed). */
export function stepUrl(view: StepView): string {
  return `${view.locals.actions.step}?tx=${encodeURIComponent(view.locals.transactionId)}`;
}
