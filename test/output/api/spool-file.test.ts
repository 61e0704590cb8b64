import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseSpoolFileName,
  readSpool,
  SpoolFile,
  spoolFileName,
} from '../../../src/output/api/spool-file.js';
import { tempDir } from './api-test-helpers.js';

const HEADER = {
  kind: 'api' as const,
  target: 'http://127.0.0.1:1',
  experimentId: 'e',
  runId: 'r-1',
};

describe('SpoolFile', () => {
  it('is written only with the first item, with its header, meta and every pending item', () => {
    const dir = tempDir();
    const spool = SpoolFile.create(dir, HEADER, { run: { os: 'x' } });
    expect(existsSync(spool.path)).toBe(false);

    const pending = [{ seq: 1, body: { a: 1 } }];
    spool.append(pending[0] as (typeof pending)[number], pending);
    spool.setMeta('serverRunId', 'srv-9');

    expect(readSpool(spool.path)).toEqual({
      header: HEADER,
      owner: { pid: process.pid, host: expect.any(String) },
      meta: { run: { os: 'x' }, serverRunId: 'srv-9' },
      pending,
      lastSeq: 1,
    });
    spool.release();
  });

  it('keeps only unsettled items when read back, and disappears once nothing is pending', () => {
    const dir = tempDir();
    const spool = SpoolFile.create(dir, HEADER, {});
    const pending = [1, 2, 3].map((seq) => ({ seq, body: { seq } }));
    for (const [i, item] of pending.entries()) spool.append(item, pending.slice(0, i + 1));

    spool.settle(2, 1);
    expect(readSpool(spool.path)?.pending).toEqual([{ seq: 3, body: { seq: 3 } }]);
    expect(readSpool(spool.path)?.lastSeq).toBe(3);

    spool.settle(3, 0);
    expect(existsSync(spool.path)).toBe(false);
    spool.release();
  });

  it('skips a last line cut short by a crash', () => {
    const dir = tempDir();
    const spool = SpoolFile.create(dir, HEADER, {});
    const item = { seq: 1, body: { ok: true } };
    spool.append(item, [item]);
    appendFileSync(spool.path, '{"t":"item","seq":2,"bo');

    expect(readSpool(spool.path)?.pending).toEqual([item]);
    expect(readFileSync(spool.path, 'utf8').split('\n')).toHaveLength(3);
    spool.release();
  });

  it('names files after the run and the owner pid', () => {
    const name = spoolFileName('http', 'run/../x', 42);
    expect(name).toBe('.codecarbon-http-spool.run____x.42.jsonl');
    expect(parseSpoolFileName(name)).toEqual({ kind: 'http', runId: 'run____x', pid: 42 });
    expect(parseSpoolFileName('emissions.csv')).toBeUndefined();
  });
});
