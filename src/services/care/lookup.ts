import type { Queryable } from '../../db/index.js';
import { parseMatricule, toInsOid } from '../../domain/ins/index.js';
import { badRequest } from '../../errors.js';
import { normalizeString } from '../../fhir/search/values.js';

/**
 * Finding a patient as a professional does (domain.md §1.2): by INS (the matricule and its OID, key
 * checked), or by traits (birth name, first given name, birth date, and sex when given). Identity only:
 * no health data is read here.
 */

export interface InsQuery {
  /** The matricule INS (NIR or NIA, 15 characters with the key). */
  value: string;
  /** The INS OID, bare or as urn:oid:...; any INS OID when absent. */
  system?: string;
}

export interface FoundIdentity {
  patientId: string;
  nir: string;
  insOid: string;
  family: string;
  given: string;
  birthDate: string;
  sex: string;
  state: string;
}

const SELECT_IDENTITY = `SELECT id::text AS "patientId", nir, ins_oid AS "insOid", COALESCE(used_name, birth_name) AS family,
        given_names AS given, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", sex, state FROM insured`;

/** Checks an INS as given by a professional: a 400 naming the problem (wrong key, wrong length, unknown OID). */
export function checkIns(q: InsQuery): { nir: string; oid?: string } {
  const value = String(q.value ?? '').replace(/\s+/g, '').toUpperCase();
  if (!value) throw badRequest('The INS is required', ['ins']).withCode('ins.missing');
  let oid: string | undefined;
  if (q.system) {
    oid = toInsOid(q.system);
    if (!oid) throw badRequest(`'${q.system}' is not an INS assigning authority (OID)`, ['ins.system']).withCode('ins.unknown-oid');
  }
  const parsed = parseMatricule(value, oid ?? '1.2.250.1.213.1.4.8');
  if (!parsed.ok) throw badRequest(`This INS is not valid: ${parsed.error}`, ['ins']).withCode('ins.invalid');
  return { nir: value, ...(oid ? { oid } : {}) };
}

/** The identity of the insured person whose profile is this record, if any. */
export async function findById(q: Queryable, patientId: string): Promise<FoundIdentity | undefined> {
  const { rows } = await q.query<FoundIdentity & Record<string, unknown>>(`${SELECT_IDENTITY} WHERE id::text = $1`, [patientId]);
  return rows[0];
}

export async function findByIns(q: Queryable, ins: InsQuery): Promise<FoundIdentity | undefined> {
  const { nir, oid } = checkIns(ins);
  const { rows } = await q.query<FoundIdentity & Record<string, unknown>>(`${SELECT_IDENTITY} WHERE nir = $1`, [nir]);
  const found = rows[0];
  // a matricule read under another authority's OID is another identity
  if (found && oid && found.insOid !== oid) return undefined;
  return found;
}

export interface TraitsQuery {
  family: string;
  given: string;
  birthDate: string;
  sex?: string;
}

/** At most this many people are returned for one set of traits. */
const MAX_MATCHES = 10;

/** People whose birth or used name and first given name match (accents and case aside), born on that date. */
export async function findByTraits(q: Queryable, t: TraitsQuery): Promise<FoundIdentity[]> {
  const family = normalizeString(String(t.family ?? '').trim());
  const given = normalizeString(String(t.given ?? '').trim());
  const birthDate = String(t.birthDate ?? '');
  const fields: string[] = [];
  if (!family) fields.push('family');
  if (!given) fields.push('given');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || Number.isNaN(Date.parse(birthDate))) fields.push('birthDate');
  if (t.sex !== undefined && t.sex !== '' && !['M', 'F', 'I'].includes(t.sex)) fields.push('sex');
  if (fields.length) {
    throw badRequest(`A search by traits needs the birth name, the first given name and the birth date (YYYY-MM-DD); wrong or missing: ${fields.join(', ')}`, fields).withCode('traits.invalid');
  }
  const { rows } = await q.query<FoundIdentity & { birth_name: string; used_name: string | null; first_given_name: string } & Record<string, unknown>>(
    `SELECT id::text AS "patientId", nir, ins_oid AS "insOid", COALESCE(used_name, birth_name) AS family, given_names AS given,
            to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", sex, state, birth_name, used_name, first_given_name
       FROM insured WHERE birth_date = $1 AND ($2::text IS NULL OR sex = $2) LIMIT 5000`,
    [birthDate, t.sex || null],
  );
  return rows
    .filter((r) => [r.birth_name, r.used_name].some((n) => n !== null && normalizeString(n) === family))
    .filter((r) => normalizeString(r.first_given_name) === given || normalizeString(r.given).split(' ').includes(given))
    .slice(0, MAX_MATCHES)
    .map(({ patientId, nir, insOid, family: f, given: g, birthDate: b, sex, state }) => ({ patientId, nir, insOid, family: f, given: g, birthDate: b, sex, state }));
}
