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
  const conditional = /^Patient\?identifier=([^|&]+)\|([^&]+)$/.exec(reference);
  let patientId: string | undefined;
  if (conditional) {
    const [system, value] = [decodeURIComponent(conditional[1]!), decodeURIComponent(conditional[2]!)];
    const oid = system.replace(/^urn:oid:/, '');
    const { rows } = await q.query<{ id: string }>(
      `SELECT id::text AS id FROM insured WHERE nir = $1 AND ins_oid = $2
       UNION ALL
       SELECT patient_id AS id FROM resource WHERE resource_type = 'Patient' AND NOT deleted AND tokens @> ARRAY[$3::text]
       LIMIT 1`,
      [value, oid, `identifier=${system}|${value}`],
    );
    patientId = rows[0]?.id;
  } else {
    const literal = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(reference);
    if (literal) {
      const { rows } = await q.query<{ id: string }>(
        `SELECT id::text AS id FROM insured WHERE id::text = $1
         UNION ALL SELECT patient_id AS id FROM resource WHERE patient_id = $1 AND resource_type = 'Patient' AND id = $1 AND NOT deleted LIMIT 1`,
        [literal[1]],
      );
      patientId = rows[0]?.id;
    }
  }
  if (!patientId) throw new AppError(422, 'not-found', `[mhd.patient-unknown] The patient ${reference} has no record in Carnet`, at).withCode('mhd.patient-unknown');
  const { rows } = await q.query<{ state: string | null; has_record: boolean }>(
    `SELECT (SELECT state FROM insured WHERE id = ${textAsUuid('$1')}) AS state,
            EXISTS (SELECT 1 FROM resource WHERE patient_id = $1 AND resource_type = 'Patient' AND id = $1 AND NOT deleted) AS has_record`,
    [patientId],
  );
  const fact = profileFact(rows[0]?.state ?? null, rows[0]?.has_record ?? false);
  if (fact !== 'open') {
    const why = fact === 'closed' ? 'is closed' : fact === 'opposed' ? 'was objected to' : fact === 'pending' ? 'is not created yet' : 'does not exist';
    throw new AppError(422, 'business-rule', `[mhd.patient-inactive] The profile of ${reference} ${why}: documents cannot be added to it`, at).withCode('mhd.patient-inactive');
  }
  return patientId;
}
