import { type EmissionsData, toSnakeCaseRecord } from '../../records/emissions-data.js';

/** A JSON value of a record field. */
export type JsonField = string | number | null;

/**
 * The record as a JSON-ready object: CodeCarbon's 38 snake_case fields in CSV order (a missing
 * or non-finite value is null, so the JSON is valid and every key is present), then how the
 * numbers were obtained (`cpu_method`, …, `carbon_intensity_source`).
 */
export function toJsonRecord(record: EmissionsData): Record<string, JsonField> {
  const json: Record<string, JsonField> = {};
  for (const [key, value] of Object.entries(toSnakeCaseRecord(record)))
    json[key] = jsonField(value);
  json.cpu_method = jsonField(record.cpuMethod);
  json.gpu_method = jsonField(record.gpuMethod);
  json.ram_method = jsonField(record.ramMethod);
  json.carbon_intensity = jsonField(record.carbonIntensity);
  json.carbon_intensity_source = jsonField(record.carbonIntensitySource);
  json.carbon_intensity_detail = jsonField(record.carbonIntensityDetail);
  return json;
}

function jsonField(value: unknown): JsonField {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return String(value);
}
