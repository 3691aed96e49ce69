// A validator for summary.json from its published JSON Schema (docs/summary.schema.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO } from './cli.js';

export function summaryValidator() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'summary.schema.json'), 'utf8')));
}
