import type { PowercapZone, ZoneKind } from './powercap-zones.js';

export interface RaplPlanOptions {
  /** `rapl_prefer_psys`: measure the CPU with the platform zone alone. */
  preferPsys: boolean;
  /** `rapl_include_dram`: measure DRAM zones as the RAM component. */
  includeDram: boolean;
  /** Why the CPU must not be measured by RAPL (`force_cpu_power is set`); undefined: it may. */
  cpuRefusedBecause?: string | undefined;
}

export type RaplCpuMethod = 'rapl-package' | 'rapl-psys';

/** What to measure with which zones, and why every other zone is left out. */
export interface RaplPlan {
  cpu: { method: RaplCpuMethod; zones: PowercapZone[] } | undefined;
  ram: { method: 'rapl-dram'; zones: PowercapZone[] } | undefined;
  /** One line per zone found: `used for CPU`, or why not. */
  decisions: { zone: PowercapZone; use: 'cpu' | 'ram' | undefined; reason: string }[];
  /** Zones the plan wanted but could not read for lack of permission (the chmod warning). */
  denied: PowercapZone[];
  /** Zones the plan wanted but could not read for another reason. */
  unreadable: PowercapZone[];
  /** Fallbacks worth saying: `no package zone: the platform (psys) zone is used`. */
  notes: string[];
}

/**
 * Chooses the zones to measure. CPU: every package zone (all sockets, all dies); with
 * `preferPsys` the psys zone alone; psys also when no package zone can be read. `core` and
 * `uncore` are never added, since their energy is part of their package's. RAM (with
 * `includeDram`): every DRAM zone, unless the CPU is measured by psys, which already covers
 * the memory. The same counter exposed by two providers (MSR and MMIO) is kept once; the MMIO
 * copy wins when both are readable, as in CodeCarbon. A group of zones is used only when all
 * of it is readable: measuring one socket of two would silently halve the result.
 */
export function planRaplZones(zones: readonly PowercapZone[], options: RaplPlanOptions): RaplPlan {
  const reasons = new Map<PowercapZone, { use: 'cpu' | 'ram' | undefined; reason: string }>();
  const plan: RaplPlan = {
    cpu: undefined,
    ram: undefined,
    decisions: [],
    denied: [],
    unreadable: [],
    notes: [],
  };

  const counters = zones.filter((zone) => {
    if (!zone.hasCounter) reasons.set(zone, { use: undefined, reason: 'no energy counter' });
    return zone.hasCounter;
  });
  const kept = keepOnePerCounter(counters, reasons);
  // By name (`package-0`, `package-1`, …): the order of descriptions and mirror references.
  const ofKind = (kind: ZoneKind) =>
    kept
      .filter((zone) => zone.kind === kind)
      .sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  const packages = ofKind('package');
  const psys = ofKind('psys');
  const dram = ofKind('dram');

  const wanted = (group: PowercapZone[]) => group.length > 0;
  const usable = (group: PowercapZone[]) => wanted(group) && group.every(isReadable);
  const refuse = (group: PowercapZone[], reason: string) => {
    for (const zone of group) if (!reasons.has(zone)) reasons.set(zone, { use: undefined, reason });
  };
  const blocked = (group: PowercapZone[]) => {
    for (const zone of group.filter((candidate) => !isReadable(candidate))) {
      const { access } = zone;
      if (access.readable) continue;
      const reason = access.permission
        ? `not used: energy_uj readable by root only (${access.reason})`
        : `not used: energy_uj unreadable (${access.reason})`;
      reasons.set(zone, { use: undefined, reason });
      (access.permission ? plan.denied : plan.unreadable).push(zone);
    }
  };

  if (options.cpuRefusedBecause !== undefined) {
    refuse([...packages, ...psys], `not used: ${options.cpuRefusedBecause}`);
  } else {
    const order = options.preferPsys ? [psys, packages] : [packages, psys];
    for (const group of order) {
      if (!wanted(group)) continue;
      if (!usable(group)) {
        blocked(group);
        continue;
      }
      plan.cpu = { method: group === psys ? 'rapl-psys' : 'rapl-package', zones: group };
      break;
    }
    if (plan.cpu?.method === 'rapl-psys' && !options.preferPsys) {
      plan.notes.push('no readable package zone: the platform (psys) zone measures the CPU');
    }
    if (plan.cpu?.method === 'rapl-package' && options.preferPsys) {
      plan.notes.push('rapl_prefer_psys is set but no readable psys zone: packages are used');
    }
    refuse(psys, 'not used: psys covers the whole platform (rapl_prefer_psys selects it)');
    refuse(packages, 'not used: the platform (psys) zone is measured instead');
  }
  for (const zone of plan.cpu?.zones ?? [])
    reasons.set(zone, { use: 'cpu', reason: 'used for CPU' });

  if (!options.includeDram) {
    refuse(dram, 'not used: rapl_include_dram is off (RAM uses its model)');
  } else if (plan.cpu?.method === 'rapl-psys') {
    refuse(dram, 'not used: the psys zone measured as CPU already includes memory');
  } else if (usable(dram)) {
    plan.ram = { method: 'rapl-dram', zones: dram };
    for (const zone of dram) reasons.set(zone, { use: 'ram', reason: 'used for RAM' });
  } else {
    blocked(dram);
  }

  for (const zone of kept) {
    if (reasons.has(zone)) continue;
    reasons.set(zone, { use: undefined, reason: leftOutReason(zone, zones) });
  }
  plan.decisions = zones.map((zone) => ({
    zone,
    ...(reasons.get(zone) ?? { use: undefined, reason: 'not used' }),
  }));
  return plan;
}

function isReadable(zone: PowercapZone): boolean {
  return zone.access.readable;
}

/**
 * One zone per counter key. MMIO copies are preferred when readable (CodeCarbon keeps the
 * MMIO one); a readable copy always beats an unreadable one.
 */
function keepOnePerCounter(
  zones: PowercapZone[],
  reasons: Map<PowercapZone, { use: 'cpu' | 'ram' | undefined; reason: string }>,
): PowercapZone[] {
  const byKey = new Map<string, PowercapZone[]>();
  for (const zone of zones) byKey.set(zone.key, [...(byKey.get(zone.key) ?? []), zone]);

  const kept = new Set<PowercapZone>();
  for (const copies of byKey.values()) {
    const rank = (zone: PowercapZone) =>
      (zone.access.readable ? 2 : 0) + (zone.provider.includes('mmio') ? 1 : 0);
    const best = [...copies].sort((a, b) => rank(b) - rank(a))[0] as PowercapZone;
    kept.add(best);
    for (const copy of copies) {
      if (copy === best) continue;
      if (copy.provider === best.provider) {
        // Same provider and same key is not a duplicate view but two zones named alike.
        kept.add(copy);
        continue;
      }
      reasons.set(copy, {
        use: undefined,
        reason: `not used: same counter as ${best.id} (${copy.provider} and ${best.provider})`,
      });
    }
  }
  return zones.filter((zone) => kept.has(zone));
}

function leftOutReason(zone: PowercapZone, zones: readonly PowercapZone[]): string {
  if (zone.kind === 'core' || zone.kind === 'uncore') {
    const parent = zones.find((candidate) => candidate.id === zone.parentId);
    return parent
      ? `not used: part of ${parent.name} (${parent.id})`
      : `not used: ${zone.kind} energy is part of a package's`;
  }
  if (zone.kind === 'unknown') return `not used: unknown zone name "${zone.name}"`;
  return 'not used';
}
