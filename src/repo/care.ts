import type { Queryable } from '../db/index.js';
import { textAsUuid } from '../db/sql.js';
import { careAccess, isClosableSection, type AccessStatus, type CareFacts, type ProfileFact } from '../domain/access/index.js';

/**
 * The facts behind a professional's access to patient records (care_relation, the insured person's state),
 * read in one query for the records a request names. The decision itself is domain/access/care.ts.
 */

export interface CareRow {
  patient_id: string;
  state: string | null;
  has_record: boolean;
  blocked_at: Date | null;
  medecin_traitant: boolean | null;
  sage_femme: boolean | null;
  pharmacien: boolean | null;
  in_list: boolean | null;
  added_at: Date | null;
  care_team_since: Date | null;
  consent_at: Date | null;
  administrator: boolean | null;
  /** The start of an emergency access in progress, if any, and whether hidden documents are open to it. */
  emergency_since: Date | null;
  hidden_in_emergency: boolean | null;
  /** The sections of the profile the patient closed to professionals (profile_settings). */
  closed_sections: string[] | null;
}

/** The profile's state as a professional sees it, from the insured person's lifecycle state. */
export function profileFact(state: string | null, hasRecord: boolean): ProfileFact {
  switch (state) {
    case null:
      // records with no insured person behind them (test data, imported records) count as open
      return hasRecord ? 'open' : 'absent';
    case 'imported':
    case 'notified':
      return 'pending';
    case 'opposed':
      return 'opposed';
    case 'open':
    case 'active':
      return 'open';
    default:
      return 'closed';
  }
}

/** Timestamps come back as Date or as text, depending on the driver and the statement. */
function date(v: Date | string | null): Date | undefined {
  return v === null ? undefined : new Date(v);
}

export function factsOf(row: CareRow): CareFacts {
  return {
    profile: profileFact(row.state, row.has_record),
    ...(row.in_list !== null
      ? {
          relation: {
            blockedAt: date(row.blocked_at),
            medecinTraitant: row.medecin_traitant === true,
            sageFemme: row.sage_femme === true,
            pharmacien: row.pharmacien === true,
            inList: row.in_list === true,
            addedAt: date(row.added_at),
            careTeamSince: date(row.care_team_since),
            consentAt: date(row.consent_at),
            administrator: row.administrator === true,
          },
        }
      : {}),
    ...(row.emergency_since !== null ? { emergency: { since: new Date(row.emergency_since), hiddenAllowed: row.hidden_in_emergency === true } } : {}),
    ...(row.closed_sections?.length ? { closedSections: row.closed_sections.filter(isClosableSection) } : {}),
  };
}

export async function loadCareRows(q: Queryable, practitionerId: string, patientIds: readonly string[], at: Date = new Date()): Promise<CareRow[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await q.query<CareRow>(
    `SELECT p.id AS patient_id, i.state,
            EXISTS (SELECT 1 FROM resource r WHERE r.patient_id = p.id AND r.resource_type = 'Patient' AND r.id = p.id AND NOT r.deleted) AS has_record,
            c.blocked_at, c.medecin_traitant, c.sage_femme, c.pharmacien, c.in_list, c.added_at, c.care_team_since, c.consent_at, c.administrator,
            e.started_at AS emergency_since, COALESCE(s.hidden_in_emergency, false) AS hidden_in_emergency,
            ps.closed_sections
       FROM unnest($2::text[]) AS p(id)
       LEFT JOIN insured i ON i.id = ${textAsUuid('p.id')}
       LEFT JOIN care_relation c ON c.patient_id = p.id AND c.practitioner_id = $1
       LEFT JOIN LATERAL (SELECT min(started_at) AS started_at FROM emergency_access
                           WHERE patient_id = p.id AND practitioner_id = $1 AND started_at <= $3 AND ends_at > $3) e ON true
       LEFT JOIN dmp_settings s ON s.patient_id = p.id
       LEFT JOIN profile_settings ps ON ps.patient_id = p.id`,
    [practitionerId, [...new Set(patientIds)], at],
  );
  // min() over no row gives one row of NULL: no emergency access
  return rows;
}

/** The professional's access status on each of these records. */
export async function loadCareAccess(q: Queryable, practitionerId: string, patientIds: readonly string[], at?: Date): Promise<Map<string, AccessStatus>> {
  const rows = await loadCareRows(q, practitionerId, patientIds, at);
  return new Map(rows.map((r) => [r.patient_id, careAccess(factsOf(r))]));
}

/**
 * The AuditEvents of one professional's own actions, in every record, newest first: what the professional
 * sees of their activity (R1111-43). It reads the audit trail only, never the records' content.
 */
export async function ownAuditEvents(q: Queryable, practitionerId: string, limit: number): Promise<{ content: string; patient_id: string; patient_name: string | null }[]> {
  const { rows } = await q.query<{ content: string; patient_id: string; patient_name: string | null }>(
    `SELECT r.content::text AS content, r.patient_id,
            (SELECT COALESCE(i.used_name, i.birth_name) || ' ' || i.first_given_name FROM insured i WHERE i.id = ${textAsUuid('r.patient_id')}) AS patient_name
       FROM resource r
      WHERE r.resource_type = 'AuditEvent' AND r.tokens @> ARRAY[$1::text]
      ORDER BY r.last_updated DESC, r.id LIMIT $2`,
    [`agent=Practitioner/${practitionerId}`, limit],
  );
  return rows;
}
