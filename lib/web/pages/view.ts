/**
 * What every part of a page is rendered with: the locals of the request, the catalogue of
 * strings and the app's page options, resolved once by `createPages`.
 */
import type { PageLocals, StepPageLocals } from '../page-locals.js';
import type { Strings } from './strings.js';

/** The page options after validation (see `PagesOptions`). */
export interface ResolvedPagesOptions {
  productName: string;
  logoUrl?: string;
  lang: string;
  footerHtml?: (locals: PageLocals) => string;
}

/** One page being rendered. */
export interface View<L extends PageLocals = PageLocals> {
  locals: L;
  t: Strings;
  options: ResolvedPagesOptions;
}

/** A step page being rendered. */
export type StepView = View<StepPageLocals>;
