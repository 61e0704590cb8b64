/** How records and `codecarbon detect` name a set of GPUs. */

/** `2 x NVIDIA H200, 1 x NVIDIA L4`: one group per name, in first-seen order. */
export function gpuModel(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} x ${name}`).join(', ');
}

const METHOD_ORDER = ['nvml-energy', 'nvml-power', 'amdsmi-energy', 'amdsmi-power'];

/**
 * `nvml-energy`, or `nvml-energy+nvml-power` when GPUs are measured differently (always in
 * this order, whatever the GPUs' order); `none` without GPU.
 */
export function combinedMethod(methods: readonly string[]): string {
  const rank = (method: string) => {
    const index = METHOD_ORDER.indexOf(method);
    return index < 0 ? METHOD_ORDER.length : index;
  };
  const distinct = [...new Set(methods)].sort((a, b) => rank(a) - rank(b));
  return distinct.length === 0 ? 'none' : distinct.join('+');
}

/** `0, 2` */
export function indexList(indices: readonly number[]): string {
  return indices.join(', ');
}
