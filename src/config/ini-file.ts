/**
 * Reader for `.codecarbon.config` files, written to read them the way Python's `configparser`
 * (with its default settings) does, so that one file means the same thing to Python
 * CodeCarbon and to this package. General-purpose INI packages differ on exactly the points
 * these files use: some do not accept `:` as a delimiter, cut `abc#def` at the `#`, or let a
 * repeated key silently replace the first one, which `configparser` refuses.
 *
 * Rules, as in `configparser`: `[section]` headers (names case-sensitive); `key = value` or
 * `key: value`, split at the first delimiter; keys trimmed and lower-cased; values trimmed;
 * full-line comments start with `#` or `;`; a line indented deeper than its key line
 * continues the value (joined with a newline; blank lines inside are kept, trailing ones
 * dropped); `[DEFAULT]` values show through in every section; a repeated key in one section,
 * a repeated section or a key before any section is an error. Percent interpolation is done
 * by `expandPercent`, after files are merged, as `configparser` does at read-out time.
 *
 * One deliberate difference: `#` or `;` after whitespace starts an inline comment
 * (`pue = 1.2  # our DC` is 1.2), where `configparser` keeps it in the value and CodeCarbon
 * then fails to parse the number.
 */

import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import type { ValueSource } from './options.js';

export interface IniEntry {
  /** Lower-cased key. */
  readonly key: string;
  /** Raw value: trimmed, continuation lines joined, `%` not yet expanded. */
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

export interface IniFile {
  readonly path: string;
  /** Sections by exact name; `DEFAULT` is one of them when present. */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniEntry>>;
}

export const DEFAULT_SECTION = 'DEFAULT';

/** Reads and parses one file; `undefined` when it does not exist. */
export function readIniFile(path: string): IniFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigError({
      key: '',
      value: '',
      source: { kind: 'file', path },
      accepted: 'a readable file',
      problem: `cannot be read (${code ?? (error as Error).message})`,
    });
  }
  return parseIni(text, path);
}

/** Parses INI text; `path` only names the file in errors. */
export function parseIni(text: string, path: string): IniFile {
  const sections = new Map<string, Map<string, IniEntry>>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let section: Map<string, IniEntry> | undefined;
  let sectionName = '';
  // The value being built: its lines, and the indentation of its key line.
  let open: { key: string; line: number; parts: string[]; indent: number } | undefined;

  const close = (): void => {
    if (open === undefined) return;
    const value = open.parts.join('\n').trimEnd();
    section?.set(open.key, { key: open.key, value, line: open.line });
    open = undefined;
  };

  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    const isComment = /^\s*[#;]/.test(raw);
    const content = isComment ? '' : stripInlineComment(raw).trim();
    if (content === '') {
      // A blank line may sit inside a multi-line value; a comment line never adds to it.
      if (!isComment) open?.parts.push('');
      continue;
    }

    const indent = raw.search(/\S/);
    if (open !== undefined && indent > open.indent) {
      open.parts.push(content);
      continue;
    }
    close();

    const header = /^\[(.+)\]/.exec(content);
    if (header !== null) {
      sectionName = header[1] as string;
      if (sectionName !== DEFAULT_SECTION && sections.has(sectionName)) {
        throw syntaxError(
          path,
          lineNo,
          `section [${sectionName}] appears twice`,
          'each section once per file',
        );
      }
      section = sections.get(sectionName) ?? new Map<string, IniEntry>();
      sections.set(sectionName, section);
      continue;
    }
    if (section === undefined) {
      throw syntaxError(
        path,
        lineNo,
        'a key comes before any [section]',
        'a [codecarbon] header first',
      );
    }

    const option = /^(.*?)\s*[=:]\s*(.*)$/.exec(content);
    const key = option?.[1]?.toLowerCase() ?? '';
    if (option === null || key === '') {
      throw syntaxError(path, lineNo, 'this line is not a key and value', KEY_VALUE);
    }
    const first = section.get(key);
    if (first !== undefined) {
      const problem = `key "${key}" appears twice in section [${sectionName}] (first on line ${first.line})`;
      throw syntaxError(path, lineNo, problem, 'each key at most once per section', key);
    }
    open = { key, line: lineNo, parts: [option[2] ?? ''], indent };
    // Registered at once so that a repeat is caught while this value is still open.
    section.set(key, { key, value: '', line: lineNo });
  }
  close();

  return { path, sections };
}

/** How `expandPercent` finds the raw value of another key (`%(key)s`). */
export type PercentLookup = (key: string) => string | undefined;

/** Why a value's `%` syntax is wrong, for the caller to turn into a ConfigError. */
export class PercentSyntaxError extends Error {}

/**
 * `configparser`'s basic interpolation: `%%` is a literal `%`, `%(key)s` is the (expanded)
 * value of another key of the same section or of `[DEFAULT]`, any other `%` is an error.
 */
export function expandPercent(value: string, lookup: PercentLookup, depth = 1): string {
  if (depth > MAX_DEPTH) {
    throw new PercentSyntaxError(`references nest deeper than ${MAX_DEPTH} levels (a loop?)`);
  }
  let result = '';
  let rest = value;
  for (let at = rest.indexOf('%'); at >= 0; at = rest.indexOf('%')) {
    result += rest.slice(0, at);
    rest = rest.slice(at);
    if (rest.startsWith('%%')) {
      result += '%';
      rest = rest.slice(2);
      continue;
    }
    const reference = /^%\(([^)]+)\)s/.exec(rest);
    if (reference === null) {
      throw new PercentSyntaxError('a "%" must be written "%%" or start a "%(key)s" reference');
    }
    const name = (reference[1] as string).toLowerCase();
    const target = lookup(name);
    if (target === undefined) throw new PercentSyntaxError(`"%(${name})s" names no key`);
    result += expandPercent(target, lookup, depth + 1);
    rest = rest.slice(reference[0].length);
  }
  return result + rest;
}

const MAX_DEPTH = 10;

/** Cuts a `#` or `;` comment that follows whitespace; `abc#def` stays whole. */
function stripInlineComment(line: string): string {
  const match = /\s[#;]/.exec(line);
  return match === null ? line : line.slice(0, match.index);
}

const KEY_VALUE = '`key = value`, `key: value`, a [section] header or a # comment';

function syntaxError(
  path: string,
  line: number,
  problem: string,
  accepted: string,
  key = '',
): ConfigError {
  const source: ValueSource = { kind: 'file', path };
  return new ConfigError({ key, value: '', source, line, problem, accepted });
}
