import { isPlainObject } from './boamps-context.js';

type Fields = Record<string, unknown>;

/**
 * User header fields replace the generated ones when they have a value; `publisher` merges
 * field by field.
 */
export function mergeHeader(auto: Fields, user: Fields | undefined): Fields {
  if (!user) return auto;
  const merged = { ...auto, ...present(user) };
  if (isPlainObject(user.publisher)) merged.publisher = present(user.publisher);
  return merged;
}

/**
 * The detected infrastructure with the user's additions. A user component is matched with
 * the first detected one of the same `componentType`: the user's values win, detected values
 * fill the rest. Unmatched user components are kept; detected ones the user did not mention
 * come after them.
 */
export function mergeInfrastructure(auto: Fields, user: Fields | undefined): Fields {
  if (!user) return auto;
  const detected = [...((auto.components as Fields[] | undefined) ?? [])];
  const components: Fields[] = [];
  const userComponents = Array.isArray(user.components) ? (user.components as Fields[]) : [];
  for (const component of userComponents) {
    const index = detected.findIndex((d) => d.componentType === component.componentType);
    const match = index === -1 ? undefined : detected.splice(index, 1)[0];
    components.push({ ...match, ...present(component) });
  }
  components.push(...detected);
  const { components: _ignored, ...scalars } = user;
  return { ...auto, ...present(scalars), components };
}

/** The detected location and intensity with the user's values on top. */
export function mergeEnvironment(auto: Fields, user: Fields | undefined): Fields | undefined {
  const merged = { ...auto, ...present(user ?? {}) };
  // BoAmps requires a country in `environment`: without one (world-average intensity) and
  // without anything from the user, the section is left out instead of written invalid.
  if (merged.country === undefined && user === undefined) return undefined;
  return merged;
}

/** Only the fields that have a value (not null, undefined or ""). */
function present(fields: Fields): Fields {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, value]) => value !== null && value !== undefined && value !== '',
    ),
  );
}
