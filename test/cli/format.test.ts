import { describe, expect, it } from 'vitest';
import { formatCommandLine, formatIntensityGPerKwh, quoteShellWord } from '../../src/cli/format.js';

describe('formatCommandLine', () => {
  it('keeps the quoting of words with spaces or shell characters', () => {
    expect(formatCommandLine(['bash', '-c', 'exit 42'])).toBe("bash -c 'exit 42'");
    expect(formatCommandLine(['node', '-e', 'process.exit(3)'])).toBe("node -e 'process.exit(3)'");
    expect(formatCommandLine(['echo', '$HOME', 'a;b', '*'])).toBe("echo '$HOME' 'a;b' '*'");
  });

  it('leaves plain words, paths and options as they are', () => {
    expect(formatCommandLine(['/usr/bin/python3', 'train.py', '--lr=0.1', 'a,b', 'x@y:z'])).toBe(
      '/usr/bin/python3 train.py --lr=0.1 a,b x@y:z',
    );
  });

  it('shows an empty word as a pair of quotes, and escapes single quotes', () => {
    expect(quoteShellWord('')).toBe("''");
    expect(quoteShellWord("it's")).toBe("'it'\\''s'");
  });
});

describe('formatIntensityGPerKwh', () => {
  it("always shows three decimals, as the tracker's log line does", () => {
    expect(formatIntensityGPerKwh(210.4759315274)).toBe('210.476');
    expect(formatIntensityGPerKwh(56.039)).toBe('56.039');
    expect(formatIntensityGPerKwh(380.95)).toBe('380.950');
    expect(formatIntensityGPerKwh(18)).toBe('18.000');
    expect(formatIntensityGPerKwh(369.13437789074004)).toBe('369.134');
    expect(formatIntensityGPerKwh(0)).toBe('0.000');
  });
});
