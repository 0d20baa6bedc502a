import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LmsRow } from '../../domain/measures/growth/lms.js';
import { iotfReference, mergeTables, parseIotfCsv, parseLmsCsv, whoFileOf, whoReference, type GrowthReference, type Sex } from '../../domain/measures/growth/references.js';
import type { GrowthMeasure } from '../../domain/measures/types.js';
import { packagePath } from '../../package-root.js';

/**
 * The growth references shipped in data/reference (docs/measures.md): the WHO LMS tables in data/reference/who
 * (one CSV per measure, sex and age band, header Month,L,M,S) and the IOTF BMI table in data/reference/iotf.
 * Read once. `useGrowthReferences` swaps the source (another country's curves, the French 2018 ones when they
 * are published, or a test's fixture).
 */

export const IOTF_FILE = 'iotf-bmi-lms-cole-lobstein-2012.csv';

/** The WHO tables of a folder, by measure and sex (files whose name says neither are skipped). */
export function loadWhoTables(dir: string): Partial<Record<GrowthMeasure, Partial<Record<Sex, LmsRow[]>>>> {
  if (!existsSync(dir)) return {};
  const found = new Map<string, LmsRow[][]>();
  for (const file of readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv')).sort()) {
    const what = whoFileOf(file);
    if (!what) continue;
    const key = `${what.measure}|${what.sex}`;
    found.set(key, [...(found.get(key) ?? []), parseLmsCsv(readFileSync(join(dir, file), 'utf8'))]);
  }
  const out: Partial<Record<GrowthMeasure, Partial<Record<Sex, LmsRow[]>>>> = {};
  for (const [key, tables] of found) {
    const [measure, sex] = key.split('|') as [GrowthMeasure, Sex];
    (out[measure] ??= {})[sex] = mergeTables(tables);
  }
  return out;
}

/** The references found in a data/reference folder: WHO (when its tables are there), then IOTF. */
export function loadGrowthReferences(referenceDir = packagePath('data', 'reference')): GrowthReference[] {
  const refs: GrowthReference[] = [];
  const who = whoReference(loadWhoTables(join(referenceDir, 'who')));
  if (who.measures.length > 0) refs.push(who);
  const iotf = join(referenceDir, 'iotf', IOTF_FILE);
  if (existsSync(iotf)) refs.push(iotfReference(parseIotfCsv(readFileSync(iotf, 'utf8'))));
  return refs;
}

let current: GrowthReference[] | undefined;

/** The growth references in use (loaded from data/reference on first use). */
export function growthReferences(): GrowthReference[] {
  current ??= loadGrowthReferences();
  return current;
}

/** Swaps the growth references (undefined: back to the shipped ones). */
export function useGrowthReferences(refs: GrowthReference[] | undefined): void {
  current = refs;
}
