/**
 * Resolves every tracker parameter from, highest precedence first: the constructor option,
 * a `CODECARBON_<KEY>` environment variable, `./.codecarbon.config`, `~/.codecarbon.config`,
 * and the default. Runs inside the tracker constructor: it reads each file once, starts no
 * process, and throws a ConfigError for the first value that does not parse.
 */

import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError, describeSource } from './config-error.js';
import {
  type Candidate,
  collectUnknownKeys,
  collectUnknownOptions,
  envLayer,
  fileLayers,
  type Layer,
  optionLayer,
} from './config-layers.js';
import { type IniFile, readIniFile } from './ini-file.js';
import type { ResolvedConfig, TrackerOptions, ValueSource } from './options.js';
import { findParameter, PARAMETERS, type ParameterSpec } from './parameters.js';
import { parseParameterValue } from './parse-value.js';

export interface ConfigContext {
  /** Environment to read `CODECARBON_*` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Directory of the local `.codecarbon.config`. Default `process.cwd()`. */
  cwd?: string;
  /** Directory of the global `.codecarbon.config`. Default `os.homedir()`. */
  homeDir?: string;
  /** snake_case replacements of table defaults (the CLI's `measure_power_secs: 10`). */
  defaults?: Record<string, unknown>;
}

/** The resolved configuration, plus warnings about deprecated names that were used. */
export interface TrackerConfig extends ResolvedConfig {
  /** One sentence per deprecated parameter name that was set, saying what to use instead. */
  deprecations: string[];
}

export const CONFIG_FILE_NAME = '.codecarbon.config';

const TOKEN_KEY = 'electricitymaps_api_token';
const OLD_TOKEN_KEY = 'co2_signal_api_token';

export function resolveConfig(options: TrackerOptions, context: ConfigContext = {}): TrackerConfig {
  checkLogger(options);
  const { local, global } = readConfigFiles(
    context.cwd ?? process.cwd(),
    context.homeDir ?? homedir(),
  );
  const layers = [
    optionLayer(options),
    envLayer(context.env ?? process.env),
    ...fileLayers(local, global),
  ];
  // Objects such as output handlers can only come from code.
  const optionsOnly = layers.slice(0, 1);
  const defaults = resolveDefaults(context.defaults ?? {});

  const values: Record<string, unknown> = {};
  const sources: Record<string, ValueSource> = {};
  for (const spec of PARAMETERS) {
    const found =
      spec.key === TOKEN_KEY
        ? findToken(layers)
        : findCandidate(spec, spec.codeOnly === true ? optionsOnly : layers);
    if (found === undefined) {
      values[spec.option] = defaults.has(spec.key) ? defaults.get(spec.key) : copy(spec.default);
      continue;
    }
    values[spec.option] = parseCandidate(spec, found);
    sources[spec.key] = found.source;
  }

  const notYetEffective = PARAMETERS.filter((spec) => !spec.implemented && spec.key in sources);
  return {
    ...(values as unknown as ResolvedConfig),
    sources,
    notYetEffective: notYetEffective.map((spec) => spec.key),
    unknownKeys: [...collectUnknownOptions(options), ...collectUnknownKeys(layers.slice(1))],
    filesRead: [global, local].flatMap((file) => (file === undefined ? [] : [file.path])),
    deprecations: deprecations(layers),
  };
}

/**
 * The global file, then the local one; when both paths are the same file (running from the
 * home directory) it is read once, as the local file.
 */
function readConfigFiles(cwd: string, homeDir: string): { local?: IniFile; global?: IniFile } {
  const localPath = resolve(cwd, CONFIG_FILE_NAME);
  const globalPath = resolve(homeDir, CONFIG_FILE_NAME);
  const local = readIniFile(localPath);
  const global = globalPath === localPath ? undefined : readIniFile(globalPath);
  return { ...(local && { local }), ...(global && { global }) };
}

/** The first layer that has the key; within a layer the canonical name beats an alias. */
function findCandidate(spec: ParameterSpec, layers: readonly Layer[]): Candidate | undefined {
  for (const layer of layers) {
    const found = layer.get(spec.key) ?? spec.aliases?.map((a) => layer.get(a)).find(Boolean);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The Electricity Maps token, as Python CodeCarbon resolves it: the new option, then the old
 * option, then the new name anywhere in the environment or files, then the old name there.
 * So the new name wins both among options and among configured values.
 */
function findToken(layers: readonly Layer[]): Candidate | undefined {
  const [options, ...configured] = layers;
  const order: [Layer | undefined, string][] = [
    [options, TOKEN_KEY],
    [options, OLD_TOKEN_KEY],
    ...configured.map((layer): [Layer, string] => [layer, TOKEN_KEY]),
    ...configured.map((layer): [Layer, string] => [layer, OLD_TOKEN_KEY]),
  ];
  for (const [layer, key] of order) {
    const found = layer?.get(key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function parseCandidate(spec: ParameterSpec, candidate: Candidate): unknown {
  const expanded = candidate.expand?.();
  const raw = expanded === undefined ? candidate.raw : expanded.value;
  return parseParameterValue(spec, raw, {
    source: candidate.source,
    key: candidate.key,
    ...(candidate.line === undefined ? {} : { line: candidate.line }),
    ...(expanded?.redact === true ? { redact: true } : {}),
  });
}

/** The `logger` option is used at every log line: a wrong one must fail here, not later. */
function checkLogger(options: TrackerOptions): void {
  const logger = (options as { logger?: unknown }).logger;
  if (logger === undefined) return;
  const isObject = (typeof logger === 'object' || typeof logger === 'function') && logger !== null;
  const missing = ['debug', 'info', 'warn', 'error'].filter(
    (method) => !isObject || typeof (logger as Record<string, unknown>)[method] !== 'function',
  );
  if (missing.length === 0) return;
  throw new ConfigError({
    key: 'logger',
    // An object is described, not dumped: a logger can be a large structure.
    value: isObject ? `an object without ${missing.join(', ')}` : String(logger),
    source: { kind: 'option' },
    accepted:
      'an object with debug, info, warn and error methods, such as console or a pino logger',
  });
}

/** Context defaults are checked like any value: a typo there is a programming error. */
function resolveDefaults(given: Record<string, unknown>): Map<string, unknown> {
  const source: ValueSource = { kind: 'default' };
  const defaults = new Map<string, unknown>();
  for (const [key, raw] of Object.entries(given)) {
    if (raw === undefined) continue;
    const spec = findParameter(key);
    if (spec === undefined) {
      throw new ConfigError({
        key,
        value: '',
        source,
        accepted: 'a parameter name from the parameter table',
        problem: `"${key}" is not a parameter`,
      });
    }
    defaults.set(spec.key, parseParameterValue(spec, raw, { source, key }));
  }
  return defaults;
}

function deprecations(layers: readonly Layer[]): string[] {
  const old = layers.map((layer) => layer.get(OLD_TOKEN_KEY)).find(Boolean);
  if (old === undefined) return [];
  const instead =
    old.source.kind === 'option'
      ? 'the electricitymapsApiToken option'
      : old.source.kind === 'env'
        ? 'CODECARBON_ELECTRICITYMAPS_API_TOKEN'
        : TOKEN_KEY;
  const name = old.source.kind === 'option' ? 'co2SignalApiToken' : OLD_TOKEN_KEY;
  return [`${name} (${describeSource(old.source)}) is deprecated: use ${instead} instead.`];
}

/** Table defaults are shared: hand out copies of arrays so no caller can change them. */
function copy(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}
