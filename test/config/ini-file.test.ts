import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import {
  expandPercent,
  type IniFile,
  PercentSyntaxError,
  parseIni,
  readIniFile,
} from '../../src/config/ini-file.js';
import { configDirs, thrown } from './config-dirs.js';

const PATH = '/etc/example/.codecarbon.config';

function section(file: IniFile, name = 'codecarbon'): Record<string, string> {
  const entries = file.sections.get(name) ?? new Map();
  return Object.fromEntries([...entries.values()].map((entry) => [entry.key, entry.value]));
}

function parse(text: string): Record<string, string> {
  return section(parseIni(text, PATH));
}

function syntaxError(text: string): ConfigError {
  const error = thrown(() => parseIni(text, PATH));
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('parseIni', () => {
  it('reads `key = value` and `key: value`, splitting at the first delimiter', () => {
    const values = parse(
      '[codecarbon]\npue = 1.2\nproject_name: demo\nsyntax_test_key= no/space= problem2\nurl: http://h.invalid:1\n',
    );
    expect(values).toEqual({
      pue: '1.2',
      project_name: 'demo',
      syntax_test_key: 'no/space= problem2',
      url: 'http://h.invalid:1',
    });
  });

  it('lower-cases and trims keys, trims values, and keeps an empty value', () => {
    expect(parse('[codecarbon]\n  Project_NAME   =   my project  \nempty =\n')).toEqual({
      project_name: 'my project',
      empty: '',
    });
  });

  it('skips full-line comments starting with # or ;, even indented', () => {
    expect(parse('# top\n[codecarbon]\n; a comment\n  # indented\npue=1.5\n')).toEqual({
      pue: '1.5',
    });
  });

  it('drops an inline comment that follows whitespace, and keeps abc#def whole', () => {
    expect(
      parse('[codecarbon]\npue = 1.2 # our data centre\nregion = abc#def\ncountry = FRA\t; x\n'),
    ).toEqual({ pue: '1.2', region: 'abc#def', country: 'FRA' });
  });

  it('allows an inline comment after a section header', () => {
    expect(parse('[codecarbon] # mine\npue=1.1\n')).toEqual({ pue: '1.1' });
  });

  it('joins lines indented deeper than the key line with a newline', () => {
    const values = parse(
      '[codecarbon]\noutput_methods = csv,\n    api,\n\n  # note\n    logger\nnext = 1\n',
    );
    expect(values).toEqual({ output_methods: 'csv,\napi,\n\nlogger', next: '1' });
  });

  it('drops trailing blank lines of a value', () => {
    expect(parse('[codecarbon]\na = 1\n\n\nb = 2\n')).toEqual({ a: '1', b: '2' });
  });

  it('treats a line indented like its key line as a new key', () => {
    expect(parse('[codecarbon]\n  a = 1\n  b = 2\n')).toEqual({ a: '1', b: '2' });
  });

  it('keeps [DEFAULT] and other sections apart, section names being case-sensitive', () => {
    const file = parseIni(
      '[DEFAULT]\npue = 1.4\n[other]\npue = 9\n[CodeCarbon]\npue = 8\n[codecarbon]\nwue = 2\n',
      PATH,
    );
    expect(section(file, 'DEFAULT')).toEqual({ pue: '1.4' });
    expect(section(file)).toEqual({ wue: '2' });
    expect(section(file, 'other')).toEqual({ pue: '9' });
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    expect(parse('\uFEFF[codecarbon]\r\npue = 1.3\r\nwue = 0\r\n')).toEqual({
      pue: '1.3',
      wue: '0',
    });
  });

  it('records the line of each key', () => {
    const file = parseIni('[codecarbon]\n\npue = 1.3\n', PATH);
    expect(file.sections.get('codecarbon')?.get('pue')?.line).toBe(3);
  });

  it('rejects a key repeated in one section, naming the file, line and key', () => {
    const error = syntaxError('[codecarbon]\npue = 1.1\nwue = 0\nPUE = 1.2\n');
    expect(error.key).toBe('pue');
    expect(error.line).toBe(4);
    expect(error.source).toEqual({ kind: 'file', path: PATH });
    expect(error.message).toContain(`Config file ${PATH}, line 4`);
    expect(error.message).toContain(
      '"pue" appears twice in section [codecarbon] (first on line 2)',
    );
  });

  it('rejects a key repeated across two [DEFAULT] blocks', () => {
    expect(syntaxError('[DEFAULT]\na=1\n[codecarbon]\n[DEFAULT]\na=2\n').line).toBe(5);
  });

  it('rejects a section that appears twice in one file', () => {
    const error = syntaxError('[codecarbon]\na=1\n[codecarbon]\nb=2\n');
    expect(error.line).toBe(3);
    expect(error.message).toContain('section [codecarbon] appears twice');
  });

  it('rejects a key before any section header', () => {
    const error = syntaxError('# comment\npue = 1.2\n[codecarbon]\n');
    expect(error.line).toBe(2);
    expect(error.message).toContain('before any [section]');
  });

  it('rejects a line that is neither a header, a key and value, nor a comment', () => {
    expect(syntaxError('[codecarbon]\njust words\n').line).toBe(2);
    expect(syntaxError('[codecarbon]\n= value\n').line).toBe(2);
  });

  it('never puts the text of a bad line in the message (it may hold a token)', () => {
    const error = syntaxError('[codecarbon]\nsk-secret-token-123\n');
    expect(error.message).not.toContain('sk-secret');
    expect(error.value).toBe('');
  });
});

describe('readIniFile', () => {
  it('returns undefined for a missing file', () => {
    const dirs = configDirs();
    expect(readIniFile(dirs.localPath)).toBeUndefined();
    expect(readIniFile(join(dirs.localPath, 'below-a-file'))).toBeUndefined();
  });

  it('reads and parses an existing file', () => {
    const dirs = configDirs();
    dirs.writeLocal('[codecarbon]\npue = 1.25\n');
    expect(readIniFile(dirs.localPath)?.sections.get('codecarbon')?.get('pue')?.value).toBe('1.25');
  });

  it('throws a ConfigError for a path that exists but cannot be read', () => {
    const dirs = configDirs();
    mkdirSync(dirs.localPath);
    const error = thrown(() => readIniFile(dirs.localPath)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`Config file ${dirs.localPath}: cannot be read (EISDIR)`);
  });

  it.skipIf(process.getuid?.() === 0)(
    'throws a ConfigError for a file without read permission',
    () => {
      const dirs = configDirs();
      dirs.writeLocal('[codecarbon]\n');
      chmodSync(dirs.localPath, 0o000);
      expect(thrown(() => readIniFile(dirs.localPath))).toBeInstanceOf(ConfigError);
    },
  );
});

describe('expandPercent', () => {
  const keys: Record<string, string> = { name: 'demo', nested: '%(name)s-x', loop: '%(loop)s' };
  const lookup = (key: string): string | undefined => keys[key];

  it('turns %% into %', () => {
    expect(expandPercent('50%% of 100%%', lookup)).toBe('50% of 100%');
  });

  it('substitutes %(key)s, recursively and with the key in any case', () => {
    expect(expandPercent('run-%(NAME)s/%(nested)s', lookup)).toBe('run-demo/demo-x');
  });

  it('rejects a lone %, an unknown reference and a reference loop', () => {
    expect(() => expandPercent('50%', lookup)).toThrow(PercentSyntaxError);
    expect(() => expandPercent('%(name)d', lookup)).toThrow(PercentSyntaxError);
    expect(() => expandPercent('%(missing)s', lookup)).toThrow('"%(missing)s" names no key');
    expect(() => expandPercent('%(loop)s', lookup)).toThrow('deeper than 10 levels');
  });

  it('leaves text without % unchanged', () => {
    expect(expandPercent('abc#def', lookup)).toBe('abc#def');
  });
});
