// Small statistics helpers for the benchmarks: median and spread of repeated measurements.

/** Median, min, max and the 25th/75th percentiles of `values`. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  };
  return {
    runs: sorted.length,
    median: at(0.5),
    p25: at(0.25),
    p75: at(0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** Runs `fn` `count` times (awaiting each) and summarizes what it returns. */
export async function repeat(count, fn) {
  const values = [];
  for (let i = 0; i < count; i++) values.push(await fn(i));
  return summarize(values);
}
