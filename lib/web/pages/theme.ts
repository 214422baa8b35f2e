/**
 * Theming: the app's colours become CSS custom properties (`--ms-primary` …) in the pages'
 * stylesheet. Values are checked so that a colour can never close the rule or load anything
 * (no `;`, `}`, `<`, quotes, backslashes, `url(` …): a colour, not CSS.
 */

/** The colours an app may set, each a CSS colour value (`#0b57d0`, `rgb(11 87 208)`, `rebeccapurple` …). */
export interface PageColors {
  /** Buttons, links and the spinner. */
  primary?: string;
  /** The page behind the card. */
  background?: string;
  /** The card. */
  surface?: string;
  /** Body text. */
  text?: string;
  /** Secondary text and borders. */
  muted?: string;
  /** Error messages. */
  error?: string;
  /** The keyboard focus ring. */
  focus?: string;
}

const colorNames = ['primary', 'background', 'surface', 'text', 'muted', 'error', 'focus'] as const;

/** A hex colour, a colour keyword, or a colour function of numbers, percentages and keywords (one level of parentheses). */
const colorPattern = /^(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\([0-9a-zA-Z.,%\s/+-]{1,120}\))$/;

/** Throws a TypeError unless `value` is a plain colour value. */
export function checkColor(name: string, value: unknown): string {
  if (typeof value !== 'string' || !colorPattern.test(value.trim()) || /url|expression|image/i.test(value)) {
    throw new TypeError(`pages.colors.${name} must be a CSS colour (e.g. #0b57d0 or rgb(11 87 208)), got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

/**
 * The stylesheet rule that applies the app's colours (in light and dark mode alike), or '' when
 * it sets none. Throws on an unknown colour name or an invalid value.
 */
export function themeCss(colors: PageColors = {}): string {
  const declarations: string[] = [];
  for (const [name, value] of Object.entries(colors)) {
    if (value === undefined) continue;
    if (!(colorNames as readonly string[]).includes(name)) throw new TypeError(`pages.colors: unknown colour "${name}" (one of ${colorNames.join(', ')})`);
    declarations.push(`--ms-${name}: ${checkColor(name, value)};`);
  }
  // Appended after the built-in light and dark palettes: same specificity, so it wins in both.
  return declarations.length ? `:root { ${declarations.join(' ')} }\n` : '';
}
