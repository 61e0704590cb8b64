/**
 * Names of common ARM Ltd. cores from the codes in /proc/cpuinfo (`CPU implementer` 0x41,
 * `CPU part`), spelled as util-linux `lscpu` prints them. Only cores seen in servers, cloud
 * instances and single-board computers are listed; an unknown part gives no name.
 */
export function armCoreName(
  implementer: string | undefined,
  part: string | undefined,
): string | undefined {
  if (implementer?.toLowerCase() !== ARM_LTD || part === undefined) return undefined;
  return ARM_LTD_PARTS[part.toLowerCase()];
}

const ARM_LTD = '0x41';

const ARM_LTD_PARTS: Record<string, string> = {
  '0xd03': 'Cortex-A53',
  '0xd05': 'Cortex-A55',
  '0xd07': 'Cortex-A57',
  '0xd08': 'Cortex-A72',
  '0xd0b': 'Cortex-A76',
  '0xd0c': 'Neoverse-N1',
  '0xd40': 'Neoverse-V1',
  '0xd49': 'Neoverse-N2',
  '0xd4f': 'Neoverse-V2',
};
