/**
 * Folding of free-text place names so that spellings people actually type compare equal:
 * `Québec`, ` QUEBEC `, `quebec` → `quebec`; `New York`, `new-york`, `NewYork` → `newyork`.
 */
export function compactName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}
