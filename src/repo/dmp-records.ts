import type { Queryable } from '../db/index.js';
import { textAsUuid } from '../db/sql.js';
import { profileFact } from './care.js';
import { AppError } from '../errors.js';

/**
 * The queries of the shared medical record that read the resource tables directly, for what no reader's
 * access decides: which record an INS names, whether an identifier is already taken in the whole store, and
 * the professionals' accesses in the audit trail (for the notices). Services call these; they return facts
 * about identity and identifiers, never health content.
 */

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

/**
 * Takes the masterIdentifiers for this transaction (concurrent submissions of one wait for each other) and
 * answers the first one a stored document already has, if any: XDS uniqueIds are unique in the whole store.
 */
export async function claimMasterIdentifiers(q: Queryable, values: string[]): Promise<string | undefined> {
  await q.query('SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT unnest($1::text[]) AS k ORDER BY 1) s', [values.map((v) => `mhd-master:${v}`)]);
  const { rows } = await q.query<{ token: string }>(
    `SELECT t AS token FROM resource, unnest(tokens) AS t
      WHERE resource_type = 'DocumentReference' AND NOT deleted AND tokens && $1::text[] AND t = ANY($1::text[]) LIMIT 1`,
    [values.map((v) => `identifier=${v}`)],
  );
  return rows[0]?.token.slice('identifier='.length);
}

/** The id of the current document with this identifier (masterIdentifier or identifier), if any. */
export async function documentIdByIdentifier(q: Queryable, value: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(`SELECT id FROM resource WHERE resource_type = 'DocumentReference' AND NOT deleted AND tokens @> ARRAY[$1::text] LIMIT 1`, [
    `identifier=${value}`,
  ]);
  return rows[0]?.id;
}

/**
 * The professionals who accessed records successfully in (from, to], one per professional, record and day not
 * noticed before: recorded as noticed, and returned with the professional's name.
 */
export async function claimAccessNotices(q: Queryable, from: Date, to: Date): Promise<{ patient_id: string; practitioner_id: string; who: string | null }[]> {
  const { rows } = await q.query<{ patient_id: string; practitioner_id: string; who: string | null }>(
    `WITH seen AS (
       SELECT patient_id, substr(content #>> '{agent,0,who,reference}', 14) AS practitioner_id, max(content #>> '{agent,0,who,display}') AS who,
              (min(last_updated) AT TIME ZONE 'Europe/Paris')::date AS day
         FROM resource
        WHERE resource_type = 'AuditEvent' AND last_updated > $1 AND last_updated <= $2
          AND content->>'outcome' = '0' AND content #>> '{agent,0,who,reference}' LIKE 'Practitioner/%'
        GROUP BY 1, 2)
     INSERT INTO access_notice (patient_id, practitioner_id, day)
     SELECT patient_id, practitioner_id, day FROM seen
     ON CONFLICT DO NOTHING
     RETURNING patient_id, practitioner_id, (SELECT who FROM seen s WHERE s.patient_id = access_notice.patient_id AND s.practitioner_id = access_notice.practitioner_id) AS who`,
    [from, to],
  );
  return rows;
}
