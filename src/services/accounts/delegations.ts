import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { textAsUuid } from '../../db/sql.js';
import { checkCarerInvitation, matchesPerson } from '../../domain/accounts/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { majorityDate, parseNir } from '../../domain/ins/index.js';
import { AppError, badRequest, forbidden, notFound } from '../../errors.js';
import { bumpPrincipalGeneration, makeContext } from '../../repo/index.js';
import { delegationAttestation } from '../documents/index.js';
import { DAY_MS } from '../clock.js';
import { isUuid } from '../ids.js';
import type { AccountsDeps } from './context.js';
import { notify } from './notifications.js';
import { assertNotLocked, recordFailure } from './attempts.js';

/**
 * Delegations (domain.md §1.7): the second legal representative of a child, invited by the representative
 * whose insurance covers the child; and carers (proches aidants), at most 3 per person and 5 per carer,
 * found by INS and traits, invited with an expiry, revocable by either side. On a carer's acceptance,
 * refusal or revocation a PDF attestation is filed in the helped person's documents.
 */

export interface PersonInput {
  nir?: unknown;
  familyName?: unknown;
  givenName?: unknown;
  birthDate?: unknown;
}

interface Invitee {
  userId: string;
  patientId: string;
  givenName: string;
  familyName: string;
}

const noActiveProfile = () =>
  new AppError(422, 'business-rule', 'No activated profile matches these details: the person must have activated their own profile').withCode(
    'delegation.invitee-not-active',
  );

/**
 * `findInvitee` for a signed-in user, whose failed look-ups are counted: trying NIRs and traits until one
 * matches is locked like trying codes (the answer tells whether an activated profile matches).
 */
async function findInviteeFor(deps: AccountsDeps, userId: string, input: PersonInput): Promise<Invitee> {
  const now = deps.clock.now();
  const subjects = [`invite:${userId}`];
  await assertNotLocked(deps.db, subjects, now);
  try {
    return await findInvitee(deps.db, input);
  } catch (err) {
    if (err instanceof AppError && err.code === 'delegation.invitee-not-active') {
      await recordFailure(deps.db, subjects, now, { lockAfter: deps.config.lockAfterFailures * 2, lockMinutes: deps.config.lockMinutes });
    }
    throw err;
  }
}

/** The person designated by INS + traits, if they have an active profile and an account. */
async function findInvitee(q: Queryable, input: PersonInput): Promise<Invitee> {
  const parsed = typeof input.nir === 'string' ? parseNir(input.nir) : undefined;
  if (!parsed?.ok) throw badRequest('The NIR is not valid', ['nir']).withCode('nir.invalid');
  for (const k of ['familyName', 'givenName', 'birthDate'] as const) {
    if (typeof input[k] !== 'string' || (input[k] as string).trim() === '') throw badRequest(`${k} is required`, [k]).withCode('person.incomplete');
  }
  const { rows } = await q.query<{ id: string; birth_name: string; used_name: string | null; first_given_name: string; birth_date: string; state: string; user_id: string | null }>(
    `SELECT i.id, i.birth_name, i.used_name, i.first_given_name, to_char(i.birth_date, 'YYYY-MM-DD') AS birth_date, i.state, u.id AS user_id
       FROM insured i LEFT JOIN app_user u ON u.insured_id = i.id AND u.disabled_at IS NULL WHERE i.nir = $1`,
    [parsed.nir.value],
  );
  const r = rows[0];
  const matches =
    r &&
    matchesPerson(
      { birthName: r.birth_name, ...(r.used_name ? { usedName: r.used_name } : {}), firstGivenName: r.first_given_name, birthDate: r.birth_date },
      { familyName: String(input.familyName), givenName: String(input.givenName), birthDate: String(input.birthDate) },
    );
  if (!r || !matches || r.state !== 'active' || !r.user_id) throw noActiveProfile();
  return { userId: r.user_id, patientId: r.id, givenName: r.first_given_name, familyName: r.used_name ?? r.birth_name };
}

async function personName(q: Queryable, patientId: string): Promise<{ givenName: string; familyName: string; birthDate: string }> {
  const { rows } = await q.query<{ first_given_name: string; birth_name: string; used_name: string | null; birth_date: string }>(
    `SELECT first_given_name, birth_name, used_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM insured WHERE id = ${textAsUuid('$1::text')}`,
    [patientId],
  );
  const r = rows[0];
  return r ? { givenName: r.first_given_name, familyName: r.used_name ?? r.birth_name, birthDate: r.birth_date } : { givenName: '', familyName: '', birthDate: '' };
}

async function ownPatientId(q: Queryable, userId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ patient_id: string | null }>('SELECT patient_id FROM app_user WHERE id = $1', [userId]);
  return rows[0]?.patient_id ?? undefined;
}

/** Second legal representative: only the representative the child's insurance is attached to invites. */
export async function inviteSecondParent(deps: AccountsDeps, userId: string, childPatientId: string, input: PersonInput): Promise<{ invitationId: string }> {
  const now = deps.clock.now();
  const { rows: link } = await deps.db.query(
    `SELECT 1 FROM app_user_patient WHERE user_id = $1 AND patient_id = $2 AND relation = 'parent' AND (valid_until IS NULL OR valid_until > $3)`,
    [userId, childPatientId, now],
  );
  if (link.length === 0) throw forbidden('Only the representative the child is attached to may invite the second one').withCode('family.not-representative');
  const invitee = await findInviteeFor(deps, userId, input);
  if (invitee.userId === userId) throw new AppError(422, 'business-rule', 'You cannot invite yourself').withCode('delegation.self');
  const id = randomUUID();
  const child = await personName(deps.db, childPatientId);
  await deps.db.transaction(async (tx) => {
    const { rows: existing } = await tx.query<{ status: string }>(
      `SELECT status FROM delegation WHERE kind = 'legal-representative' AND patient_id = $1 AND invitee_user = $2
          AND (status = 'accepted' OR (status = 'pending' AND expires_at > $3))`,
      [childPatientId, invitee.userId, now],
    );
    const { rows: held } = await tx.query(
      `SELECT 1 FROM app_user_patient WHERE user_id = $1 AND patient_id = $2 AND (valid_until IS NULL OR valid_until > $3)`,
      [invitee.userId, childPatientId, now],
    );
    if (held.length || existing.some((e) => e.status === 'accepted')) throw new AppError(409, 'duplicate', 'This person already represents the child').withCode('delegation.exists');
    if (existing.length) throw new AppError(409, 'duplicate', 'An invitation to this person is already pending').withCode('delegation.invitation-exists');
    // a child has two legal representatives at most: the one the insurance is attached to, and one other
    const { rows: others } = await tx.query(
      `SELECT 1 FROM delegation WHERE kind = 'legal-representative' AND patient_id = $1
          AND (status = 'accepted' OR (status = 'pending' AND expires_at > $2))`,
      [childPatientId, now],
    );
    if (others.length) {
      throw new AppError(409, 'business-rule', 'The child already has a second legal representative, or an invitation is pending').withCode('delegation.second-parent-exists');
    }
    await tx.query(
      `INSERT INTO delegation (id, kind, patient_id, inviter_user, invitee_user, status, created_at, expires_at)
       VALUES ($1, 'legal-representative', $2, $3, $4, 'pending', $5, $6)`,
      [id, childPatientId, userId, invitee.userId, now, new Date(now.getTime() + deps.config.invitationTtlDays * DAY_MS)],
    );
    await notify(tx, deps.mailer, [{ patientId: invitee.patientId, category: 'account', type: 'second-parent-invited', params: { child: child.givenName } }], now);
  });
  return { invitationId: id };
}

/** A carer invitation, from the signed-in person for their own profile. */
export async function inviteCarer(deps: AccountsDeps, userId: string, input: PersonInput): Promise<{ invitationId: string }> {
  const now = deps.clock.now();
  const helped = await ownPatientId(deps.db, userId);
  if (!helped) throw forbidden('Only a patient can invite a carer').withCode('carer.forbidden');
  const invitee = await findInviteeFor(deps, userId, input).catch((err) => {
    if (err instanceof AppError && err.code === 'delegation.invitee-not-active') return undefined;
    throw err;
  });
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    const counts = (await tx.query<{ carers: string; helped: string; same: string; pending_same: string }>(
      `SELECT
         (SELECT count(*) FROM delegation WHERE kind = 'carer' AND patient_id = $1 AND (status = 'accepted' OR (status = 'pending' AND expires_at > $3))) AS carers,
         (SELECT count(*) FROM delegation WHERE kind = 'carer' AND invitee_user = $2 AND (status = 'accepted' OR (status = 'pending' AND expires_at > $3))) AS helped,
         (SELECT count(*) FROM delegation WHERE kind = 'carer' AND patient_id = $1 AND invitee_user = $2 AND status = 'accepted') AS same,
         (SELECT count(*) FROM delegation WHERE kind = 'carer' AND patient_id = $1 AND invitee_user = $2 AND status = 'pending' AND expires_at > $3) AS pending_same`,
      [helped, invitee?.userId ?? '00000000-0000-0000-0000-000000000000', now],
    )).rows[0]!;
    const problems = checkCarerInvitation({
      carersOfHelped: Number(counts.carers),
      helpedByCarer: Number(counts.helped),
      sameExisting: Number(counts.same) > 0,
      pendingSame: Number(counts.pending_same) > 0,
      selfInvite: invitee?.userId === userId,
      carerActive: invitee !== undefined,
    });
    if (problems.length) {
      const p = problems[0]!;
      if (p === 'delegation.invitee-not-active') throw noActiveProfile();
      throw new AppError(p === 'delegation.exists' || p === 'delegation.invitation-exists' ? 409 : 422, 'business-rule', DELEGATION_MESSAGES[p]).withCode(p);
    }
    await tx.query(
      `INSERT INTO delegation (id, kind, patient_id, inviter_user, invitee_user, status, created_at, expires_at)
       VALUES ($1, 'carer', $2, $3, $4, 'pending', $5, $6)`,
      [id, helped, userId, invitee!.userId, now, new Date(now.getTime() + deps.config.invitationTtlDays * DAY_MS)],
    );
    const name = await personName(tx, helped);
    await notify(tx, deps.mailer, [{ patientId: invitee!.patientId, category: 'account', type: 'carer-invited', params: { helped: `${name.givenName} ${name.familyName}` } }], now);
  });
  return { invitationId: id };
}

const DELEGATION_MESSAGES: Record<string, string> = {
  'delegation.self': 'You cannot invite yourself',
  'delegation.exists': 'This person is already your carer',
  'delegation.invitation-exists': 'An invitation to this person is already pending',
  'delegation.outgoing-limit': 'A person can have at most 3 carers',
  'delegation.incoming-limit': 'This person already helps 5 people, the most a carer can',
};

interface DelegationRow {
  id: string;
  kind: 'carer' | 'legal-representative';
  patient_id: string;
  inviter_user: string;
  invitee_user: string;
  status: string;
  expires_at: Date;
}

async function loadDelegation(q: Queryable, id: string): Promise<DelegationRow> {
  if (!isUuid(id)) throw notFound('No such invitation').withCode('delegation.not-found');
  const { rows } = await q.query<DelegationRow>(
    'SELECT id, kind, patient_id, inviter_user, invitee_user, status, expires_at FROM delegation WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (!rows[0]) throw notFound('No such invitation').withCode('delegation.not-found');
  return rows[0];
}

/** The invitee accepts or refuses a pending, unexpired invitation. */
export async function answerInvitation(deps: AccountsDeps, userId: string, id: string, accept: boolean): Promise<void> {
  const now = deps.clock.now();
  const filed = await deps.db.transaction(async (tx) => {
    const d = await loadDelegation(tx, id);
    if (d.invitee_user !== userId) throw notFound('No such invitation').withCode('delegation.not-found');
    if (d.status !== 'pending' || new Date(d.expires_at) <= now) {
      throw new AppError(409, 'business-rule', 'This invitation is no longer pending (expired, answered or withdrawn)').withCode('delegation.not-pending');
    }
    if (accept && d.kind === 'legal-representative') {
      // the inviter must still be the representative the child is attached to
      const { rows } = await tx.query(
        `SELECT 1 FROM app_user_patient WHERE user_id = $1 AND patient_id = $2 AND relation = 'parent' AND (valid_until IS NULL OR valid_until > $3)`,
        [d.inviter_user, d.patient_id, now],
      );
      if (rows.length === 0) throw new AppError(409, 'business-rule', 'This invitation is no longer valid').withCode('delegation.not-pending');
    }
    if (accept && d.kind === 'carer') {
      const { rows } = await tx.query<{ n: string }>(
        `SELECT count(*) AS n FROM delegation WHERE kind = 'carer' AND invitee_user = $1 AND status = 'accepted'`,
        [userId],
      );
      if (Number(rows[0]!.n) >= 5) throw new AppError(422, 'business-rule', DELEGATION_MESSAGES['delegation.incoming-limit']!).withCode('delegation.incoming-limit');
    }
    await tx.query('UPDATE delegation SET status = $2, decided_at = $3 WHERE id = $1', [id, accept ? 'accepted' : 'refused', now]);
    if (accept) {
      const validUntil = d.kind === 'legal-representative' ? `${majorityDate((await personName(tx, d.patient_id)).birthDate)}T00:00:00+01:00` : null;
      await tx.query(
        `INSERT INTO app_user_patient (user_id, patient_id, relation, valid_until) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, patient_id) DO UPDATE SET relation = EXCLUDED.relation, valid_until = EXCLUDED.valid_until`,
        [userId, d.patient_id, d.kind === 'carer' ? 'carer' : 'legal-representative', validUntil],
      );
    }
    const type = `${d.kind === 'carer' ? 'carer' : 'second-parent'}-${accept ? 'accepted' : 'refused'}`;
    const invitee = await displayName(tx, userId);
    // the answer goes to the inviter's own profile: the helped person for a carer, the parent for a child
    const inviterProfile = d.kind === 'carer' ? d.patient_id : ((await ownPatientId(tx, d.inviter_user)) ?? d.patient_id);
    await notify(tx, deps.mailer, [{ patientId: inviterProfile, category: 'account', type, params: { who: invitee } }], now);
    return d;
  });
  bumpPrincipalGeneration();
  if (filed.kind === 'carer') await fileAttestation(deps, filed, accept ? 'accepted' : 'refused', now);
}

/** Either side ends a carer's delegation (or a pending invitation); the carer loses access at once. */
export async function revokeDelegation(deps: AccountsDeps, userId: string, id: string): Promise<void> {
  const now = deps.clock.now();
  const d = await deps.db.transaction(async (tx) => {
    const d = await loadDelegation(tx, id);
    const helpedUser = (await tx.query<{ id: string }>('SELECT id FROM app_user WHERE patient_id = $1', [d.patient_id])).rows[0]?.id;
    const side = d.invitee_user === userId ? 'delegate' : d.inviter_user === userId || helpedUser === userId ? 'helped' : undefined;
    if (!side) throw notFound('No such delegation').withCode('delegation.not-found');
    if (d.status !== 'accepted' && d.status !== 'pending') throw new AppError(409, 'business-rule', 'This delegation has already ended').withCode('delegation.not-pending');
    await tx.query('UPDATE delegation SET status = $2, decided_at = $3, revoked_by = $4 WHERE id = $1', [id, 'revoked', now, userId]);
    if (d.kind === 'legal-representative') {
      // the second legal representative steps down, or the first one withdraws the invitation or the access
      await tx.query(`DELETE FROM app_user_patient WHERE user_id = $1 AND patient_id = $2 AND relation = 'legal-representative'`, [d.invitee_user, d.patient_id]);
      const inviterProfile = (await ownPatientId(tx, d.inviter_user)) ?? d.patient_id;
      const inviteeProfile = await ownPatientId(tx, d.invitee_user);
      await notify(
        tx,
        deps.mailer,
        [inviterProfile, ...(inviteeProfile ? [inviteeProfile] : [])].map((p) => ({ patientId: p, category: 'account' as const, type: 'second-parent-revoked', params: { by: side } })),
        now,
      );
      return { ...d, side };
    }
    await tx.query(`DELETE FROM app_user_patient WHERE user_id = $1 AND patient_id = $2 AND relation = 'carer'`, [d.invitee_user, d.patient_id]);
    const carerPatient = await ownPatientId(tx, d.invitee_user);
    const type = 'carer-revoked';
    await notify(
      tx,
      deps.mailer,
      [d.patient_id, ...(carerPatient ? [carerPatient] : [])].map((p) => ({ patientId: p, category: 'account' as const, type, params: { by: side } })),
      now,
    );
    return { ...d, side };
  });
  bumpPrincipalGeneration();
  if (d.status === 'accepted' && d.kind === 'carer') await fileAttestation(deps, d, 'revoked', now, d.side as 'helped' | 'delegate');
}

async function displayName(q: Queryable, userId: string): Promise<string> {
  const { rows } = await q.query<{ display_name: string }>('SELECT display_name FROM app_user WHERE id = $1', [userId]);
  return rows[0]?.display_name ?? '';
}

/** The attestation PDF, filed as a DocumentReference (PDF inline) in the helped person's record. */
/**
 * A closed profile has no carers: their delegations (and pending invitations) end with the closure, in its
 * transaction, and a reopened profile does not give them back. Returns the ended delegations, whose
 * attestations the caller files once the closure is committed (`fileClosureAttestations`).
 */
export async function endCarersOnClosure(q: Queryable, deps: AccountsDeps, patientId: string, byUserId: string | null, now: Date): Promise<DelegationRow[]> {
  // the closed profile's carers, and the people its holder was helping (a closed account helps nobody)
  const { rows } = await q.query<DelegationRow & { was: string }>(
    `UPDATE delegation d SET status = 'revoked', decided_at = $2, revoked_by = $3
       FROM (SELECT x.id, x.status AS was FROM delegation x
              WHERE x.kind = 'carer' AND x.status IN ('pending', 'accepted')
                AND (x.patient_id = $1 OR x.invitee_user IN (SELECT u.id FROM app_user u WHERE u.patient_id = $1))
              FOR UPDATE) old
      WHERE d.id = old.id
      RETURNING d.id, d.kind, d.patient_id, d.inviter_user, d.invitee_user, d.status, d.expires_at, old.was`,
    [patientId, now, byUserId],
  );
  if (rows.length === 0) return [];
  for (const r of rows) {
    await q.query(`DELETE FROM app_user_patient WHERE user_id = $1 AND patient_id = $2 AND relation = 'carer'`, [r.invitee_user, r.patient_id]);
  }
  const carers = await q.query<{ patient_id: string }>('SELECT patient_id FROM app_user WHERE id = ANY($1) AND patient_id IS NOT NULL', [rows.map((r) => r.invitee_user)]);
  await notify(q, deps.mailer, carers.rows.map((c) => ({ patientId: c.patient_id, category: 'account' as const, type: 'carer-revoked', params: { by: 'closure' } })), now);
  return rows.filter((r) => r.was === 'accepted');
}

export async function fileClosureAttestations(deps: AccountsDeps, ended: DelegationRow[], at: Date): Promise<void> {
  for (const d of ended) await fileAttestation(deps, d, 'revoked', at, 'helped');
}

async function fileAttestation(deps: AccountsDeps, d: DelegationRow, event: 'accepted' | 'refused' | 'revoked', at: Date, revokedBy?: 'helped' | 'delegate'): Promise<void> {
  const helped = await personName(deps.db, d.patient_id);
  const carerPatient = await ownPatientId(deps.db, d.invitee_user);
  const carer = carerPatient ? await personName(deps.db, carerPatient) : { givenName: await displayName(deps.db, d.invitee_user), familyName: '' };
  const pdf = await delegationAttestation({
    operatorName: deps.config.operatorName,
    event,
    kind: 'carer',
    at,
    helped,
    delegate: { givenName: carer.givenName, familyName: carer.familyName },
    ...(revokedBy ? { revokedBy } : {}),
  });
  const title = { accepted: 'Attestation de partage de profil (acceptation)', refused: 'Attestation de partage de profil (refus)', revoked: 'Attestation de fin de partage de profil' }[event];
  await deps.repo.create(makeContext(SYSTEM, { now: () => at }), {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { text: 'Attestation de partage de profil' },
    category: [{ text: 'Documents administratifs' }],
    subject: { reference: `Patient/${d.patient_id}` },
    date: at.toISOString(),
    description: title,
    content: [{ attachment: { contentType: 'application/pdf', data: Buffer.from(pdf).toString('base64'), title: `${title}.pdf`, creation: at.toISOString() } }],
  });
}

export interface DelegationView {
  id: string;
  kind: string;
  status: string;
  patientId: string;
  person: { givenName: string; familyName: string };
  createdAt: string;
  expiresAt: string;
}

/** The signed-in person's carers, the people they help, and the invitations either way. */
export async function listDelegations(deps: AccountsDeps, userId: string) {
  const now = deps.clock.now();
  const { rows } = await deps.db.query<DelegationRow & { created_at: Date; inviter_name: string; invitee_name: string }>(
    `SELECT d.id, d.kind, d.patient_id, d.inviter_user, d.invitee_user, d.status, d.created_at, d.expires_at,
            a.display_name AS inviter_name, b.display_name AS invitee_name
       FROM delegation d JOIN app_user a ON a.id = d.inviter_user JOIN app_user b ON b.id = d.invitee_user
      WHERE (d.inviter_user = $1 OR d.invitee_user = $1) AND (d.status = 'accepted' OR (d.status = 'pending' AND d.expires_at > $2))
      ORDER BY d.created_at DESC`,
    [userId, now],
  );
  const view = async (d: (typeof rows)[number], other: 'inviter' | 'invitee'): Promise<DelegationView> => {
    const name = other === 'inviter' && d.kind === 'carer' ? await personName(deps.db, d.patient_id) : undefined;
    const display = other === 'inviter' ? d.inviter_name : d.invitee_name;
    const [givenName = '', ...rest] = display.split(' ');
    return {
      id: d.id,
      kind: d.kind,
      status: d.status,
      patientId: d.patient_id,
      person: name ? { givenName: name.givenName, familyName: name.familyName } : { givenName, familyName: rest.join(' ') },
      createdAt: new Date(d.created_at).toISOString(),
      expiresAt: new Date(d.expires_at).toISOString(),
    };
  };
  const out = { carers: [] as DelegationView[], helped: [] as DelegationView[], invitationsReceived: [] as DelegationView[], invitationsSent: [] as DelegationView[] };
  for (const d of rows) {
    const mine = d.invitee_user === userId;
    if (d.status === 'pending') {
      if (mine) out.invitationsReceived.push(await view(d, 'inviter'));
      else out.invitationsSent.push(await view(d, 'invitee'));
    } else if (d.kind === 'carer') {
      if (mine) out.helped.push(await view(d, 'inviter'));
      else out.carers.push(await view(d, 'invitee'));
    }
  }
  return out;
}

/** The children whose profiles the person reaches as a representative, with their representatives. */
export async function listFamily(deps: AccountsDeps, userId: string) {
  const now = deps.clock.now();
  const { rows } = await deps.db.query<{ patient_id: string; relation: string; given: string; family: string; birth_date: string; state: string }>(
    `SELECT l.patient_id, l.relation, i.first_given_name AS given, COALESCE(i.used_name, i.birth_name) AS family,
            to_char(i.birth_date, 'YYYY-MM-DD') AS birth_date, i.state
       FROM app_user_patient l JOIN insured i ON i.id = ${textAsUuid('l.patient_id')}
      WHERE l.user_id = $1 AND l.relation IN ('parent', 'legal-representative') AND (l.valid_until IS NULL OR l.valid_until > $2)
      ORDER BY i.birth_date`,
    [userId, now],
  );
  const children = [];
  for (const c of rows) {
    const { rows: reps } = await deps.db.query<{ display_name: string; relation: string }>(
      `SELECT u.display_name, l.relation FROM app_user_patient l JOIN app_user u ON u.id = l.user_id
        WHERE l.patient_id = $1 AND l.relation IN ('parent', 'legal-representative') AND (l.valid_until IS NULL OR l.valid_until > $2)`,
      [c.patient_id, now],
    );
    const { rows: pending } = await deps.db.query<{ id: string; display_name: string; expires_at: Date }>(
      `SELECT d.id, u.display_name, d.expires_at FROM delegation d JOIN app_user u ON u.id = d.invitee_user
        WHERE d.kind = 'legal-representative' AND d.patient_id = $1 AND d.status = 'pending' AND d.expires_at > $2`,
      [c.patient_id, now],
    );
    children.push({
      patientId: c.patient_id,
      relation: c.relation,
      givenName: c.given,
      familyName: c.family,
      birthDate: c.birth_date,
      state: c.state,
      canInviteSecondParent: c.relation === 'parent',
      representatives: reps.map((r) => ({ name: r.display_name, relation: r.relation })),
      pendingInvitations: pending.map((p) => ({ id: p.id, name: p.display_name, expiresAt: new Date(p.expires_at).toISOString() })),
    });
  }
  return { children };
}
