/** Upstream or system text flattened to one short line for a report (whitespace collapsed, at most `max` characters). */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}
