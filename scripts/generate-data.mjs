#!/usr/bin/env node
// Generates the reference tables in data/ from ../shared/reference-data (or the folder given
// as the first argument). Figures are copied as published; each output file records its
// source, licence and year. Run with `npm run generate-data` after the sources change.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'reference-data'));
const outDir = join(root, 'data');

const CODECARBON_NOTE = 'Copied from the CodeCarbon project data (MIT licence).';

writeTable('cpu-tdp.json', cpuTdpTable());

function cpuTdpTable() {
  const text = readFileSync(join(sourceDir, 'codecarbon', 'cpu_power.csv'), 'utf8');
  const rows = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const comma = line.lastIndexOf(',');
      return [line.slice(0, comma).trim(), Number(line.slice(comma + 1))];
    });
  return {
    source: 'Intel ARK and AMD product specifications, compiled by CodeCarbon (cpu_power.csv)',
    licence: CODECARBON_NOTE,
    year: 2024,
    unit: 'W',
    columns: ['name', 'tdpW'],
    rows,
  };
}

function writeTable(name, table) {
  writeFileSync(join(outDir, name), `${JSON.stringify(table)}\n`);
  console.log(`data/${name}: ${Array.isArray(table.rows) ? `${table.rows.length} rows` : 'ok'}`);
}
