import type { RecordedVaccination, VaccineDoseDef, VaccineScheduleDef } from './types.js';

/** A disease label folded for comparison: lower case, without accents, spaces collapsed ('Hépatite B' → 'hepatite b'). */
export function foldDisease(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const foldedMatch = new WeakMap<VaccineScheduleDef, string[]>();

/** The folded `match.diseases` of a schedule (computed once per schedule object). */
export function scheduleDiseases(schedule: VaccineScheduleDef): string[] {
  let folded = foldedMatch.get(schedule);
  if (!folded) {
    folded = schedule.match.diseases.map(foldDisease);
    foldedMatch.set(schedule, folded);
  }
  return folded;
}

/** Whether a set of folded diseases and an ATC code count for a schedule (no age check). */
export function matchesFolded(schedule: VaccineScheduleDef, diseases: ReadonlySet<string>, atc: string | undefined): boolean {
  if (atc && schedule.match.atc?.some((prefix) => atc.startsWith(prefix))) return true;
  const wanted = scheduleDiseases(schedule);
  if (wanted.length === 0 || diseases.size === 0) return false;
  for (const d of wanted) if (!diseases.has(d)) return false;
  return true;
}

/**
 * Whether a recorded vaccination counts for a schedule: it covers every disease of `match.diseases` (compared
 * folded), or its ATC code starts with one of `match.atc`. The age at which it was given is checked by the engine.
 */
export function vaccinationMatches(schedule: VaccineScheduleDef, vaccination: RecordedVaccination): boolean {
  return matchesFolded(schedule, new Set(vaccination.diseases.map(foldDisease)), vaccination.atc);
}

const foldedAlso = new WeakMap<object, string[]>();

/**
 * Whether a vaccination (folded diseases, ATC code, civil date) is one a dose's `alsoMatch` accepts: every
 * disease of it covered, or an ATC code starting with one of its prefixes, given before its `givenBefore`.
 */
export function matchesAlso(also: NonNullable<VaccineDoseDef['alsoMatch']>, diseases: ReadonlySet<string>, atc: string | undefined, date: string): boolean {
  if (also.givenBefore !== undefined && date >= also.givenBefore) return false;
  if (atc && also.atc?.some((prefix) => atc.startsWith(prefix))) return true;
  let wanted = foldedAlso.get(also);
  if (!wanted) {
    wanted = (also.diseases ?? []).map(foldDisease);
    foldedAlso.set(also, wanted);
  }
  if (wanted.length === 0 || diseases.size === 0) return false;
  for (const d of wanted) if (!diseases.has(d)) return false;
  return true;
}
