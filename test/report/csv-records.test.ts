import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/report/csv-records.js';

describe('csvRecords', () => {
  it('numbers records by the line they start on, skipping blank lines', () => {
    const records = [...csvRecords('a,b\n1,2\n\n3,4\n')];
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
      { line: 4, cells: ['3', '4'] },
    ]);
  });

  it('reads quoted cells with commas, doubled quotes and line breaks', () => {
    const records = [...csvRecords('a,b\n"Intel(R), ""Xeon""",x\n"two\nlines",y\nlast,z')];
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['Intel(R), "Xeon"', 'x'] },
      { line: 3, cells: ['two\nlines', 'y'] },
      { line: 5, cells: ['last', 'z'] },
    ]);
  });

  it('ignores a byte-order mark and Windows line ends', () => {
    expect([...csvRecords('\uFEFFa,b\r\n1,2\r\n')]).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  it('gives no cells for a record whose quote never closes, and goes on with the next line', () => {
    const records = [...csvRecords('a,b\n1,"unclosed\n2,3\n')];
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: undefined },
      { line: 3, cells: ['2', '3'] },
    ]);
  });
});

describe('csvRecords with a stray quote', () => {
  it('skips only the line of a quote that never closes, and reads the rows after it', () => {
    const text = 'a,b,c\n"x,1,2\ny,3,4\nz,5,6\n';
    const records = [...csvRecords(text)];
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(records[1]?.cells).toBeUndefined();
    expect(records[2]?.cells).toEqual(['y', '3', '4']);
    expect(records[3]?.cells).toEqual(['z', '5', '6']);
  });
});
