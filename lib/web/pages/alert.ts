/**
 * The page's one alert box (role=alert): the last failure's message by stable error code, or
 * empty and hidden for the page script to fill (a failed poll, a resend refused as too soon).
 */
import { type ErrorCode, ErrorCodes } from '../../errors.js';
import { escapeHtml } from './escape.js';
import type { StringKey, Strings } from './strings.js';

/** An error to show: a stable code and the message the library chose for it. */
export interface ShownError {
  code: string;
  message?: string;
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ErrorCodes, code);
}

/**
 * The text for an error. The app's own string for the code wins (a translation); otherwise the
 * library's message, which may be more specific than the catalogue's ("Please wait 12 seconds …").
 */
export function errorText(t: Strings, error: ShownError): string {
  if (isErrorCode(error.code)) {
    const key: StringKey = `error.${error.code}`;
    if (t.overridden(key) || !error.message) return t(key);
  }
  return error.message || t('error.unknown');
}

/** The hint that says what to do, for the codes that have one, when the message is the catalogue's (not a more specific one). */
function hintOf(t: Strings, error: ShownError): string | undefined {
  if (error.code !== 'MECHANISM_UNSUPPORTED' && error.code !== 'REGISTRATION_REQUIRED') return undefined;
  const generic = !error.message || error.message === ErrorCodes[error.code].message || t.overridden(`error.${error.code}`);
  return generic ? t(`error.${error.code}.hint`) : undefined;
}

/** The alert box, filled with `error` or empty and hidden. */
export function alertBox(t: Strings, error: ShownError | undefined, extraHtml = ''): string {
  if (!error) return '<div id="ms-alert" class="ms-alert" role="alert" hidden></div>';
  const hint = hintOf(t, error);
  return `<div id="ms-alert" class="ms-alert" role="alert" data-code="${escapeHtml(error.code)}">${escapeHtml(errorText(t, error))}${hint ? ` <span class="ms-alert-hint">${escapeHtml(hint)}</span>` : ''}${extraHtml}</div>`;
}
