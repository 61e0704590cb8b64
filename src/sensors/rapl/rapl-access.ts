import type { PowercapZone } from './powercap-zones.js';

/**
 * The warning for counters that exist but only root may read (the kernel made `energy_uj`
 * root-only in 2020 against the PLATYPUS side channel, CVE-2020-8694). It names the files,
 * says what is used instead, and gives the two ways to grant access: a chmod until the next
 * reboot, or a udev rule that reapplies it whenever a zone appears.
 */
export function permissionWarning(denied: readonly PowercapZone[], instead: string): string {
  const first = denied[0];
  const providers = [...new Set(denied.map((zone) => zone.provider))];
  const globs = providers.map((provider) => `/sys/class/powercap/${provider}:*/energy_uj`);
  const rule = 'SUBSYSTEM=="powercap", ACTION=="add", RUN+="/bin/chmod a+r %S%p/energy_uj"';
  return [
    `RAPL energy counters are readable by root only (${first?.systemPath ?? '/sys/class/powercap'}/energy_uj: permission denied), so ${instead}.`,
    `To let this user read them until the next reboot: sudo chmod a+r ${globs.join(' ')}`,
    `To keep that across reboots, add a udev rule: echo '${rule}' | sudo tee /etc/udev/rules.d/99-powercap-energy.rules && sudo udevadm trigger --subsystem-match=powercap --action=add`,
    '(Readable counters let local users observe power draw, the PLATYPUS side channel; grant access on machines you trust.)',
  ].join('\n');
}

/** What to do when counters that were readable at start stop being so during a run. */
export const RAPL_LOST_ADVICE =
  'Check that the powercap files are still there and readable (the intel_rapl_common module loaded, the permissions of energy_uj), then start a new run to measure with RAPL again.';
