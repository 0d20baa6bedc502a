import type { PreventionMark } from '../../contract/prevention.js';
import { vaccinationFromFhir } from '../../domain/profile/sections/vaccinations.js';
import { codeIn, type Json } from '../../domain/profile/sections/common.js';
import { ATC_SYSTEM } from '../../domain/profile/systems.js';
import type { ItemMark, PreventionProfile, RecordedVaccination } from '../../domain/prevention/types.js';
import { AppError } from '../../errors.js';
import type { Queryable } from '../../db/index.js';
import type { FhirOperations } from '../../repo/index.js';
import { searchAll } from '../fhir/search-all.js';

/**
 * The acting profile's prevention inputs, read in the caller's unit of work: the Patient (birth date and sex),
 * its completed Immunizations and the person's marks. The Patient and the Immunizations are read through the
 * repository (the access policy decides, the audit trail records); the marks, an application table, only
 * after the Patient was read, so nobody reaches them without the policy's leave.
 */

/** A recorded vaccination, with what the vaccination view shows of it. */
export interface RecordedVaccinationView extends RecordedVaccination {
  label: string;
}

/** A stored mark, with the comment the person wrote. */
export interface StoredMark extends ItemMark {
  comment?: string;
}

export interface PreventionInput {
  profile: PreventionProfile & { vaccinations: RecordedVaccinationView[] };
  marks: StoredMark[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sexOf(gender: unknown, insuredSex: string | undefined): 'M' | 'F' | 'I' {
  if (gender === 'male') return 'M';
  if (gender === 'female') return 'F';
  if (gender === undefined && (insuredSex === 'M' || insuredSex === 'F')) return insuredSex;
  return 'I';
}

/** The profile's Patient, with its full birth date and sex as the prevention calendars read them. */
export interface Person {
  patient: Json;
  /** The Patient's full birth date, else the insured row's; none when neither has one. */
  birthDate?: string;
  sex: 'M' | 'F' | 'I';
}

/**
 * The profile's Patient, read through the repository, and its birth date and sex (the insured row of the same
 * id when the Patient lacks them: profiles opened from the population file). The prevention items and the
 * key-age questionnaires are offered on this same basis.
 */
export async function personOf(ops: FhirOperations, patientId: string): Promise<Person> {
  const patient = JSON.parse((await ops.read('Patient', patientId)).content!) as Json;
  let birthDate = typeof patient.birthDate === 'string' && DAY.test(patient.birthDate) ? patient.birthDate : undefined;
  let insuredSex: string | undefined;
  if ((!birthDate || patient.gender === undefined) && UUID.test(patientId)) {
    const { rows } = await ops.withTables((q) =>
      q.query<{ birth_date: string | null; sex: string | null }>(`SELECT to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex FROM insured WHERE id = $1::uuid`, [patientId]),
    );
    birthDate ??= rows[0]?.birth_date ?? undefined;
    insuredSex = rows[0]?.sex ?? undefined;
  }
  return { patient, ...(birthDate ? { birthDate } : {}), sex: sexOf(patient.gender, insuredSex) };
}

/** A recorded vaccination as the engine reads it (diseases, civil date, ATC code), from an Immunization: only completed ones with a full date count. */
export function recordedVaccination(id: string, resource: Json): RecordedVaccination | undefined {
  if (resource.status !== 'completed') return undefined;
  const facts = vaccinationFromFhir(resource);
  if (!DAY.test(facts.date)) return undefined;
  const atc = codeIn(resource.vaccineCode, ATC_SYSTEM);
  return { id, date: facts.date, diseases: facts.diseases, ...(atc ? { atc } : {}) };
}

/** The record's completed Immunizations, as the engine reads them, with the label the vaccination view shows. */
async function vaccinationsOf(ops: FhirOperations, fhirBase: string, patientId: string): Promise<RecordedVaccinationView[]> {
  const found = await searchAll(ops, fhirBase, 'Immunization', [['patient', patientId]]);
  const out: RecordedVaccinationView[] = [];
  for (const { id, resource } of found) {
    const v = recordedVaccination(id, resource);
    if (v) out.push({ ...v, label: vaccinationFromFhir(resource).label || v.atc || '' });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

/** The person's marks on a profile's items. */
export async function marksOf(q: Queryable, patientId: string): Promise<StoredMark[]> {
  const { rows } = await q.query<{ code: string; mark: PreventionMark; on_date: string | null; comment: string | null }>(
    `SELECT code, mark, to_char(on_date, 'YYYY-MM-DD') AS on_date, comment FROM prevention_mark WHERE patient_id = $1 ORDER BY code`,
    [patientId],
  );
  return rows.map((r) => ({ code: r.code, mark: r.mark, ...(r.on_date ? { date: r.on_date } : {}), ...(r.comment ? { comment: r.comment } : {}) }));
}

/** Reads the inputs of the engine for a profile, in the caller's unit of work. */
export async function readPreventionInput(ops: FhirOperations, fhirBase: string, patientId: string): Promise<PreventionInput> {
  const { birthDate, sex } = await personOf(ops, patientId);
  if (!birthDate) throw new AppError(409, 'business-rule', 'This profile has no full birth date: the prevention calendars are computed from it').withCode('prevention.no-birth-date');
  const vaccinations = await vaccinationsOf(ops, fhirBase, patientId);
  const marks = await ops.withTables((q) => marksOf(q, patientId));
  return { profile: { birthDate, sex, vaccinations, marks: marks.map(({ code, mark, date }) => ({ code, mark, ...(date ? { date } : {}) })) }, marks };
}
