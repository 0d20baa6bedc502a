import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json.js';
import { SUPPORTED_TYPES } from './resource-types.js';
import { validationIssues } from './validate.js';

/**
 * The HL7 validator test cases (../shared/data/fhir-validator-cases) whose resource type Carnet supports,
 * judged by Carnet's validator and compared with the official Java validator's outcome. No case the official
 * validator accepts may be rejected; the agreement rate is recorded in docs/validation.md and must match.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CASES = path.resolve(ROOT, '../shared/data/fhir-validator-cases');

interface Case {
  name: string;
  file: string;
  java: string;
}

export interface Verdict {
  name: string;
  type: string;
  official: 'valid' | 'invalid';
  carnet: 'valid' | 'invalid';
  carnetReason?: string;
  officialReason?: string;
}

function verdicts(): Verdict[] {
  const list = JSON.parse(fs.readFileSync(path.join(CASES, 'selected-r4-cases.json'), 'utf8')) as Case[];
  const out: Verdict[] = [];
  for (const c of list) {
    const text = fs.readFileSync(path.join(CASES, 'validator', c.file), 'utf8');
    let resource: any;
    let parseError: string | undefined;
    try {
      resource = parseJsonBody(text);
    } catch (err) {
      parseError = (err as Error).message;
      const m = /"resourceType"\s*:\s*"([A-Za-z]+)"/.exec(text);
      resource = { resourceType: m?.[1] };
    }
    if (!(SUPPORTED_TYPES as readonly string[]).includes(resource?.resourceType)) continue;
    const outcomeFile = path.join(CASES, 'validator/outcomes', c.java);
    const outcomeText = fs.existsSync(outcomeFile) ? fs.readFileSync(outcomeFile, 'utf8').trim() : '';
    if (outcomeText === '') continue; // no official outcome recorded for this case
    const outcome = JSON.parse(outcomeText);
    const errors = (outcome.issue ?? []).filter((i: any) => i.severity === 'error' || i.severity === 'fatal');
    const issues = parseError ? [{ diagnostics: `not JSON: ${parseError}` }] : validationIssues(resource);
    out.push({
      name: c.name,
      type: resource.resourceType,
      official: errors.length ? 'invalid' : 'valid',
      carnet: issues.length ? 'invalid' : 'valid',
      ...(issues.length ? { carnetReason: issues[0]!.diagnostics } : {}),
      ...(errors.length ? { officialReason: errors[0].details?.text ?? errors[0].diagnostics } : {}),
    });
  }
  return out;
}

describe('HL7 validator cases', () => {
  const all = verdicts();
  const agree = all.filter((v) => v.official === v.carnet).length;

  it('never rejects what the official validator accepts', () => {
    const wrong = all.filter((v) => v.official === 'valid' && v.carnet === 'invalid');
    expect(wrong.map((v) => `${v.name}: ${v.carnetReason}`)).toEqual([]);
  });

  it('matches the agreement rate recorded in docs/validation.md', () => {
    if (process.env.PRINT_VALIDATION) {
      for (const v of all) console.log(`| ${v.name} | ${v.type} | ${v.official} | ${v.carnet} | ${(v.officialReason ?? v.carnetReason ?? '').replaceAll('|', '\\|').slice(0, 140)} |`);
    }
    const doc = fs.readFileSync(path.join(ROOT, 'docs/validation.md'), 'utf8');
    const m = /Agreement: (\d+) of (\d+) cases/.exec(doc);
    expect(m, 'docs/validation.md must say "Agreement: N of M cases"').not.toBeNull();
    expect(`${agree} of ${all.length}`).toBe(`${m![1]} of ${m![2]}`);
  });
});
