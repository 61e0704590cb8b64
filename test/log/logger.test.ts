import { describe, expect, it } from 'vitest';
import { filterByLevel, type Logger, OnceLogger, StderrLogger } from '../../src/log/logger.js';

function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

describe('StderrLogger', () => {
  it("writes CodeCarbon's format with the level and the preamble", () => {
    const out = capture();
    new StderrLogger({ level: 'info', preamble: 'job-7', write: out.write }).warn('careful');
    expect(out.lines[0]).toMatch(/^\[codecarbon WARNING @ \d\d:\d\d:\d\d\]\[job-7\] careful\n$/);
  });

  it('drops messages below its level', () => {
    const out = capture();
    const logger = new StderrLogger({ level: 'error', write: out.write });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toContain('ERROR');
  });
});

describe('filterByLevel', () => {
  it("applies log_level to a user's own logger", () => {
    const seen: string[] = [];
    const user: Logger = {
      debug: (m) => void seen.push(`debug ${m}`),
      info: (m) => void seen.push(`info ${m}`),
      warn: (m) => void seen.push(`warn ${m}`),
      error: (m) => void seen.push(`error ${m}`),
    };
    const logger = filterByLevel(user, 'warning');
    logger.info('x');
    logger.warn('y');
    logger.error('z');
    expect(seen).toEqual(['warn y', 'error z']);
  });

  it("drops what a user's logger throws: a log line never fails the tracker or the program", () => {
    const boom = () => {
      throw new Error('logger broke');
    };
    const logger = filterByLevel({ debug: boom, info: boom, warn: boom, error: boom }, 'debug');
    expect(() => {
      logger.debug('a');
      logger.info('b');
      logger.warn('c');
      logger.error('d');
    }).not.toThrow();
  });

  it("drops what an async logger's promise rejects with (no unhandled rejection)", async () => {
    const rejected: unknown[] = [];
    const onRejection = (reason: unknown) => rejected.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const reject = async () => {
        throw new Error('async logger broke');
      };
      const logger = filterByLevel(
        { debug: reject, info: reject, warn: reject, error: reject },
        'debug',
      );
      logger.info('a');
      logger.error('b');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(rejected).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe('OnceLogger', () => {
  it('says a keyed message once only', () => {
    const out = capture();
    const logger = new OnceLogger(new StderrLogger({ level: 'debug', write: out.write }));
    logger.once('k', 'warn', 'first');
    logger.once('k', 'warn', 'second');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toContain('first');
  });
});
