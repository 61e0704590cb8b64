/**
 * A copy without `undefined`, `null` and empty-string values at any depth, and without
 * objects left empty by that: BoAmps fields are optional, and a missing value is better left
 * out than written as null or "" (a `""` GPU model, a region that is not known).
 */
export function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty).filter((item) => item !== undefined);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, withoutEmpty(item)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value === null || value === '' ? undefined : value;
}
