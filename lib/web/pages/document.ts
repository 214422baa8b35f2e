/**
 * The HTML document around every page: head (title, the stylesheet and script assets), the
 * product header, and `<main>` with the page's one h1, its content and the app's footer.
 */
import { attr, escapeHtml } from './escape.js';
import type { View } from './view.js';

/** The content-hashed asset names of one `createPages` call. */
export interface AssetNames {
  css: string;
  js: string;
}

/** What a page puts into the document. */
export interface PageBody {
  /** The page's one h1 (also the first part of the title). */
  heading: string;
  /** Everything in `<main>` after the h1. */
  html: string;
  /** Settings of the page script (`data-*` attributes of `<main>`), e.g. its strings. */
  mainData?: Record<string, string>;
}

/** The complete document. `assetBase` is the URL path prefix the router serves the assets under. */
export function renderDocument(view: View, page: PageBody, assetBase: string, assets: AssetNames): string {
  const { options, t } = view;
  const base = assetBase.endsWith('/') ? assetBase : `${assetBase}/`;
  // "Sign in · Sign in" says nothing twice: the heading alone when it is the product name.
  const title = page.heading === options.productName ? page.heading : t('document.title', { heading: page.heading, product: options.productName });
  // With a logo, the logo names the product (its alt text); without one, the name is shown.
  const brand = options.logoUrl
    ? `<img src="${escapeHtml(options.logoUrl)}" alt="${escapeHtml(options.productName)}">`
    : `<span>${escapeHtml(options.productName)}</span>`;
  const data = Object.entries(page.mainData ?? {}).map(([name, value]) => attr(`data-${name}`, value)).join('');
  const footer = options.footerHtml ? options.footerHtml(view.locals) : '';
  return `<!doctype html>
<html lang="${escapeHtml(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(base + assets.css)}">
<script src="${escapeHtml(base + assets.js)}" defer></script>
</head>
<body>
<header class="ms-header">${brand}</header>
<main${data}>
<h1>${escapeHtml(page.heading)}</h1>
${page.html}
${footer}
</main>
</body>
</html>
`;
}
