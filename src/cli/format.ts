/** Human units for the terminal: energy in the unit that keeps a few significant digits. */
export function formatEnergyKwh(kwh: number): string {
  const wh = kwh * 1000;
  if (wh === 0) return '0 Wh';
  if (Math.abs(wh) < 1) return `${round(wh * 1000)} mWh`;
  if (Math.abs(wh) < 1000) return `${round(wh)} Wh`;
  return `${round(kwh)} kWh`;
}

export function formatMassKg(kg: number): string {
  const g = kg * 1000;
  if (g === 0) return '0 g';
  if (Math.abs(g) < 1) return `${round(g * 1000)} mg`;
  if (Math.abs(g) < 1000) return `${round(g)} g`;
  return `${round(kg)} kg`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** g CO2eq/kWh with three decimals, as the tracker's log line gives it: `56.039`, `18.000`. */
export function formatIntensityGPerKwh(gPerKwh: number): string {
  return gPerKwh.toFixed(3);
}

/**
 * The command as a POSIX shell would need it typed: words with spaces, quotes or shell
 * characters (and empty words) are single-quoted, so `bash -c 'exit 42'` reads back as run.
 */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map(quoteShellWord).join(' ');
}

export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Four significant digits, no exponent for everyday magnitudes. */
function round(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
