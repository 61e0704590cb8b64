import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';

export const SCHEMA_DIR = join(import.meta.dirname, 'fixtures', 'schemas');
const REPORT_ID = 'https://raw.githubusercontent.com/Boavizta/BoAmps/main/model/report_schema.json';

/**
 * A validator for BoAmps reports built from every schema file, so the report schema's `$ref`s
 * to the measure, hardware, algorithm and dataset schemas resolve. The schemas are draft-04
 * (`id`); Ajv 8 reads draft-07, so `id` becomes `$id` and `$schema` is dropped; the schemas use
 * no other keyword whose meaning changed between the drafts.
 */
export function boampsValidator(): (report: unknown) => ErrorObject[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const name of readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.json'))) {
    const {
      id,
      $schema: _draft,
      ...schema
    } = JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ $id: id as string, ...schema });
  }
  const validate = ajv.getSchema(REPORT_ID);
  if (!validate) throw new Error('report_schema.json not found');
  return (report) => (validate(report) ? [] : [...(validate.errors ?? [])]);
}

/** A report as the tests read it back. */
export interface ReportView {
  header: Record<string, unknown>;
  task: Record<string, unknown>;
  measures: Record<string, unknown>[];
  system: Record<string, unknown>;
  software: Record<string, unknown>;
  infrastructure: Record<string, unknown> & { components: Record<string, unknown>[] };
  environment: Record<string, unknown>;
  quality?: string;
}
