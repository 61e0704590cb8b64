/**
 * Which GPUs a job was given. The list comes from `gpu_ids`, else `CUDA_VISIBLE_DEVICES`,
 * else `ROCR_VISIBLE_DEVICES`; without any of them every GPU is tracked. Entries are read as
 * CUDA reads them: indices, full or unique-prefix UUIDs, MIG slices; the first entry that
 * names no GPU ends the list, so `-1` (or an empty value) means "no GPU". Indices count
 * NVIDIA GPUs in NVML (PCI bus) order, then AMD GPUs in AMD SMI order; CUDA numbers GPUs
 * the same way when CUDA_DEVICE_ORDER=PCI_BUS_ID or when all GPUs are the same model.
 */

export type GpuIdSource = 'gpu_ids' | 'CUDA_VISIBLE_DEVICES' | 'ROCR_VISIBLE_DEVICES';

export interface GpuIdRequest {
  source: GpuIdSource;
  ids: string[];
}

/** What resolution needs to know of each GPU, in combined index order. */
export interface GpuIdentity {
  readonly uuid: string | undefined;
  migUuids(): readonly string[];
}

export interface GpuIdResolution {
  /** Tracked GPUs, by combined index, ascending, without duplicates. */
  indices: number[];
  /** GPUs selected through a MIG slice: their energy is shared with the other slices. */
  viaMig: Set<number>;
  /** The entry that named no GPU and ended the list. */
  invalid: string | undefined;
  /** Entries after `invalid`, ignored as CUDA ignores them. */
  ignored: string[];
}

/** The list asked for, or undefined for "every GPU". An empty variable counts as set. */
export function requestedGpuIds(
  gpuIds: readonly string[] | undefined,
  env: Record<string, string | undefined>,
): GpuIdRequest | undefined {
  if (gpuIds !== undefined) return { source: 'gpu_ids', ids: [...gpuIds] };
  for (const source of ['CUDA_VISIBLE_DEVICES', 'ROCR_VISIBLE_DEVICES'] as const) {
    const text = env[source];
    if (text !== undefined) return { source, ids: splitDeviceList(text) };
  }
  return undefined;
}

/** `0,1`, ` 0, 1 `, `[0, 1]`: entries trimmed and unquoted, empty ones dropped. */
export function splitDeviceList(text: string): string[] {
  let inner = text.trim();
  if (/^[[(].*[\])]$/s.test(inner)) inner = inner.slice(1, -1);
  return inner
    .split(',')
    .map((entry) =>
      entry
        .trim()
        .replace(/^(["'])(.*)\1$/s, '$2')
        .trim(),
    )
    .filter((entry) => entry !== '');
}

export function resolveGpuIds(
  ids: readonly string[],
  devices: readonly GpuIdentity[],
): GpuIdResolution {
  const indices: number[] = [];
  const viaMig = new Set<number>();

  for (const [position, id] of ids.entries()) {
    const match = matchId(id.trim(), devices);
    if (match === undefined) {
      return { indices: sorted(indices), viaMig, invalid: id, ignored: ids.slice(position + 1) };
    }
    if (!indices.includes(match.index)) indices.push(match.index);
    if (match.mig) viaMig.add(match.index);
  }
  return { indices: sorted(indices), viaMig, invalid: undefined, ignored: [] };
}

function matchId(
  id: string,
  devices: readonly GpuIdentity[],
): { index: number; mig: boolean } | undefined {
  if (/^[+-]?\d+$/.test(id)) {
    const index = Number(id);
    return index >= 0 && index < devices.length ? { index, mig: false } : undefined;
  }
  // Before R470, CUDA named a slice MIG-GPU-<parent uuid>/<gpu instance>/<compute instance>.
  const legacy = /^MIG-(GPU-[^/]+)\/\d+\/\d+$/i.exec(id);
  if (legacy) {
    const index = matchPrefix(legacy[1] as string, devices, (device) => [device.uuid]);
    return index === undefined ? undefined : { index, mig: true };
  }
  if (/^MIG-/i.test(id)) {
    const index = matchPrefix(id, devices, (device) => device.migUuids());
    return index === undefined ? undefined : { index, mig: true };
  }
  const index = matchPrefix(id, devices, (device) => [device.uuid]);
  return index === undefined ? undefined : { index, mig: false };
}

/**
 * The one device owning a UUID that equals `id` or starts with it. `GPU-`/`MIG-` prefixes
 * are optional on both sides and case does not matter. Ambiguous prefixes match nothing.
 */
function matchPrefix(
  id: string,
  devices: readonly GpuIdentity[],
  uuidsOf: (device: GpuIdentity) => readonly (string | undefined)[],
): number | undefined {
  const wanted = bare(id);
  if (wanted === '') return undefined;
  const exact: number[] = [];
  const prefixed: number[] = [];
  for (const [index, device] of devices.entries()) {
    for (const uuid of uuidsOf(device)) {
      if (uuid === undefined) continue;
      const candidate = bare(uuid);
      if (candidate === wanted) exact.push(index);
      else if (candidate.startsWith(wanted)) prefixed.push(index);
    }
  }
  if (exact.length === 1) return exact[0];
  const all = [...new Set([...exact, ...prefixed])];
  return all.length === 1 ? all[0] : undefined;
}

function bare(uuid: string): string {
  return uuid
    .trim()
    .toLowerCase()
    .replace(/^(mig-|gpu-)+/, '');
}

function sorted(indices: number[]): number[] {
  return [...indices].sort((a, b) => a - b);
}
