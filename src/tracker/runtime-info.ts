import os from 'node:os';

/** `Linux-6.8.0-45-generic-x86_64`, close to Python's platform string. */
export function osDescription(): string {
  return `${os.type()}-${os.release()}-${os.machine()}`;
}

/** The JavaScript runtime and its version, written where CodeCarbon writes Python's. */
export function runtimeVersion(): string {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return `bun-${versions.bun}`;
  if (versions.deno) return `deno-${versions.deno}`;
  return `node-${process.versions.node}`;
}
