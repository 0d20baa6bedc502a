import type { Queryable } from '../../db/index.js';
import { textAsUuid } from '../../db/sql.js';
import { matriculeOf, normalizeAddress, patientAddress, type MailboxKind, type ProfileState } from '../../domain/messaging/index.js';

/**
 * The mailboxes the messaging knows: the patients' (one per profile, `<INS>@patient.<domain>`), and the
 * professionals' from the national directory (directory_mailbox) or created by the operator (mss_mailbox).
 */

export interface ProMailbox {
  address: string;
  kind: MailboxKind;
  displayName: string;
  practitionerId?: string | undefined;
  organizationId?: string | undefined;
  /** An officine's mailbox: patients may start a conversation with it. */
  pharmacy: boolean;
  /** The FHIR reference the mailbox stands for in a Communication's sender or recipient. */
  reference?: string | undefined;
}

export interface PatientMailbox {
  patientId: string;
  address: string;
  matricule: string;
  state: ProfileState;
  /** The holder's name, as the professionals see it. */
  displayName: string;
}

/** Pharmacists' sections of the Ordre that practise in an officine (A titulaires, D adjoints, E outre-mer). */
const OFFICINE_SECTIONS = ['A', 'D', 'E'];

interface MailboxRow {
  address: string;
  kind: string;
  display_name: string;
  practitioner_id: string | null;
  organization_id: string | null;
  pharmacy: boolean;
}

const PRO_MAILBOX_SQL = `
  SELECT m.address, m.kind,
         COALESCE(NULLIF(trim(concat_ws(' ', p.given, p.family)), ''), m.organization_name, m.address) AS display_name,
         m.practitioner_id,
         COALESCE(o.id, r.organization_id) AS organization_id,
         EXISTS (SELECT 1 FROM directory_role x WHERE x.active AND x.profession_code = '21' AND x.pharmacist_section_code = ANY($2::text[])
                   AND (x.practitioner_id = m.practitioner_id OR (m.kind = 'ORG' AND x.organization_id = o.id))) AS pharmacy
    FROM directory_mailbox m
    LEFT JOIN directory_practitioner p ON p.id = m.practitioner_id
    LEFT JOIN directory_organization o ON m.kind = 'ORG' AND o.id = m.organization_id
    LEFT JOIN LATERAL (SELECT organization_id FROM directory_role y WHERE y.practitioner_id = m.practitioner_id AND y.active AND y.organization_id IS NOT NULL ORDER BY y.id LIMIT 1) r ON m.kind <> 'ORG'
   WHERE m.active AND m.address = ANY($1::text[])
  UNION ALL
  SELECT address, kind, display_name, practitioner_id, organization_id, pharmacy FROM mss_mailbox WHERE active AND address = ANY($1::text[])`;

function toMailbox(r: MailboxRow): ProMailbox {
  const reference = r.kind === 'PER' || r.kind === 'CAB' ? (r.practitioner_id ? `Practitioner/${r.practitioner_id}` : undefined) : r.organization_id ? `Organization/${r.organization_id}` : undefined;
  return {
    address: r.address,
    kind: r.kind as MailboxKind,
    displayName: r.display_name,
    ...(r.practitioner_id ? { practitionerId: r.practitioner_id } : {}),
    ...(r.organization_id ? { organizationId: r.organization_id } : {}),
    pharmacy: r.pharmacy,
    ...(reference ? { reference } : {}),
  };
}

/** The active professional mailboxes among these addresses, by address. */
export async function proMailboxes(q: Queryable, addresses: readonly string[]): Promise<Map<string, ProMailbox>> {
  const list = [...new Set(addresses.map(normalizeAddress))];
  if (list.length === 0) return new Map();
  const { rows } = await q.query<MailboxRow>(PRO_MAILBOX_SQL, [list, OFFICINE_SECTIONS]);
  return new Map(rows.map((r) => [r.address, toMailbox(r)]));
}

export async function proMailbox(q: Queryable, address: string): Promise<ProMailbox | undefined> {
  return (await proMailboxes(q, [address])).get(normalizeAddress(address));
}

/** A professional's own mailboxes: personal and practice ones, and those of their structure (ORG, APP). */
export async function mailboxesOfProfessional(q: Queryable, practitionerId: string, organizationId: string | undefined): Promise<ProMailbox[]> {
  const { rows } = await q.query<{ address: string }>(
    `SELECT address FROM directory_mailbox WHERE active AND (practitioner_id = $1 OR (kind = 'ORG' AND organization_id = $2))
     UNION SELECT address FROM mss_mailbox WHERE active
        AND ((kind IN ('PER', 'CAB') AND practitioner_id = $1) OR (kind IN ('ORG', 'APP') AND organization_id = $2))`,
    [practitionerId, organizationId ?? null],
  );
  const found = await proMailboxes(q, rows.map((r) => r.address));
  // the personal ones first: they sign what the professional writes
  return [...found.values()].sort((a, b) => Number(b.kind === 'PER') - Number(a.kind === 'PER') || a.address.localeCompare(b.address));
}

/** The patient profile an address in the patients' domain names, with its state; undefined when none. */
export async function patientMailbox(q: Queryable, address: string, domain: string): Promise<PatientMailbox | undefined> {
  const matricule = matriculeOf(address, domain);
  if (!matricule) return undefined;
  const { rows } = await q.query<{ id: string; state: ProfileState; name: string }>(
    `SELECT id::text AS id, state, concat_ws(' ', first_given_name, COALESCE(used_name, birth_name)) AS name FROM insured WHERE nir = $1`,
    [matricule],
  );
  const r = rows[0];
  return r ? { patientId: r.id, address: patientAddress(matricule, domain), matricule, state: r.state, displayName: r.name } : undefined;
}

/** A profile's own mailbox. */
export async function mailboxOfPatient(q: Queryable, patientId: string, domain: string): Promise<PatientMailbox | undefined> {
  const { rows } = await q.query<{ nir: string }>(`SELECT nir FROM insured WHERE id = ${textAsUuid('$1')}`, [patientId]);
  return rows[0] ? patientMailbox(q, patientAddress(rows[0].nir, domain), domain) : undefined;
}
