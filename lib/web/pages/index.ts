/**
 * The built-in login pages: complete, accessible HTML for the start page, every step kind and
 * every error, with no template engine and no build step. CSP-friendly: no inline script or
 * style; the stylesheet and the script are content-hashed assets the router serves, and the
 * script takes its settings from data attributes. Themeable (product name, logo, colours) and
 * every string overridable by key.
 */
import type { PageLocals } from '../page-locals.js';
import { asset, type Asset } from './assets.js';
import { contentSecurityPolicy, originOf, pageHeaders } from './csp.js';
import { renderDocument, type PageBody } from './document.js';
import { errorPage } from './error-page.js';
import { pageScript } from './page-script.js';
import { pageStyle } from './page-style.js';
import { startPage } from './start-page.js';
import { stepPage } from './step-page.js';
import { createStrings } from './strings.js';
import { type PageColors, themeCss } from './theme.js';
import type { ResolvedPagesOptions } from './view.js';

export { defaultStrings, stringKeys, type StringKey } from './strings.js';
export type { PageColors } from './theme.js';

/** Options of the built-in pages (`RouterOptions.pages`). */
export interface PagesOptions {
  /** Shown in the page header and the `<title>`. Default `'Sign in'`. */
  productName?: string;
  /**
   * A logo shown in the page header instead of the product name (which becomes its alt text):
   * an http(s) URL (its origin is added to the CSP's `img-src`) or a same-origin path (`/logo.svg`).
   */
  logoUrl?: string;
  /**
   * Colours, as CSS colour values, applied as custom properties (`--ms-primary` …) in light and
   * dark mode alike. Only colour values are accepted (no `;`, `}`, `<`, `url(` …): a TypeError otherwise.
   */
  colors?: PageColors;
  /**
   * Text by key, for localisation: see `defaultStrings` for every key and its English text
   * (`error.<CODE>`, `step.<kind>…heading`, `mechanism.<type>.label`, `button.<action>` …).
   * `{placeholders}` are filled in; the result is always HTML-escaped. An unknown key is a TypeError.
   * The app's text for an error code replaces the library's (possibly more specific) message.
   */
  strings?: Partial<Record<string, string>>;
  /** `<html lang>`. Default `'en'`. */
  lang?: string;
  /**
   * Trusted HTML from the app, appended inside `<main>` of every page (help, links, a legal
   * notice). Not escaped: never put user or upstream data in it unescaped. No inline script or
   * style either: the CSP blocks them.
   */
  footerHtml?: (locals: PageLocals) => string;
  /**
   * Other origins a form post may be redirected to (CSP `form-action`), e.g. the enrolment page a
   * `REGISTRATION_REQUIRED` failure sends the browser to. Each an http(s) URL or origin.
   */
  formActionOrigins?: readonly string[];
}

/** The built-in pages of one router. */
export interface BuiltInPages {
  /**
   * Full HTML document + the headers to send with it. `assetBase` is the absolute URL path prefix
   * the router serves assets under, e.g. '/login/assets/'. `status` is the HTTP status the page
   * goes out with (the router sends it; the page does not depend on it).
   */
  render(locals: PageLocals, context: { assetBase: string; status?: number }): { html: string; headers: Record<string, string> };
  /**
   * A static asset by file name (e.g. 'pages-<hash>.css', 'pages-<hash>.js'), or undefined.
   * Served by the router with the returned headers (content type, long immutable cache since
   * names are content-hashed, nosniff).
   */
  asset(name: string): { body: string; headers: Record<string, string> } | undefined;
}

function resolve(options: PagesOptions): ResolvedPagesOptions & { imageOrigins: string[]; formActionOrigins: string[] } {
  const productName = options.productName ?? 'Sign in';
  if (typeof productName !== 'string' || !productName.trim()) throw new TypeError('pages.productName must be a non-empty string');
  const lang = options.lang ?? 'en';
  if (!/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(lang)) throw new TypeError(`pages.lang must be a language tag such as "en" or "pt-BR", got ${JSON.stringify(lang)}`);
  const logoOrigin = options.logoUrl === undefined ? undefined : originOf('pages.logoUrl', options.logoUrl);
  const formActionOrigins = (options.formActionOrigins ?? []).map((o) => {
    const origin = originOf('pages.formActionOrigins', o);
    if (!origin) throw new TypeError(`pages.formActionOrigins takes origins (https://…), not paths: ${JSON.stringify(o)}`);
    return origin;
  });
  if (options.footerHtml !== undefined && typeof options.footerHtml !== 'function') throw new TypeError('pages.footerHtml must be a function');
  return {
    productName, lang,
    ...(options.logoUrl !== undefined ? { logoUrl: options.logoUrl } : {}),
    ...(options.footerHtml ? { footerHtml: options.footerHtml } : {}),
    imageOrigins: logoOrigin ? [logoOrigin] : [],
    formActionOrigins: [...new Set(formActionOrigins)],
  };
}

/**
 * Builds the built-in pages. Validates the options once (a TypeError names what is wrong) and
 * builds the content-hashed assets (the stylesheet carries the app's colours).
 */
export function createPages(options: PagesOptions = {}): BuiltInPages {
  const resolved = resolve(options);
  const t = createStrings(options.strings);
  const css = asset('pages', 'css', pageStyle + themeCss(options.colors));
  const js = asset('pages', 'js', pageScript);
  const assets = new Map<string, Asset>([[css.name, css], [js.name, js]]);
  const headers = pageHeaders(contentSecurityPolicy(resolved));

  return {
    render(locals, context) {
      const view = { locals, t, options: resolved };
      let body: PageBody;
      if (locals.page === 'step') body = stepPage({ ...view, locals });
      else if (locals.page === 'error') body = errorPage({ ...view, locals });
      else body = startPage({ ...view, locals });
      return { html: renderDocument(view, body, context.assetBase, { css: css.name, js: js.name }), headers: { ...headers } };
    },
    asset(name) {
      const found = assets.get(name);
      return found ? { body: found.body, headers: { ...found.headers } } : undefined;
    },
  };
}
