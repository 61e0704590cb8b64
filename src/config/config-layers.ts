/**
 * The places a parameter value can come from, as layers of raw candidates, highest
 * precedence first: options, `CODECARBON_*` variables, then the config files. Nothing is
 * parsed here; `resolve-config.ts` picks the winner of each key and parses only that one.
 */

import { ConfigError, describeSource } from './config-error.js';
import { DEFAULT_SECTION, expandPercent, type IniFile, PercentSyntaxError } from './ini-file.js';
import type { TrackerOptions, ValueSource } from './options.js';
import { findParameter, PARAMETERS } from './parameters.js';

/** One value as found in one source, before parsing. */
export interface Candidate {
  /** snake_case key as written (lower-cased; may be an alias). */
  readonly key: string;
  readonly raw: unknown;
  readonly source: ValueSource;
  readonly line?: number;
  /** File values only: the value with `%%` and `%(key)s` expanded. */
  readonly expand?: () => ExpandedValue;
}

export interface ExpandedValue {
  readonly value: string;
  /** True when a secret was substituted into it. */
  readonly redact: boolean;
}

export type Layer = ReadonlyMap<string, Candidate>;

/** Written into these files by Python CodeCarbon's `codecarbon config`; not ours, not errors. */
const FOREIGN_KEYS = new Set(['organization_id', 'project_id']);
/** Options of the TypeScript API that are not parameters (no file or environment form). */
export const CODE_ONLY_OPTIONS: readonly string[] = ['logger', 'installExitHandlers'];
const ENV_PREFIX = 'codecarbon_';

/** Options that are set (not `undefined`), under their snake_case keys. */
export function optionLayer(options: TrackerOptions): Layer {
  const given = options as Readonly<Record<string, unknown>>;
  const layer = new Map<string, Candidate>();
  for (const spec of PARAMETERS) {
    const raw = given[spec.option];
    if (raw !== undefined) layer.set(spec.key, { key: spec.key, raw, source: { kind: 'option' } });
  }
  for (const name of Object.keys(given)) {
    const spec = name.includes('_') ? findParameter(name) : undefined;
    if (spec !== undefined && spec.option !== name && given[name] !== undefined) {
      throw new ConfigError({
        key: name,
        value: '',
        source: { kind: 'option' },
        accepted: `the camelCase option ${spec.option}`,
        problem: `"${name}" is the config-file spelling`,
      });
    }
  }
  return layer;
}

/**
 * `CODECARBON_<KEY>` variables, prefix and key in any case. Two spellings of one key with
 * different values (`CODECARBON_PUE` and `codecarbon_pue`) are an error, not a coin toss.
 */
export function envLayer(env: Readonly<Record<string, string | undefined>>): Layer {
  const layer = new Map<string, Candidate>();
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.toLowerCase().startsWith(ENV_PREFIX)) continue;
    const key = name.slice(ENV_PREFIX.length).toLowerCase();
    const source: ValueSource = { kind: 'env', name };
    const other = layer.get(key);
    if (other !== undefined && other.raw !== raw) {
      throw new ConfigError({
        key,
        value: raw,
        source,
        accepted: 'one variable per key',
        problem: `${key} is also set, differently, by ${describeSource(other.source)}`,
      });
    }
    layer.set(key, { key, raw, source });
  }
  return layer;
}

/**
 * The files as four layers, which is how `configparser` sees the two files read into one
 * parser: a key of `[codecarbon]` in either file beats any `[DEFAULT]` key, and within each
 * kind of section the local file beats the global one. `%(key)s` looks keys up the same way.
 */
export function fileLayers(local: IniFile | undefined, global: IniFile | undefined): Layer[] {
  const sections: [IniFile | undefined, string][] = [
    [local, 'codecarbon'],
    [global, 'codecarbon'],
    [local, DEFAULT_SECTION],
    [global, DEFAULT_SECTION],
  ];
  const layers: Map<string, Candidate>[] = [];
  const lookupRaw = (key: string): string | undefined => {
    for (const layer of layers) {
      const found = layer.get(key);
      if (found !== undefined) return found.raw as string;
    }
    return undefined;
  };

  for (const [file, name] of sections) {
    const layer = new Map<string, Candidate>();
    for (const entry of file?.sections.get(name)?.values() ?? []) {
      const source: ValueSource = { kind: 'file', path: (file as IniFile).path };
      const candidate = { key: entry.key, raw: entry.value, source, line: entry.line };
      layer.set(entry.key, { ...candidate, expand: () => expand(candidate, lookupRaw) });
    }
    layers.push(layer);
  }
  return layers;
}

/**
 * Option names that are neither a parameter's camelCase name nor an API-only option: a
 * misspelt option would otherwise be ignored without a word. `undefined` values count as unset.
 */
export function collectUnknownOptions(
  options: TrackerOptions,
): { key: string; source: ValueSource }[] {
  const given = options as Readonly<Record<string, unknown>>;
  const known = new Set([...PARAMETERS.map((spec) => spec.option), ...CODE_ONLY_OPTIONS]);
  return Object.keys(given)
    .filter((name) => given[name] !== undefined && !known.has(name))
    .map((key) => ({ key, source: { kind: 'option' } }));
}

/** Keys of files and variables that no parameter reads, or that only code may set. */
export function collectUnknownKeys(
  layers: readonly Layer[],
): { key: string; source: ValueSource }[] {
  const unknown = new Map<string, { key: string; source: ValueSource }>();
  for (const layer of layers) {
    for (const { key, source } of layer.values()) {
      if (source.kind === 'option' || FOREIGN_KEYS.has(key)) continue;
      const spec = findParameter(key);
      if (spec !== undefined && spec.codeOnly !== true) continue;
      unknown.set(`${key}\0${describeSource(source)}`, { key, source });
    }
  }
  return [...unknown.values()];
}

/** A warning line for one entry of `unknownKeys`. */
export function describeUnknownKey(entry: { key: string; source: ValueSource }): string {
  const where = describeSource(entry.source);
  if (entry.source.kind === 'option') {
    const guess = closestName(entry.key, [
      ...PARAMETERS.map((spec) => spec.option),
      ...CODE_ONLY_OPTIONS,
    ]);
    const hint = guess === undefined ? '' : ` Did you mean ${guess}?`;
    return `Ignored unknown option "${entry.key}".${hint}`;
  }
  const spec = findParameter(entry.key);
  if (spec?.codeOnly === true) {
    return `Ignored ${entry.key} (${where}): it can only be given in code, as the ${spec.option} option.`;
  }
  const guess = closestKey(entry.key);
  const hint = guess === undefined ? '' : ` Did you mean ${guess}?`;
  return `Ignored unknown key "${entry.key}" (${where}).${hint}`;
}

function expand(
  candidate: Candidate,
  lookupRaw: (key: string) => string | undefined,
): ExpandedValue {
  let redact = false;
  const lookup = (key: string): string | undefined => {
    if (findParameter(key)?.kind === 'secret') redact = true;
    return lookupRaw(key);
  };
  try {
    return { value: expandPercent(candidate.raw as string, lookup), redact };
  } catch (error) {
    if (!(error instanceof PercentSyntaxError)) throw error;
    const secret = redact || findParameter(candidate.key)?.kind === 'secret';
    const shown = secret ? '<redacted>' : JSON.stringify(candidate.raw);
    throw new ConfigError({
      key: candidate.key,
      value: candidate.raw as string,
      source: candidate.source,
      accepted: '"%%" for a literal "%", or "%(other_key)s"',
      problem: `${candidate.key} ${shown}: ${error.message}`,
      redact: secret,
      ...(candidate.line === undefined ? {} : { line: candidate.line }),
    });
  }
}

/** The parameter name nearest to a misspelt key (at most two edits away). */
function closestKey(key: string): string | undefined {
  const names = PARAMETERS.filter((spec) => spec.codeOnly !== true).flatMap((spec) => [
    spec.key,
    ...(spec.aliases ?? []),
  ]);
  return closestName(key, names);
}

/** The name nearest to `given`, at most two edits away; a difference of case costs nothing. */
function closestName(given: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
