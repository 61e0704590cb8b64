import os from 'node:os';
import { armCoreName } from './arm-cores.js';
import { keyValueLines, readText } from './read-text.js';

/** What the machine's CPUs are, as far as the OS tells without elevated rights. */
export interface CpuInfo {
  /** Brand string such as `Intel(R) Core(TM) i7-8850H CPU @ 2.60GHz`; undefined if unknown. */
  brand: string | undefined;
  /** Logical CPUs (hardware threads) of the whole machine. */
  logicalCount: number;
  /** Physical CPU packages; 1 when the OS does not say. */
  socketCount: number;
  /** Node's architecture name (`x64`, `arm64`, ...). */
  arch: string;
}

/**
 * Reads the CPU description from `<root>/proc/cpuinfo` (Linux), or from Node's `os` module
 * when that file is missing or lists no processor (macOS, Windows). `arch` defaults to
 * `os.arch()` and can be overridden for tests.
 */
export function readCpuInfo(root = '/', arch: string = os.arch()): CpuInfo {
  const text = readText(root, 'proc', 'cpuinfo');
  const parsed = text === undefined ? undefined : parseCpuInfo(text);
  if (parsed) return { ...parsed, arch };
  return { ...osCpuInfo(), arch };
}

/** Parses /proc/cpuinfo; undefined when it describes no processor at all. */
export function parseCpuInfo(text: string): Omit<CpuInfo, 'arch'> | undefined {
  let logicalCount = 0;
  const physicalIds = new Set<string>();
  const firstValue = new Map<string, string>();

  for (const [key, value] of keyValueLines(text)) {
    if (key === 'processor' && /^\d+$/.test(value)) logicalCount += 1;
    else if (key === 'physical id') physicalIds.add(value);
    if (key !== '' && value !== '' && !firstValue.has(key)) firstValue.set(key, value);
  }
  if (logicalCount === 0) return undefined;

  return {
    brand: brandFrom(firstValue),
    logicalCount,
    socketCount: Math.max(1, physicalIds.size),
  };
}

/**
 * x86 kernels print `model name`. ARM kernels often do not: 32-bit ones print a textual
 * `Processor`, 64-bit ones only the `CPU implementer`/`CPU part` codes, which are named the
 * way `lscpu` names them (CodeCarbon gets its brand from lscpu there). Board names
 * (`Model`, `Hardware`, e.g. a Raspberry Pi) come last: they name the board, not the CPU.
 */
function brandFrom(fields: Map<string, string>): string | undefined {
  const processor = fields.get('Processor');
  const candidates = [
    fields.get('model name'),
    processor !== undefined && !/^\d+$/.test(processor) ? processor : undefined,
    armCoreName(fields.get('CPU implementer'), fields.get('CPU part')),
    fields.get('Model'),
    fields.get('Hardware'),
  ];
  return candidates.find((name) => name !== undefined && name !== '');
}

function osCpuInfo(): Omit<CpuInfo, 'arch'> {
  const cpus = safeCpus();
  const model = cpus[0]?.model.trim();
  return {
    // libuv reports `unknown` when it cannot find a model name.
    brand: model && model !== 'unknown' ? model : undefined,
    logicalCount: Math.max(1, os.availableParallelism()),
    socketCount: 1,
  };
}

function safeCpus(): os.CpuInfo[] {
  try {
    return os.cpus();
  } catch {
    return [];
  }
}
