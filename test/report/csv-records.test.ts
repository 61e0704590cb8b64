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

  it('gives no cells for a record cut inside quotes, which runs to the end of the file', () => {
    const records = [...csvRecords('a,b\n1,"unclosed\n2,3\n')];
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: undefined },
    ]);
  });
});
