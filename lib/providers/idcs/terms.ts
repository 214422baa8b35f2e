/**
 * Terms of use (docs page, "Accept Terms of Use"): IDCS answers `nextOp: ["acceptTOU"]` with
 * `TOU: {statement, credentials: ["consent"], locale}`; the client sends `acceptTOU` with
 * `credentials: {consent: true | false}`. Declining is answered 401 `AUTH-3035`.
 */
import type { StoredFactor } from './factors.js';
import { isObject, str, type IdcsResponse } from './wire.js';

export function termsOfUse(response: IdcsResponse): StoredFactor {
  const tou = isObject(response.raw.TOU) ? response.raw.TOU : undefined;
  const statement = str(tou?.statement) ?? 'Accept the terms of use to continue.';
  const locale = str(tou?.locale);
  return {
    factor: 'TOU',
    view: { id: 'terms', type: 'consent', label: 'Terms of use', prompt: statement, ...(locale && /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/.test(locale) ? { lang: locale.replace(/_/g, '-') } : {}) },
  };
}
