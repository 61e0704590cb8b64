import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import type { TrackerOptions } from '../../src/config/options.js';
import { OnceLogger, silentLogger } from '../../src/log/logger.js';
import { loggerOutput } from '../../src/output/factories/logger.js';
import type { OutputContext } from '../../src/output/factories/output-context.js';
import type { OutputHandler } from '../../src/output/handler.js';
import {
  anyThreadConfig,
  type OutputFactory,
  type OutputKind,
  outputKinds,
  planOutputs,
} from '../../src/tracker/output-plan.js';
import { configDirs, thrown } from '../config/config-dirs.js';

/** resolveConfig in fresh temporary directories, with an empty environment. */
function config(options: TrackerOptions = {}) {
  return configDirs().resolve(options);
}

function context(options: TrackerOptions = {}): OutputContext {
  return {
    config: config(options),
    logger: new OnceLogger(silentLogger),
    env: {},
    csvLiveUpdate: false,
  };
}

/** Fake factories that record which kinds were checked and which outputs were built. */
function fakeFactories(kinds: readonly OutputKind[]) {
  const checked: OutputKind[] = [];
  const built: OutputKind[] = [];
  const factories: Partial<Record<OutputKind, OutputFactory>> = {};
  for (const kind of kinds) {
    factories[kind] = () => {
      checked.push(kind);
      return () => {
        built.push(kind);
        return { kind } as OutputHandler & { kind: OutputKind };
      };
    };
  }
  return { factories, checked, built };
}

const ALL_KINDS: OutputKind[] = [
  'csv',
  'api',
  'logger',
  'prometheus',
  'logfire',
  'boamps',
  'http',
  'otlp',
  'scrape',
];

const recordingLogger = { info: () => {} };

describe('outputKinds', () => {
  it('is the CSV file alone by default', () => {
    expect(outputKinds(config())).toEqual(['csv']);
  });

  it('lists the save_to_* flags in CodeCarbon order, then http, otlp and scrape', () => {
    const kinds = outputKinds(
      config({
        prometheusPort: 9465,
        otlpEndpoint: 'http://127.0.0.1:4318/v1/metrics',
        emissionsEndpoint: 'http://127.0.0.1:9/records',
        saveToLogfire: true,
        saveToPrometheus: true,
        saveToLogger: true,
        loggingLogger: recordingLogger,
        saveToApi: true,
        saveToFile: true,
      }),
    );
    expect(kinds).toEqual([
      'csv',
      'api',
      'logger',
      'prometheus',
      'logfire',
      'http',
      'otlp',
      'scrape',
    ]);
  });

  it('follows output_methods instead of the save_to_* flags, in the order given', () => {
    const kinds = outputKinds(
      config({ outputMethods: ['boamps', 'api', 'csv'], saveToFile: true, saveToLogfire: true }),
    );
    expect(kinds).toEqual(['boamps', 'api', 'csv']);
  });

  it('turns http, otlp and scrape on by their own settings whatever output_methods says', () => {
    const kinds = outputKinds(
      config({
        outputMethods: ['api'],
        emissionsEndpoint: 'http://127.0.0.1:9/records',
        saveToOtlp: true,
        prometheusPort: 0,
      }),
    );
    expect(kinds).toEqual(['api', 'http', 'otlp', 'scrape']);
  });

  it('turns OTLP on by an endpoint alone, and once when both OTLP settings are given', () => {
    expect(outputKinds(config({ outputMethods: [], otlpEndpoint: 'http://127.0.0.1:1' }))).toEqual([
      'otlp',
    ]);
    expect(
      outputKinds(
        config({ outputMethods: [], saveToOtlp: true, otlpEndpoint: 'http://127.0.0.1:1' }),
      ),
    ).toEqual(['otlp']);
  });

  it('collapses duplicates in output_methods, keeping the first position', () => {
    expect(outputKinds(config({ outputMethods: ['api', 'csv', 'api', 'csv', 'api'] }))).toEqual([
      'api',
      'csv',
    ]);
    expect(outputKinds(config({ outputMethods: 'csv,api,csv' }))).toEqual(['csv', 'api']);
  });

  it('is empty with an empty output_methods and nothing else set', () => {
    expect(outputKinds(config({ outputMethods: [], saveToFile: true }))).toEqual([]);
  });
});

describe('planOutputs', () => {
  it("sends the user's handlers and the logger output to the user's thread, the rest anywhere", () => {
    const first: OutputHandler = { out: () => {} };
    const second: OutputHandler = { exit: () => {} };
    const { factories } = fakeFactories(ALL_KINDS);
    const plan = planOutputs(
      context({
        outputHandlers: [first, second],
        outputMethods: ['api', 'logger', 'csv', 'boamps'],
        loggingLogger: recordingLogger,
        emissionsEndpoint: 'http://127.0.0.1:9/records',
        prometheusPort: 0,
      }),
      factories,
    );

    const userThread = plan.userThread.map((build) => build());
    expect(userThread[0]).toBe(first);
    expect(userThread[1]).toBe(second);
    expect(userThread.slice(2)).toEqual([{ kind: 'logger' }]);
    expect(plan.anyThread.map((build) => build())).toEqual([
      { kind: 'api' },
      { kind: 'csv' },
      { kind: 'boamps' },
      { kind: 'http' },
      { kind: 'scrape' },
    ]);
  });

  it('checks every output when planning and builds none until its builder is called', () => {
    const { factories, checked, built } = fakeFactories(ALL_KINDS);
    const plan = planOutputs(
      context({ outputMethods: ['csv', 'logger', 'api'], loggingLogger: recordingLogger }),
      factories,
    );
    expect(checked).toEqual(['csv', 'logger', 'api']);
    expect(built).toEqual([]);

    plan.anyThread[1]?.();
    expect(built).toEqual(['api']);
    plan.userThread[0]?.();
    expect(built).toEqual(['api', 'logger']);
  });

  it('calls each factory with the context it was given', () => {
    const seen: OutputContext[] = [];
    const given = context({ outputMethods: ['csv'] });
    planOutputs(given, {
      csv: (ctx) => {
        seen.push(ctx);
        return undefined;
      },
    });
    expect(seen).toEqual([given]);
    expect(seen[0]).toBe(given);
  });

  it('leaves out a kind whose factory builds nothing, or that has no factory', () => {
    const { factories, checked } = fakeFactories(['csv']);
    const plan = planOutputs(context({ outputMethods: ['csv', 'api', 'logfire'] }), {
      ...factories,
      logfire: () => undefined,
    });
    expect(checked).toEqual(['csv']);
    expect(plan.userThread).toEqual([]);
    expect(plan.anyThread.map((build) => build())).toEqual([{ kind: 'csv' }]);
  });

  it("propagates a factory's ConfigError at planning time, before any output is built", () => {
    const { factories, built } = fakeFactories(ALL_KINDS);
    const problem = new ConfigError({
      key: 'api_endpoint',
      value: 'nope',
      source: { kind: 'option' },
      accepted: 'an http(s) URL',
    });
    const plan = () =>
      planOutputs(context({ outputMethods: ['csv', 'api'] }), {
        ...factories,
        api: () => {
          throw problem;
        },
      });
    expect(plan).toThrow(problem);
    expect(built).toEqual([]);
  });

  it('throws the logger factory’s ConfigError when the logger output has no logging_logger', () => {
    const plan = () =>
      planOutputs(context({ outputMethods: ['logger'] }), { logger: loggerOutput });
    expect(plan).toThrow(ConfigError);
    expect(plan).toThrow(/the logger output is on but logging_logger is not set/);
    expect(thrown(plan)).toMatchObject({ key: 'output_methods', source: { kind: 'option' } });
  });

  it('plans nothing for the logger output when output_methods leaves it out', () => {
    const { factories, checked } = fakeFactories(ALL_KINDS);
    const plan = planOutputs(
      context({ outputMethods: ['csv'], saveToLogger: true, loggingLogger: recordingLogger }),
      factories,
    );
    expect(checked).toEqual(['csv']);
    expect(plan.userThread).toEqual([]);
  });
});

describe('anyThreadConfig', () => {
  function fullConfig() {
    return config({
      projectName: 'clone-me',
      outputHandlers: [{ out: () => {} }, { exit: async () => {} }],
      loggingLogger: { info: () => {}, log: () => {} },
      outputMethods: ['csv', 'logger', 'api'],
      saveToLogger: true,
      apiKey: 'secret-key',
      pue: 1.4,
      prometheusPort: 0,
    });
  }

  it("drops the user's handlers, the logging logger and the 'logger' method", () => {
    const copy = anyThreadConfig(fullConfig());
    expect(copy.outputHandlers).toEqual([]);
    expect(copy.loggingLogger).toBeUndefined();
    expect(copy.saveToLogger).toBe(false);
    expect(copy.outputMethods).toEqual(['csv', 'api']);
    expect(outputKinds(copy)).toEqual(['csv', 'api', 'scrape']);
  });

  it('keeps every other setting as it was', () => {
    const original = fullConfig();
    const copy = anyThreadConfig(original);
    const dropped = ['outputHandlers', 'loggingLogger', 'saveToLogger', 'outputMethods'];
    const rest = (value: object) =>
      Object.fromEntries(Object.entries(value).filter(([key]) => !dropped.includes(key)));
    expect(rest(copy)).toEqual(rest(original));
    expect(copy).toMatchObject({ projectName: 'clone-me', pue: 1.4, apiKey: 'secret-key' });
    expect(Object.keys(copy).sort()).toEqual(Object.keys(original).sort());
  });

  it('leaves the original configuration untouched', () => {
    const original = fullConfig();
    const handlers = original.outputHandlers;
    anyThreadConfig(original);
    expect(original.outputHandlers).toBe(handlers);
    expect(original.outputHandlers).toHaveLength(2);
    expect(original.loggingLogger).toBeDefined();
    expect(original.outputMethods).toEqual(['csv', 'logger', 'api']);
  });

  it('keeps output_methods unset when it was unset (the save_to_* flags then decide)', () => {
    const copy = anyThreadConfig(
      config({ saveToLogger: true, loggingLogger: recordingLogger, saveToApi: true }),
    );
    expect(copy.outputMethods).toBeUndefined();
    expect(outputKinds(copy)).toEqual(['csv', 'api']);
  });

  it('survives structuredClone although the input holds functions and a logger object', () => {
    const original = fullConfig();
    expect(() => structuredClone(original)).toThrow();

    const copy = anyThreadConfig(original);
    const cloned = structuredClone(copy);
    expect(cloned).toEqual(copy);
  });

  it('sends boamps_context as the JSON the reports get: a function in it cannot fail the copy', () => {
    const { config } = context({
      boampsContext: { task: { stage: 'inference', note: () => 'x' }, dataset: [1, 2] },
    });

    const copy = structuredClone(anyThreadConfig(config));

    expect(copy.boampsContext).toEqual({ task: { stage: 'inference' }, dataset: [1, 2] });
  });
});
