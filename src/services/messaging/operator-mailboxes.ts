import type { Queryable } from '../../db/index.js';
import { isAddress, normalizeAddress, PRO_MAILBOX_KINDS, type MailboxKind } from '../../domain/messaging/index.js';
import { AppError, badRequest, notFound } from '../../errors.js';

/**
 * The professional mailboxes the operator creates (mss_mailbox): application (APP) and practice (CAB)
 * mailboxes, which the directory's MSSanté extract does not list, or a personal or organisational one missing
 * from it. Directory data, not health data: the operators administer it.
 */
export interface OperatorMailbox {
  address: string;
  kind: MailboxKind;
  displayName: string;
  practitionerId: string | null;
  organizationId: string | null;
  pharmacy: boolean;
  active: boolean;
  createdAt: string;
}

interface Row {
  address: string;
  kind: MailboxKind;
  display_name: string;
  practitioner_id: string | null;
  organization_id: string | null;
  pharmacy: boolean;
  active: boolean;
  created_at: Date;
}

const view = (r: Row): OperatorMailbox => ({
  address: r.address,
  kind: r.kind,
  displayName: r.display_name,
  practitionerId: r.practitioner_id,
  organizationId: r.organization_id,
  pharmacy: r.pharmacy,
  active: r.active,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function listOperatorMailboxes(q: Queryable, o: { text?: string | undefined; limit: number; offset: number }): Promise<{ items: OperatorMailbox[]; total: number }> {
  // the search text is matched literally: LIKE's wildcards are escaped
  const text = (o.text ?? '').trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  const { rows } = await q.query<Row & { total: string }>(
    `SELECT *, count(*) OVER () AS total FROM mss_mailbox WHERE $1 = '' OR address LIKE '%' || $1 || '%' OR lower(display_name) LIKE '%' || $1 || '%'
      ORDER BY created_at DESC, address LIMIT $2 OFFSET $3`,
    [text, o.limit, o.offset],
  );
  return { items: rows.map(view), total: Number(rows[0]?.total ?? 0) };
}

export interface NewMailbox {
  address: string;
  kind: string;
  displayName: string;
  practitionerId?: string | undefined;
  organizationId?: string | undefined;
  pharmacy?: boolean | undefined;
}

export async function createMailbox(q: Queryable, m: NewMailbox, patientDomain: string, at: Date, by: string): Promise<OperatorMailbox> {
  const address = normalizeAddress(m.address);
  if (!isAddress(address)) throw badRequest('address is an e-mail address', ['address']).withCode('mailboxes.address');
  if (address.endsWith(`@${patientDomain}`) || address.endsWith(`.${patientDomain}`)) {
    throw badRequest("The patients' domain holds only the patients' mailboxes", ['address']).withCode('mailboxes.patient-domain');
  }
  if (!(PRO_MAILBOX_KINDS as readonly string[]).includes(m.kind)) throw badRequest(`kind is one of ${PRO_MAILBOX_KINDS.join(', ')}`, ['kind']).withCode('mailboxes.kind');
  const kind = m.kind as MailboxKind;
  const displayName = m.displayName.trim();
  if (!displayName || displayName.length > 200) throw badRequest('A name of 1 to 200 characters is required', ['displayName']).withCode('mailboxes.name');
  const personal = kind === 'PER' || kind === 'CAB';
  if (personal && !m.practitionerId) throw badRequest(`A ${kind} mailbox belongs to a professional: practitionerId is required`, ['practitionerId']).withCode('mailboxes.owner');
  if (!personal && !m.organizationId) throw badRequest(`A ${kind} mailbox belongs to a structure: organizationId is required`, ['organizationId']).withCode('mailboxes.owner');
  // one owner, of the mailbox's kind: a personal mailbox given to a structure would let its colleagues write as that person
  if (personal && m.organizationId) throw badRequest(`A ${kind} mailbox belongs to a professional, not to a structure: leave organizationId out`, ['organizationId']).withCode('mailboxes.owner');
  if (!personal && m.practitionerId) throw badRequest(`A ${kind} mailbox belongs to a structure, not to a professional: leave practitionerId out`, ['practitionerId']).withCode('mailboxes.owner');
  if (m.practitionerId && (await q.query('SELECT 1 FROM directory_practitioner WHERE id = $1', [m.practitionerId])).rows.length === 0) {
    throw notFound('No professional of the directory has this id').withCode('mailboxes.owner-unknown');
  }
  if (m.organizationId && (await q.query('SELECT 1 FROM directory_organization WHERE id = $1', [m.organizationId])).rows.length === 0) {
    throw notFound('No structure of the directory has this id').withCode('mailboxes.owner-unknown');
  }
  const taken = await q.query('SELECT 1 FROM directory_mailbox WHERE address = $1 UNION ALL SELECT 1 FROM mss_mailbox WHERE address = $1', [address]);
  if (taken.rows.length) throw new AppError(409, 'duplicate', 'This address is already a mailbox').withCode('mailboxes.taken');
  const { rows } = await q.query<Row>(
    `INSERT INTO mss_mailbox (address, kind, display_name, practitioner_id, organization_id, pharmacy, active, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8) ON CONFLICT (address) DO NOTHING RETURNING *`,
    [address, kind, displayName, m.practitionerId ?? null, m.organizationId ?? null, m.pharmacy === true, at, by],
  );
  if (!rows[0]) throw new AppError(409, 'duplicate', 'This address is already a mailbox').withCode('mailboxes.taken');
  return view(rows[0]);
}

export async function setMailboxActive(q: Queryable, address: string, active: boolean): Promise<OperatorMailbox> {
  const { rows } = await q.query<Row>('UPDATE mss_mailbox SET active = $2 WHERE address = $1 RETURNING *', [normalizeAddress(address), active]);
  if (!rows[0]) throw notFound('No mailbox created by the operator has this address').withCode('mailboxes.unknown');
  return view(rows[0]);
}
