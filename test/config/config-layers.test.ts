import { describe, expect, it } from 'vitest';
import {
  collectUnknownKeys,
  describeUnknownKey,
  envLayer,
  fileLayers,
  optionLayer,
} from '../../src/config/config-layers.js';
import { parseIni } from '../../src/config/ini-file.js';

describe('envLayer', () => {
  it('takes CODECARBON_ variables in any case and cleans the key', () => {
    const layer = envLayer({
      CODECARBON_TEST_VALUE: 'a',
      codecarbon_project_name: 'b',
      CODECARBON_1: 'c',
      USER: 'me',
      NOT_CODECARBON_PUE: '2',
      CODECARBON_UNSET: undefined,
    });
    expect([...layer.keys()]).toEqual(['test_value', 'project_name', '1']);
    expect(layer.get('project_name')?.source).toEqual({
      kind: 'env',
      name: 'codecarbon_project_name',
    });
  });
});

describe('optionLayer', () => {
  it('keeps options that are set, under their snake_case keys', () => {
    const layer = optionLayer({ pue: 1.2, projectName: undefined, installExitHandlers: true });
    expect([...layer.keys()]).toEqual(['pue']);
    expect(layer.get('pue')?.raw).toBe(1.2);
  });
});

describe('fileLayers', () => {
  it('orders [codecarbon] local, global, then [DEFAULT] local, global', () => {
    const local = parseIni('[DEFAULT]\na = local-default\n[codecarbon]\nb = local\n', '/l');
    const global = parseIni('[DEFAULT]\nc = global-default\n[codecarbon]\nd = global\n', '/g');
    const layers = fileLayers(local, global);
    expect(layers.map((layer) => [...layer.keys()])).toEqual([['b'], ['d'], ['a'], ['c']]);
  });

  it('works with either file missing', () => {
    expect(fileLayers(undefined, undefined).every((layer) => layer.size === 0)).toBe(true);
  });
});

describe('collectUnknownKeys and describeUnknownKey', () => {
  it('reports each unknown key once per source', () => {
    const file = parseIni('[DEFAULT]\nfoo = 1\n[codecarbon]\nfoo = 2\n', '/f');
    expect(collectUnknownKeys(fileLayers(file, undefined))).toEqual([
      { key: 'foo', source: { kind: 'file', path: '/f' } },
    ]);
  });

  it('suggests the nearest parameter name', () => {
    const source = { kind: 'env', name: 'CODECARBON_MEASURE_POWER_SEC' } as const;
    expect(describeUnknownKey({ key: 'measure_power_sec', source })).toBe(
      'Ignored unknown key "measure_power_sec" (environment variable CODECARBON_MEASURE_POWER_SEC). Did you mean measure_power_secs?',
    );
    expect(describeUnknownKey({ key: 'colour', source: { kind: 'file', path: '/f' } })).toBe(
      'Ignored unknown key "colour" (config file /f).',
    );
  });

  it('says a code-only parameter must be given in code', () => {
    const source = { kind: 'file', path: '/f' } as const;
    expect(describeUnknownKey({ key: 'output_handlers', source })).toBe(
      'Ignored output_handlers (config file /f): it can only be given in code, as the outputHandlers option.',
    );
  });
});
