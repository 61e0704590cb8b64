import type { ValueSource } from './options.js';
import { findParameter } from './parameters.js';

/** Shown instead of the value of a `secret` parameter: errors and logs never carry a secret. */
export const REDACTED = '<redacted>';

export interface ConfigErrorInit {
  /** snake_case parameter name; empty when a whole file line is at fault. */
  readonly key: string;
  /** The offending text or value; replaced by `<redacted>` for secrets. */
  readonly value: string;
  readonly source: ValueSource;
  /** What would have been accepted, as a phrase: `a number ≥ 1`. */
  readonly accepted: string;
  /** 1-based line in the config file, when the source is a file. */
  readonly line?: number;
  /** Replaces the usual `Invalid <key> "<value>"` opening (file syntax errors). */
  readonly problem?: string;
  /** Redact even if the key is not a secret (a value built from a secret). */
  readonly redact?: boolean;
}

/**
 * A configuration value (or config file) that cannot be used. Thrown while the tracker is
 * built, so a typo fails at once instead of silently becoming a default.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly key: string;
  readonly value: string;
  readonly source: ValueSource;
  readonly accepted: string;
  readonly line: number | undefined;

  constructor(init: ConfigErrorInit) {
    const secret = init.redact === true || findParameter(init.key)?.kind === 'secret';
    const value = secret ? REDACTED : init.value;
    super(composeMessage({ ...init, value }));
    this.key = init.key;
    this.value = value;
    this.source = init.source;
    this.accepted = init.accepted;
    this.line = init.line;
  }
}

/** `option`, `environment variable CODECARBON_PUE`, `config file /home/me/.codecarbon.config`. */
export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'option':
      return 'option';
    case 'env':
      return `environment variable ${source.name}`;
    case 'file':
      return `config file ${source.path}`;
    case 'default':
      return 'default';
  }
}

/** Text form of any value for messages: strings as they are, arrays and objects as JSON. */
export function valueToText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

function composeMessage(init: ConfigErrorInit): string {
  const where = describeWhere(init);
  if (init.problem !== undefined) {
    return `${capitalise(where)}: ${init.problem}; expected ${init.accepted}.`;
  }
  const doc = findParameter(init.key)?.doc.replace(/\.$/, '');
  const about = doc === undefined ? '' : ` (${doc})`;
  return `Invalid ${init.key} ${JSON.stringify(init.value)} from ${where}: expected ${init.accepted}${about}.`;
}

function describeWhere(init: ConfigErrorInit): string {
  const source = describeSource(init.source);
  if (init.source.kind === 'option') {
    // An API-only option (`logger`) has no parameter entry: its name is the key itself.
    const option = findParameter(init.key)?.option ?? init.key;
    return option === '' ? source : `${source} ${option}`;
  }
  return init.line === undefined ? source : `${source}, line ${init.line}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
