import { fileURLToPath } from 'node:url';

/** Absolute path of a fake filesystem root under test/hardware/fixtures/. */
export function fixtureRoot(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}
