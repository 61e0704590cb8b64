/**
 * Turns one raw parameter value (text from a file or the environment, or whatever was given
 * as an option) into its typed value, or throws a ConfigError. Unlike Python CodeCarbon, a
 * value that does not parse is never turned into `None` or `false`: it is rejected.
 */

import { basename, resolve, sep } from 'node:path';
import { ConfigError, valueToText } from './config-error.js';
import type { ValueSource } from './options.js';
import type { ParameterSpec } from './parameters.js';

/** Where the raw value was found, for the error message. */
export interface ValueOrigin {
  readonly source: ValueSource;
  /** Line in the config file. */
  readonly line?: number;
  /** The value was built from a secret (`%(api_key)s`): never show it. */
  readonly redact?: boolean;
  /** The name as written, when it is an alias of `spec.key`. */
  readonly key?: string;
}

/**
 * Parses `raw` for `spec`. Strings are parsed by kind; other values must already have the
 * parameter's type and are checked the same way. `undefined` means "not set" and an empty
 * string for an optional text parameter (no default) explicitly unsets it.
 */
export function parseParameterValue(
  spec: ParameterSpec,
  raw: unknown,
  origin: ValueOrigin,
): unknown {
  const reject = (): ConfigError =>
    new ConfigError({
      key: origin.key ?? spec.key,
      value: valueToText(raw),
      source: origin.source,
      accepted: acceptedText(spec),
      ...(origin.line === undefined ? {} : { line: origin.line }),
      ...(origin.redact === true ? { redact: true } : {}),
    });

  const value = parseByKind(spec, raw);
  if (value === INVALID) throw reject();
  return value;
}

/** What a parameter accepts, as a phrase to follow "expected". */
export function acceptedText(spec: ParameterSpec): string {
  switch (spec.kind) {
    case 'string':
    case 'secret':
      return PATH_RULES[spec.key]?.accepted ?? 'a string';
    case 'number':
    case 'integer':
      return numberText(spec);
    case 'boolean':
      return 'true or false (also 1/0, yes/no, on/off; any case)';
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')} (any case)`;
    case 'list':
      if (spec.key === 'gpu_ids') {
        return 'GPU indices or UUIDs separated by commas, as `0,1` or `[0, 1]` (empty or -1: no GPU)';
      }
      return spec.values === undefined
        ? 'a comma-separated list, as `a,b` or `[a, b]`'
        : `a comma-separated list of ${spec.values.join(', ')}, as \`a,b\` or \`[a, b]\` (empty: none)`;
    case 'object':
      return spec.key === 'output_handlers' ? 'an array of output handler objects' : 'an object';
  }
}

const INVALID = Symbol('invalid');
type Parsed = unknown | typeof INVALID;

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);
/** Decimal or exponent notation only: no hex, `_`, `inf`, `nan` or trailing garbage. */
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A GPU index (`0`) or UUID (`GPU-8a4f…`, `MIG-…`, legacy `MIG-GPU-…/1/0`). */
const GPU_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
/** Spellings kept for compatibility that map to one canonical enum value. */
const ENUM_SYNONYMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  log_level: { warn: 'warning' },
};

function parseByKind(spec: ParameterSpec, raw: unknown): Parsed {
  switch (spec.kind) {
    case 'string':
    case 'secret':
      if (typeof raw !== 'string') return INVALID;
      if (PATH_RULES[spec.key]?.allows(raw) === false) return INVALID;
      return raw === '' && spec.default === undefined ? undefined : raw;
    case 'number':
    case 'integer':
      return parseNumber(spec, raw);
    case 'boolean':
      return parseBoolean(raw);
    case 'enum':
      return parseEnum(spec, raw);
    case 'list':
      return parseList(spec, raw);
    case 'object':
      return parseObject(spec, raw);
  }
}

/**
 * Paths that can be judged from their text alone; what the file system says (an existing
 * directory, a symbolic link into /proc) is checked where the CSV output is built.
 */
const PATH_RULES: Readonly<
  Record<string, { allows: (text: string) => boolean; accepted: string }>
> = {
  output_file: {
    allows: (text) => text !== '' && !namesADirectory(text),
    accepted: 'a file name or path, as emissions.csv (not empty, ".", ".." or ending in "/")',
  },
  output_dir: {
    allows: (text) => !isInPseudoFileSystem(resolve(text)),
    accepted: 'a directory outside /proc and /sys',
  },
  location_cache_dir: {
    allows: (text) => text === '' || !isInPseudoFileSystem(resolve(text)),
    accepted: 'a directory outside /proc and /sys',
  },
};

function namesADirectory(text: string): boolean {
  const trailing = sep === '\\' ? /[\\/]$/ : /\/$/;
  return trailing.test(text) || /^\.{1,2}$/.test(basename(text));
}

/**
 * /proc and /sys are kernel interfaces, not storage: writing there can change kernel
 * settings, and Node's recursive mkdir loops forever on some of their paths.
 */
export function isInPseudoFileSystem(absolutePath: string): boolean {
  return ['/proc', '/sys'].some(
    (root) => absolutePath === root || absolutePath.startsWith(`${root}/`),
  );
}

function parseNumber(spec: ParameterSpec, raw: unknown): Parsed {
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string' && NUMBER_TEXT.test(raw.trim())) {
    value = Number(raw.trim());
  } else {
    return INVALID;
  }
  if (!Number.isFinite(value)) return INVALID;
  value = value === 0 ? 0 : value; // no -0

  if (spec.alsoAccepted?.includes(value)) return value;
  if (spec.kind === 'integer' && !Number.isSafeInteger(value)) return INVALID;
  if (spec.min !== undefined && value < spec.min) return INVALID;
  if (spec.max !== undefined && value > spec.max) return INVALID;
  if (spec.greaterThan !== undefined && value <= spec.greaterThan) return INVALID;
  return value;
}

function parseBoolean(raw: unknown): Parsed {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return INVALID;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return INVALID;
}

function parseEnum(spec: ParameterSpec, raw: unknown): Parsed {
  if (typeof raw !== 'string') return INVALID;
  const word = raw.trim().toLowerCase();
  if (!spec.values?.includes(word)) return INVALID;
  return ENUM_SYNONYMS[spec.key]?.[word] ?? word;
}

/**
 * Text: `a,b` or `[a, b]`, items trimmed and unquoted, empty items dropped, so `""` is an
 * empty list. Arrays: each item is checked the same way; GPU indices may be numbers.
 */
function parseList(spec: ParameterSpec, raw: unknown): Parsed {
  let items: unknown[];
  if (typeof raw === 'string') {
    items = splitListText(raw);
  } else if (Array.isArray(raw)) {
    items = raw;
  } else {
    return INVALID;
  }

  const result: string[] = [];
  for (const item of items) {
    const text = listItem(spec, item);
    if (text === undefined) return INVALID;
    // A method named twice would create two identical outputs.
    if (spec.values !== undefined && result.includes(text)) continue;
    result.push(text);
  }
  return result;
}

function splitListText(text: string): string[] {
  let inner = text.trim();
  if (inner.startsWith('[') && inner.endsWith(']')) inner = inner.slice(1, -1);
  return inner
    .split(',')
    .map((item) => unquote(item.trim()).trim())
    .filter((item) => item !== '');
}

function listItem(spec: ParameterSpec, item: unknown): string | undefined {
  if (spec.key === 'gpu_ids') {
    // -1 is CUDA's "no GPU": like any id that names no GPU, it ends the list.
    if (typeof item === 'number') {
      return Number.isSafeInteger(item) && item >= -1 ? String(item) : undefined;
    }
    if (typeof item !== 'string') return undefined;
    const id = unquote(item.trim()).trim();
    return GPU_ID.test(id) || id === '-1' ? id : undefined;
  }
  if (typeof item !== 'string') return undefined;
  const text = unquote(item.trim()).trim();
  if (spec.values === undefined) return text === '' ? undefined : text;
  const word = text.toLowerCase();
  return spec.values.includes(word) ? word : undefined;
}

function unquote(text: string): string {
  const quoted = /^(["'])(.*)\1$/s.exec(text);
  return quoted === null ? text : (quoted[2] as string);
}

function parseObject(spec: ParameterSpec, raw: unknown): Parsed {
  if (spec.key === 'output_handlers') {
    if (!Array.isArray(raw) || !raw.every(isObject)) return INVALID;
    return [...raw];
  }
  return isObject(raw) ? raw : INVALID;
}

function isObject(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function numberText(spec: ParameterSpec): string {
  const bounds: string[] = [];
  if (spec.min !== undefined) bounds.push(`≥ ${spec.min}`);
  if (spec.greaterThan !== undefined) bounds.push(`> ${spec.greaterThan}`);
  if (spec.max !== undefined) bounds.push(`≤ ${spec.max.toLocaleString('en-US')}`);
  const base = `${spec.kind === 'integer' ? 'an integer' : 'a number'} ${bounds.join(' and ')}`;
  const extra = spec.alsoAccepted?.length ? `, or ${spec.alsoAccepted.join(' or ')}` : '';
  return `${base.trim()}${extra}`;
}
