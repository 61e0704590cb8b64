#!/usr/bin/env bash
# Real-hardware check of codecarbon's NVIDIA GPU measurement (issue 5), for a machine with an
# NVIDIA GPU and its driver (nvidia-smi). It needs no network once the project's dependencies
# are installed.
#
#   scripts/gpu-check.sh            # 30 s idle, then 30 s under load
#   PHASE_S=60 scripts/gpu-check.sh # longer phases
#   SKIP_BUILD=1 scripts/gpu-check.sh  # dist/ is already built
#
# It builds the project, prints `codecarbon detect --json`, then measures two phases with
# `codecarbon monitor` (every GPU tracked): PHASE_S seconds idle, then PHASE_S seconds with a
# load on every GPU. Each phase is compared with the driver's own figures read by nvidia-smi
# around it: the energy counter (`energy.consumption`, Volta and newer) and, for every GPU,
# the mean of `power.draw` sampled every 200 ms. The load comes from a small CUDA program
# built with nvcc when the CUDA toolkit is installed, else from PyTorch when it is importable,
# else the load phase is skipped. Results go to standard output and to $OUT/summary.md, ready
# for the README. Exit status: 0 when every phase agrees within TOLERANCE_PCT (default 5) with
# the driver's counter, 1 otherwise, 2 when the machine cannot run the check.
set -euo pipefail

PHASE_S=${PHASE_S:-30}
TOLERANCE_PCT=${TOLERANCE_PCT:-5}
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/codecarbon-gpu-check.XXXXXX")}
mkdir -p "$OUT"
cd "$REPO"

say() { printf '\n== %s\n' "$*"; }

if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu-check: nvidia-smi does not work here: no NVIDIA GPU to check." >&2
  exit 2
fi

# Track every GPU, whatever the calling shell selected, and number them as NVML does.
unset CUDA_VISIBLE_DEVICES ROCR_VISIBLE_DEVICES CODECARBON_GPU_IDS
export CUDA_DEVICE_ORDER=PCI_BUS_ID
GPU_COUNT=$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l)

if [ -z "${SKIP_BUILD:-}" ]; then
  say "Build"
  if [ ! -d node_modules ]; then npm ci; else npm run build; fi
fi

say "codecarbon detect --json"
node bin/codecarbon.js detect --json | tee "$OUT/detect.json"

say "Load generator"
LOAD=()
NVCC=$(command -v nvcc || true)
[ -z "$NVCC" ] && [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc
if [ -n "$NVCC" ]; then
  cat >"$OUT/gpu-burn.cu" <<'CUDA'
// Keeps the visible GPU busy with dependent fused multiply-adds for argv[1] seconds.
#include <cstdio>
#include <cstdlib>
#include <ctime>

__global__ void burn(float *data, int n, int rounds) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float a = data[i], b = 1.0001f, c = 0.9999f;
  for (int r = 0; r < rounds; r++) {
    a = fmaf(a, b, c);
    b = fmaf(b, c, a * 1e-7f);
  }
  data[i] = a + b;
}

static double seconds_since(const timespec &start) {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 30;
  const int n = 1 << 24;
  float *data;
  if (cudaMalloc(&data, n * sizeof(float)) != cudaSuccess) {
    fprintf(stderr, "gpu-burn: cudaMalloc failed\n");
    return 1;
  }
  cudaMemset(data, 0, n * sizeof(float));
  timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  long launches = 0;
  do {
    burn<<<(n + 255) / 256, 256>>>(data, n, 2000);
    cudaError_t status = cudaDeviceSynchronize();
    if (status != cudaSuccess) {
      fprintf(stderr, "gpu-burn: %s\n", cudaGetErrorString(status));
      return 1;
    }
    launches++;
  } while (seconds_since(start) < seconds);
  printf("gpu-burn: %ld kernels in %.1f s\n", launches, seconds_since(start));
  cudaFree(data);
  return 0;
}
CUDA
  "$NVCC" -O2 -o "$OUT/gpu-burn" "$OUT/gpu-burn.cu"
  LOAD=("$OUT/gpu-burn")
  echo "CUDA program built with $NVCC"
elif python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  cat >"$OUT/gpu-burn.py" <<'PYTHON'
# Keeps the visible GPU busy with half-precision matrix products for argv[1] seconds.
import sys, time, torch
a = torch.randn(8192, 8192, device="cuda", dtype=torch.float16)
b = torch.randn_like(a)
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    for _ in range(10):
        c = a @ b
    torch.cuda.synchronize()
PYTHON
  LOAD=(python3 "$OUT/gpu-burn.py")
  echo "PyTorch load"
else
  echo "No nvcc and no PyTorch with CUDA: the load phase is skipped."
fi

# One load process per GPU, each seeing only its GPU; fails when any of them fails.
cat >"$OUT/load-all.sh" <<'SH'
#!/bin/sh
seconds=$1; count=$2; shift 2
pids=""
i=0
while [ "$i" -lt "$count" ]; do
  CUDA_VISIBLE_DEVICES=$i "$@" "$seconds" &
  pids="$pids $!"
  i=$((i + 1))
done
status=0
for pid in $pids; do wait "$pid" || status=1; done
exit $status
SH
chmod +x "$OUT/load-all.sh"
if [ ${#LOAD[@]} -gt 0 ] && ! "$OUT/load-all.sh" 1 "$GPU_COUNT" "${LOAD[@]}"; then
  echo "The load generator fails on this machine (above): the load phase is skipped." >&2
  LOAD=()
fi

# Runs one phase: nvidia-smi snapshots around `codecarbon monitor -- <command>`, power sampled.
phase() {
  local name=$1
  shift
  local dir="$OUT/$name"
  mkdir -p "$dir"
  nvidia-smi --query-gpu=index,power.draw --format=csv,noheader,nounits -lms 200 >"$dir/power.csv" &
  local sampler=$!
  nvidia-smi --query-gpu=timestamp,index,energy.consumption --format=csv,nounits \
    >"$dir/energy-before.csv"
  node bin/codecarbon.js monitor --offline --country-iso-code FRA --measure-power-secs 5 \
    --log-level info --output-dir "$dir" -- "$@" 2>&1 | tee "$dir/monitor.log"
  nvidia-smi --query-gpu=timestamp,index,energy.consumption --format=csv,nounits \
    >"$dir/energy-after.csv"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
}

say "Idle phase: $PHASE_S s"
phase idle sleep "$PHASE_S"
if [ ${#LOAD[@]} -gt 0 ]; then
  say "Load phase: $PHASE_S s on $GPU_COUNT GPU(s)"
  phase load "$OUT/load-all.sh" "$PHASE_S" "$GPU_COUNT" "${LOAD[@]}"
fi

say "Comparison"
MODEL=$(nvidia-smi --query-gpu=name --format=csv,noheader | sort | uniq -c | awk '{c=$1; $1=""; sub(/^ /, ""); printf "%s%d x %s", (NR>1?", ":""), c, $0}')
DRIVER=$(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n 1)
status=0
node --input-type=module - "$OUT" "$MODEL" "$DRIVER" "$TOLERANCE_PCT" "$REPO" <<'NODE' || status=$?
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [out, model, driver, tolerancePct, repo] = process.argv.slice(2);
const { parse } = createRequire(join(repo, 'package.json'))('csv-parse/sync');
const read = (file) => readFileSync(file, 'utf8');

/**
 * A snapshot of `timestamp, index, energy.consumption`: when nvidia-smi read it (s) and the
 * sum of the GPUs' counters in J (the unit is taken from the header; undefined: no counter).
 */
function snapshot(file) {
  const [header, ...rows] = read(file).trim().split('\n');
  const unit = /energy\.consumption \[(\w+)\]/.exec(header)?.[1] ?? 'mJ';
  const scale = { J: 1, mJ: 1e-3, kJ: 1e3 }[unit] ?? 1e-3;
  const cells = rows.map((row) => row.split(',').map((cell) => cell.trim()));
  // `2026/01/15 10:30:00.123`, local time.
  const timeS = Date.parse((cells[0]?.[0] ?? '').replaceAll('/', '-').replace(' ', 'T')) / 1000;
  let counterJ = 0;
  for (const row of cells) {
    const value = Number(row[2]);
    if (!Number.isFinite(value)) return { timeS, counterJ: undefined }; // [N/A]: pre-Volta
    counterJ += value * scale;
  }
  return { timeS, counterJ };
}

/** Mean over samples of the total power of all GPUs, W. */
function meanPowerW(file) {
  const byIndex = new Map();
  for (const line of read(file).trim().split('\n')) {
    const [index, watts] = line.split(',').map((cell) => Number(cell));
    if (!Number.isFinite(watts)) continue;
    byIndex.set(index, [...(byIndex.get(index) ?? []), watts]);
  }
  let total = 0;
  for (const samples of byIndex.values()) total += samples.reduce((a, b) => a + b, 0) / samples.length;
  return total;
}

const results = [];
let idleW;
for (const name of ['idle', 'load']) {
  const dir = join(out, name);
  if (!existsSync(join(dir, 'emissions.csv'))) continue;
  const rows = parse(read(join(dir, 'emissions.csv')), { columns: true });
  const row = rows[rows.length - 1];
  const ccJ = Number(row.gpu_energy) * 3.6e6;
  const ccS = Number(row.duration);
  const before = snapshot(join(dir, 'energy-before.csv'));
  const after = snapshot(join(dir, 'energy-after.csv'));
  const windowS = after.timeS - before.timeS;
  const smiJ =
    before.counterJ === undefined || after.counterJ === undefined
      ? undefined
      : after.counterJ - before.counterJ;
  const sampledW = meanPowerW(join(dir, 'power.csv'));
  if (name === 'idle') idleW = smiJ === undefined ? sampledW : smiJ / windowS;
  // nvidia-smi's window is longer than the tracker's by node's start and exit (near idle).
  const expectedJ = smiJ === undefined ? sampledW * ccS : smiJ - (windowS - ccS) * (idleW ?? 0);
  const diffPct = ((ccJ - expectedJ) / expectedJ) * 100;
  results.push({ name, ccJ, ccS, ccW: ccJ / ccS, smiJ, windowS, sampledW, diffPct });
}

const fmt = (value, digits = 1) => (value === undefined ? 'n/a' : value.toFixed(digits));
const lines = [
  `GPU check (${new Date().toISOString().slice(0, 10)}): ${model}, driver ${driver}`,
  '',
  '| phase | codecarbon GPU energy | codecarbon mean power | nvidia-smi energy counter | nvidia-smi power.draw mean | difference |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.name} (${fmt(r.ccS)} s) | ${fmt(r.ccJ)} J | ${fmt(r.ccW)} W | ${fmt(r.smiJ)} J over ${fmt(r.windowS)} s | ${fmt(r.sampledW)} W | ${r.diffPct >= 0 ? '+' : ''}${fmt(r.diffPct, 2)} % |`,
  ),
  '',
  `Difference: codecarbon's energy against the driver's counter over the same time (the`,
  `counter's longer window corrected at idle power); power.draw samples when there is no counter.`,
];
const ok = results.length > 0 && results.every((r) => Math.abs(r.diffPct) <= Number(tolerancePct));
lines.push('', ok ? `PASS: every phase within ${tolerancePct} %.` : `FAIL: a phase differs by more than ${tolerancePct} %.`);
writeFileSync(join(out, 'summary.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
process.exitCode = ok ? 0 : 1;
NODE
echo
echo "Files: $OUT"
exit $status
