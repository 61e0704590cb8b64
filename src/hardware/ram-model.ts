/**
 * CodeCarbon's RAM power model. RAM power is never measured: the memory size is turned into
 * a guessed DIMM count, and each DIMM is given a power that shrinks as more DIMMs share the
 * memory channels.
 */

/** Estimated number of DIMMs holding `gib` GiB of memory. */
export function dimmCount(gib: number): number {
  // NaN, zero and negative sizes mean "unknown, small": one DIMM.
  if (!(gib > 2)) return 1;
  if (gib <= 16) return 2;
  if (gib <= 64) return 4;
  if (gib <= 128) return 8;

  // Large machines: assume the biggest common DIMM size that still leaves at least eight
  // DIMMs. This is not monotonic (200 GiB → 13 DIMMs, 256 GiB → 8), as in CodeCarbon; kept
  // for parity of reported values.
  const dimmSizeGib = LARGE_DIMM_SIZES_GIB.find((size) => size <= gib / 8) ?? 16;
  return Math.min(MAX_DIMMS, Math.ceil(gib / dimmSizeGib));
}

/** Modelled RAM power, W, for `gib` GiB on a machine of architecture `arch` (`os.arch()`). */
export function ramPowerW(gib: number, arch: string): number {
  const arm = isArm(arch);
  const perDimmW = arm ? 1.5 : 5;
  const minimumW = arm ? 3 : 10;
  return Math.max(minimumW, dimmsPowerW(dimmCount(gib), perDimmW));
}

/** Whether an architecture string names an ARM machine (`arm`, `arm64`, `aarch64`, ...). */
export function isArm(arch: string): boolean {
  return /arm|aarch/i.test(arch);
}

/** Each step of DIMMs costs less per DIMM: 100 %, 90 %, 80 %, then 70 % of the base. */
function dimmsPowerW(dimms: number, perDimmW: number): number {
  const b = perDimmW;
  if (dimms <= 4) return b * dimms;
  if (dimms <= 8) return 4 * b + 0.9 * b * (dimms - 4);
  if (dimms <= 16) return 4 * b + 3.6 * b + 0.8 * b * (dimms - 8);
  return 4 * b + 3.6 * b + 6.4 * b + 0.7 * b * (dimms - 16);
}

const LARGE_DIMM_SIZES_GIB = [128, 64, 32, 16, 8, 4];
const MAX_DIMMS = 32;
