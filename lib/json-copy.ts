/**
 * Deep copy of JSON data, such as provider state (which must survive a trip through the
 * session store as JSON anyway). Several times faster than `structuredClone` for the
 * small objects of a login step, which pays for a general serializer. A `__proto__` key
 * stays an own property, as JSON.parse makes it.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) items[i] = copyJson(value[i] as unknown);
    return items as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyJson((value as Record<string, unknown>)[key]);
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}
