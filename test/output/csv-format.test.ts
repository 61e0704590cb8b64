import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCsvHeader,
  formatCsvRow,
  formatCsvValue,
  formatPythonFloat,
  isCodeCarbonHeader,
  parseCsvHeader,
  splitCsvRecords,
} from '../../src/output/csv-format.js';
import { CSV_COLUMNS } from '../../src/records/emissions-data.js';

describe('formatPythonFloat', () => {
  // Expected strings are Python 3.11's repr() of the same doubles.
  it.each([
    [0, '0.0'],
    [-0, '-0.0'],
    [20, '20.0'],
    [1, '1.0'],
    [0.1, '0.1'],
    [2.5522751380000273, '2.5522751380000273'],
    [23.540176391601562, '23.540176391601562'],
    [-1.5, '-1.5'],
    [12345.678, '12345.678'],
    [1e15, '1000000000000000.0'],
    [9999999999999998, '9999999999999998.0'],
  ])('writes %d in positional notation as %s', (value, expected) => {
    expect(formatPythonFloat(value)).toBe(expected);
  });

  it.each([
    [0.0001, '0.0001'],
    [0.00012, '0.00012'],
    [9.99e-5, '9.99e-05'],
    [1e-5, '1e-05'],
    [1.234e-5, '1.234e-05'],
    [8.400252221752171e-7, '8.400252221752171e-07'],
    [-3.5e-9, '-3.5e-09'],
    [5e-324, '5e-324'],
  ])('switches to exponent form below 1e-4: %d as %s', (value, expected) => {
    expect(formatPythonFloat(value)).toBe(expected);
  });

  it.each([
    [1e16, '1e+16'],
    [123456789012345680, '1.2345678901234568e+17'],
    [1e22, '1e+22'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('switches to exponent form from 1e16 on: %d as %s', (value, expected) => {
    expect(formatPythonFloat(value)).toBe(expected);
  });

  it('writes non-finite values as Python does', () => {
    expect([NaN, Infinity, -Infinity].map(formatPythonFloat)).toEqual(['nan', 'inf', '-inf']);
  });

  it('reads back to the same double, with a decimal point or an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatPythonFloat(value);
        expect(Object.is(Number.parseFloat(text), value)).toBe(true);
        expect(text).toMatch(/^-?\d+(\.\d+)?(e[+-]\d{2,3})?$/);
        expect(text).toMatch(/[.e]/);
      }),
      { numRuns: 5000 },
    );
  });

  it('uses the fewest digits that read back', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const digits = formatPythonFloat(value)
          .replace(/e.*$/, '')
          .replace(/[-.]/g, '')
          .replace(/^0+/, '')
          .replace(/0+$/, '');
        const shortest = Math.abs(value).toExponential().replace(/e.*$/, '').replace('.', '');
        expect(digits).toBe(value === 0 ? '' : shortest);
      }),
    );
  });
});

describe('formatCsvValue', () => {
  it('writes float columns with a decimal point, even for whole numbers', () => {
    expect(formatCsvValue('ram_power', 20)).toBe('20.0');
    expect(formatCsvValue('gpu_utilization_percent', 0)).toBe('0.0');
    expect(formatCsvValue('emissions', 1.234e-5)).toBe('1.234e-05');
  });

  it('writes integer columns as integers', () => {
    expect(formatCsvValue('cpu_count', 2)).toBe('2');
    expect(formatCsvValue('gpu_count', 0)).toBe('0');
    expect(formatCsvValue('cpu_count', 1e21)).toBe('1000000000000000000000');
  });

  it('keeps a fraction that turns up in an integer column', () => {
    expect(formatCsvValue('cpu_count', 2.5)).toBe('2.5');
  });

  it('leaves missing values empty', () => {
    for (const value of [undefined, null, NaN, Infinity, -Infinity]) {
      expect(formatCsvValue('latitude', value)).toBe('');
      expect(formatCsvValue('cpu_count', value)).toBe('');
    }
  });

  it('writes strings as they are and booleans as Python does', () => {
    expect(formatCsvValue('region', 'île-de-france, "north"')).toBe('île-de-france, "north"');
    expect(formatCsvValue('region', '')).toBe('');
    expect(formatCsvValue('on_cloud', true)).toBe('True');
    expect(formatCsvValue('on_cloud', false)).toBe('False');
  });
});

describe('formatCsvRow', () => {
  const columns = ['a', 'b', 'c', 'd'];

  it('quotes only cells with a comma, a quote, CR or LF, and ends with \\n', () => {
    expect(formatCsvRow(columns, { a: 'plain', b: 'x,y', c: 'say "hi"', d: 'two\nlines' })).toBe(
      'plain,"x,y","say ""hi""","two\nlines"\n',
    );
    expect(formatCsvRow(['a'], { a: 'carriage\rreturn' })).toBe('"carriage\rreturn"\n');
  });

  it('has one cell per column, empty for missing values', () => {
    expect(formatCsvRow(columns, { b: 'only b' })).toBe(',only b,,\n');
  });

  it('writes the header as the columns in order', () => {
    expect(formatCsvHeader(CSV_COLUMNS)).toBe(`${CSV_COLUMNS.join(',')}\n`);
  });

  it('gives rows that csv-parse reads back to the same cells', () => {
    const cell = fc.string({ unit: 'grapheme' });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => {
        const names = cells.map((_, i) => `c${i}`);
        const values = Object.fromEntries(cells.map((value, i) => [`c${i}`, value]));
        const text = formatCsvRow(names, values);
        // A single empty cell is a blank line, which parsers skip; real rows have 38 cells.
        fc.pre(!(cells.length === 1 && cells[0] === ''));
        expect(parse(text)).toEqual([cells]);
      }),
    );
  });
});

describe('splitCsvRecords', () => {
  it('splits at line feeds outside quotes and keeps the bytes of each record', () => {
    expect(splitCsvRecords('h1,h2\r\na,"b\nc"\n"d""",e\n')).toEqual([
      'h1,h2\r',
      'a,"b\nc"',
      '"d""",e',
    ]);
  });

  it('keeps a cut last record, even with an unclosed quote', () => {
    expect(splitCsvRecords('h\nrow1\nrow2 cut "in the')).toEqual(['h', 'row1', 'row2 cut "in the']);
  });
});

describe('parseCsvHeader and isCodeCarbonHeader', () => {
  it('accepts the 38 columns in any order, with a BOM, quotes or CRLF', () => {
    const reversed = [...CSV_COLUMNS].reverse();
    expect(isCodeCarbonHeader(parseCsvHeader(CSV_COLUMNS.join(',')))).toBe(true);
    expect(isCodeCarbonHeader(parseCsvHeader(`\uFEFF${reversed.join(',')}\r`))).toBe(true);
    expect(isCodeCarbonHeader(parseCsvHeader(CSV_COLUMNS.map((c) => `"${c}"`).join(',')))).toBe(
      true,
    );
  });

  it('rejects missing, extra, duplicated or unreadable columns', () => {
    const without = CSV_COLUMNS.filter((c) => c !== 'wue');
    expect(isCodeCarbonHeader(without)).toBe(false);
    expect(isCodeCarbonHeader([...CSV_COLUMNS, 'extra'])).toBe(false);
    expect(isCodeCarbonHeader([...without, 'pue'])).toBe(false);
    expect(parseCsvHeader('"never closed,timestamp')).toEqual([]);
  });
});
