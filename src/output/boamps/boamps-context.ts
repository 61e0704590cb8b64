import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.js';
import type { ResolvedConfig, ValueSource } from '../../config/options.js';

/**
 * What only the user can say about a run, in BoAmps' own camelCase shape: the `task`
 * (required by the schema), `header` fields (publisher, licensing…), `quality`, and additions
 * to the detected `infrastructure` and `environment`.
 */
export interface BoampsContext {
  task?: Record<string, unknown>;
  header?: Record<string, unknown>;
  quality?: string;
  infrastructure?: Record<string, unknown>;
  environment?: Record<string, unknown>;
}

const OBJECT_KEYS = ['task', 'header', 'infrastructure', 'environment'] as const;
const ACCEPTED =
  'a JSON object whose keys are among task, header, quality, infrastructure, environment';

/**
 * The context from `boamps_context` (an object, from code) or else `boamps_context_file`
 * (read now, so a missing or malformed file fails the tracker's construction).
 */
export function loadBoampsContext(
  config: Pick<ResolvedConfig, 'boampsContext' | 'boampsContextFile'> & {
    sources: Record<string, ValueSource>;
  },
): BoampsContext | undefined {
  if (config.boampsContext !== undefined) {
    const problem = shapeProblem(config.boampsContext);
    if (problem !== undefined) {
      throw new ConfigError({
        key: 'boamps_context',
        value: '',
        source: { kind: 'option' },
        accepted: ACCEPTED,
        problem: `boamps_context ${problem}`,
      });
    }
    return config.boampsContext as BoampsContext;
  }
  const file = config.boampsContextFile;
  if (file === undefined) return undefined;

  const fail = (problem: string): never => {
    throw new ConfigError({
      key: 'boamps_context_file',
      value: file,
      source: config.sources.boamps_context_file ?? { kind: 'option' },
      accepted: `${ACCEPTED} (${problem})`,
    });
  };
  let text = '';
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (error) {
    fail(`cannot read ${resolve(file)}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = shapeProblem(parsed);
  if (problem !== undefined) fail(problem);
  return parsed as BoampsContext;
}

function shapeProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'is not an object';
  const unknown = Object.keys(value).filter(
    (key) => key !== 'quality' && !(OBJECT_KEYS as readonly string[]).includes(key),
  );
  if (unknown.length > 0) return `has unknown key(s) ${unknown.join(', ')}`;
  for (const key of OBJECT_KEYS) {
    if (value[key] !== undefined && !isPlainObject(value[key]))
      return `has a ${key} that is not an object`;
  }
  if (value.quality !== undefined && typeof value.quality !== 'string') {
    return 'has a quality that is not a string';
  }
  const components = isPlainObject(value.infrastructure)
    ? value.infrastructure.components
    : undefined;
  if (components !== undefined && !(Array.isArray(components) && components.every(isPlainObject))) {
    return 'has infrastructure.components that is not an array of objects';
  }
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
