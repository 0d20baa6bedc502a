import type { Queryable } from '../../db/index.js';
import { textAsUuid } from '../../db/sql.js';
import { profileFact } from '../../repo/care.js';
import { AppError } from '../../errors.js';

/**
 * The record a submission names: a literal "Patient/<id>", or a conditional "Patient?identifier=<system>|<value>"
 * (PDSm names the patient by INS). Identity only: no health data is read here, and the access to the record
 * is decided afterwards by the repository like any write.
 */
export async function resolvePatient(q: Queryable, reference: string, at: string[]): Promise<string> {
  return (await resolveRecord(q, reference, at)).patientId;
}

/**
 * The record a reference names, checked open, with the holder's "mask new documents" setting: one query, as
 * every deposit asks it.
 */
export async function resolveRecord(q: Queryable, reference: string, at: string[]): Promise<{ patientId: string; maskNewDocuments: boolean }> {
  const conditional = /^Patient\?identifier=([^|&]+)\|([^&]+)$/.exec(reference);
  const literal = conditional ? undefined : /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(reference);
  let found: { id: string; state: string | null; has_record: boolean; mask: boolean | null } | undefined;
  const facts = `SELECT c.id, (SELECT state FROM insured WHERE id = ${textAsUuid('c.id')}) AS state,
                        EXISTS (SELECT 1 FROM resource WHERE patient_id = c.id AND resource_type = 'Patient' AND id = c.id AND NOT deleted) AS has_record,
                        (SELECT mask_new_documents FROM dmp_settings WHERE patient_id = c.id) AS mask`;
  if (conditional) {
    // the reference comes decoded from the ITI-65 checks
    const [system, value] = [conditional[1]!, conditional[2]!];
    // the insured person the INS names, first; else the one record whose Patient carries the identifier
    const { rows } = await q.query<NonNullable<typeof found> & { rank: number }>(
      `WITH c AS (SELECT id::text AS id, 0 AS rank FROM insured WHERE nir = $1 AND ins_oid = $2
                  UNION ALL
                  (SELECT patient_id AS id, 1 AS rank FROM resource WHERE resource_type = 'Patient' AND NOT deleted AND tokens @> ARRAY[$3::text] LIMIT 2))
       ${facts}, c.rank FROM c ORDER BY c.rank`,
      [value, system.replace(/^urn:oid:/, ''), `identifier=${system}|${value}`],
    );
    if (rows[0]?.rank === 1 && rows.length > 1) {
      throw new AppError(422, 'multiple-matches', `[mhd.patient-ambiguous] Several records carry the identifier of ${reference}`, at).withCode('mhd.patient-ambiguous');
    }
    found = rows[0];
  } else if (literal) {
    const { rows } = await q.query<NonNullable<typeof found>>(`WITH c AS (SELECT $1::text AS id) ${facts} FROM c`, [literal[1]]);
    found = rows[0] && (rows[0].state !== null || rows[0].has_record) ? rows[0] : undefined;
  }
  if (!found) throw new AppError(422, 'not-found', `[mhd.patient-unknown] The patient ${reference} has no record in Carnet`, at).withCode('mhd.patient-unknown');
  const fact = profileFact(found.state, found.has_record);
  if (fact !== 'open') {
    const why = fact === 'closed' ? 'is closed' : fact === 'opposed' ? 'was objected to' : fact === 'pending' ? 'is not created yet' : 'does not exist';
    throw new AppError(422, 'business-rule', `[mhd.patient-inactive] The profile of ${reference} ${why}: documents cannot be added to it`, at).withCode('mhd.patient-inactive');
  }
  return { patientId: found.id, maskNewDocuments: found.mask === true };
}
