import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../db/index.js';
import { CARE_ROLES, careAccess, roleFitsProfessions, type CareRole } from '../../domain/access/index.js';
import { AppError, notFound } from '../../errors.js';
import { factsOf, type CareRow } from '../../repo/care.js';

/**
 * The patient's list of professionals (L1111-19, domain.md §2.8): who has or had access, added from the
 * directory or by a professional's consent, the roles médecin traitant, sage-femme référente and pharmacien
 * correspondant (one of each), administrators, blocks; every change dated in care_relation_event.
 */

export type Change =
  | 'added'
  | 'removed'
  | 'role-set'
  | 'role-removed'
  | 'administrator-set'
  | 'administrator-removed'
  | 'blocked'
  | 'unblocked'
  | 'consent'
  | 'care-team';

export async function recordChange(
  q: Queryable,
  c: { patientId: string; practitionerId: string; at: Date; change: Change; detail?: string; byUser?: string },
): Promise<void> {
  await q.query(
    'INSERT INTO care_relation_event (patient_id, practitioner_id, at, id, change, detail, by_user) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [c.patientId, c.practitionerId, c.at, randomUUID(), c.change, c.detail ?? null, c.byUser ?? null],
  );
}

export interface ProfessionalEntry {
  practitionerId: string;
  family: string;
  given: string;
  civility: string | null;
  professions: { code: string; label: string | null }[];
  situations: { roleId: string; professionLabel: string | null; skillLabel: string | null; organizationName: string | null; city: string | null }[];
  inList: boolean;
  addedAt: string;
  addedBy: string;
  roles: CareRole[];
  administrator: boolean;
  blockedAt: string | null;
  consentAt: string | null;
  careTeamSince: string | null;
  access: ReturnType<typeof careAccess>['status'];
  basis?: string;
  changes: { at: string; change: Change; detail: string | null }[];
}

interface ListRow extends CareRow {
  practitioner_id: string;
  family: string | null;
  given: string | null;
  civility: string | null;
  added_by: string;
  administrator: boolean;
  situations: { roleId: string; professionCode: string; professionLabel: string | null; skillLabel: string | null; organizationName: string | null; city: string | null }[] | null;
  changes: { at: string; change: Change; detail: string | null }[] | null;
}

/** The professionals of this record, those in the list first, then by name. */
export async function listProfessionals(db: Queryable, patientId: string): Promise<ProfessionalEntry[]> {
  const { rows } = await db.query<ListRow & Record<string, unknown>>(
    `SELECT c.*, 'open' AS state, true AS has_record, p.family, p.given, p.practice_civility_code AS civility,
            (SELECT json_agg(json_build_object('roleId', r.id, 'professionCode', r.profession_code, 'professionLabel', r.profession_label,
                                               'skillLabel', r.skill_label, 'organizationName', o.name, 'city', o.city) ORDER BY r.id)
               FROM directory_role r LEFT JOIN directory_organization o ON o.id = r.organization_id
              WHERE r.practitioner_id = c.practitioner_id AND r.active) AS situations,
            (SELECT json_agg(json_build_object('at', e.at, 'change', e.change, 'detail', e.detail) ORDER BY e.at DESC, e.id)
               FROM care_relation_event e WHERE e.patient_id = c.patient_id AND e.practitioner_id = c.practitioner_id) AS changes
       FROM care_relation c LEFT JOIN directory_practitioner p ON p.id = c.practitioner_id
      WHERE c.patient_id = $1
      ORDER BY c.in_list DESC, p.family, p.given, c.practitioner_id`,
    [patientId],
  );
  return rows.map((r) => {
    const status = careAccess(factsOf(r));
    const situations = r.situations ?? [];
    const professions = [...new Map(situations.map((s) => [s.professionCode, { code: s.professionCode, label: s.professionLabel }])).values()];
    return {
      practitionerId: r.practitioner_id,
      family: r.family ?? '',
      given: r.given ?? '',
      civility: r.civility,
      professions,
      situations: situations.map(({ roleId, professionLabel, skillLabel, organizationName, city }) => ({ roleId, professionLabel, skillLabel, organizationName, city })),
      inList: r.in_list === true,
      addedAt: new Date(r.added_at!).toISOString(),
      addedBy: r.added_by,
      roles: (Object.keys(CARE_ROLES) as CareRole[]).filter((role) => r[CARE_ROLES[role].column] === true),
      administrator: r.administrator,
      blockedAt: r.blocked_at ? new Date(r.blocked_at).toISOString() : null,
      consentAt: r.consent_at ? new Date(r.consent_at).toISOString() : null,
      careTeamSince: r.care_team_since ? new Date(r.care_team_since).toISOString() : null,
      access: status.status,
      ...(status.status === 'authorised' ? { basis: status.basis } : {}),
      changes: (r.changes ?? []).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    };
  });
}

/** The professions (TRE_G15) of an active professional of the directory; 404 when unknown or inactive. */
async function professionsOf(q: Queryable, practitionerId: string): Promise<string[]> {
  const { rows } = await q.query<{ profession_code: string | null; active: boolean }>(
    `SELECT r.profession_code, p.active FROM directory_practitioner p
       LEFT JOIN directory_role r ON r.practitioner_id = p.id AND r.active
      WHERE p.id = $1`,
    [practitionerId],
  );
  if (rows.length === 0 || !rows[0]!.active) throw notFound('This professional is not in the directory').withCode('care.unknown-professional');
  return rows.map((r) => r.profession_code).filter((c): c is string => c !== null);
}

/** Creates the relation if needed (in the list), returning whether it already was in the list. */
async function ensureInList(q: Queryable, patientId: string, practitionerId: string, now: Date, byUser: string): Promise<boolean> {
  const { rows } = await q.query<{ in_list: boolean }>(
    'SELECT in_list FROM care_relation WHERE patient_id = $1 AND practitioner_id = $2 FOR UPDATE',
    [patientId, practitionerId],
  );
  if (rows[0]?.in_list) return true;
  await q.query(
    `INSERT INTO care_relation (patient_id, practitioner_id, added_at, added_by, in_list, updated_at) VALUES ($1, $2, $3, 'patient', true, $3)
     ON CONFLICT (patient_id, practitioner_id) DO UPDATE SET in_list = true, added_at = $3, added_by = 'patient', updated_at = $3`,
    [patientId, practitionerId, now],
  );
  await recordChange(q, { patientId, practitionerId, at: now, change: 'added', byUser });
  return false;
}

export interface Actor {
  userId: string;
  now: Date;
}

/** Adds a professional of the directory to the list: 201 when new, 200 when already there. */
export async function addProfessional(db: Db, patientId: string, practitionerId: string, a: Actor): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    await professionsOf(tx, practitionerId);
    const already = await ensureInList(tx, patientId, practitionerId, a.now, a.userId);
    return { created: !already };
  });
}

/** Removes a professional from the list: their roles, administrator status, consent and care-team membership end. */
export async function removeProfessional(db: Db, patientId: string, practitionerId: string, a: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE care_relation SET in_list = false, medecin_traitant = false, sage_femme = false, pharmacien = false, administrator = false,
              consent_at = NULL, consent_id = NULL, care_team_since = NULL, care_team_consent = NULL, updated_at = $3
        WHERE patient_id = $1 AND practitioner_id = $2 AND in_list`,
      [patientId, practitionerId, a.now],
    );
    if (!rowCount) throw notFound('This professional is not in the list').withCode('care.not-in-list');
    await recordChange(tx, { patientId, practitionerId, at: a.now, change: 'removed', byUser: a.userId });
  });
}

/**
 * Gives a role. One holder per role and record: when another professional holds it, the change is refused
 * (409, naming them) unless `replace` is set, in which case they lose it.
 */
export async function setRole(db: Db, patientId: string, practitionerId: string, role: CareRole, opts: Actor & { replace: boolean }): Promise<{ replaced?: string }> {
  const column = CARE_ROLES[role].column;
  return db.transaction(async (tx) => {
    const professions = await professionsOf(tx, practitionerId);
    if (!roleFitsProfessions(role, professions)) {
      throw new AppError(422, 'business-rule', `Only a professional of profession ${CARE_ROLES[role].profession} (TRE_G15) can be ${role}`, ['role']).withCode('care.role-profession');
    }
    // one holder at a time: concurrent changes of this role on this record wait for each other
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`care-role:${patientId}:${role}`]);
    const { rows: holders } = await tx.query<{ practitioner_id: string }>(
      `SELECT practitioner_id FROM care_relation WHERE patient_id = $1 AND ${column} FOR UPDATE`,
      [patientId],
    );
    const other = holders.find((h) => h.practitioner_id !== practitionerId)?.practitioner_id;
    if (holders.some((h) => h.practitioner_id === practitionerId)) return {};
    if (other && !opts.replace) {
      throw new AppError(409, 'conflict', `Another professional (${other}) is already ${role}: replace them explicitly`, ['role']).withCode('care.role-taken');
    }
    if (other) {
      await tx.query(`UPDATE care_relation SET ${column} = false, updated_at = $3 WHERE patient_id = $1 AND practitioner_id = $2`, [patientId, other, opts.now]);
      await recordChange(tx, { patientId, practitionerId: other, at: opts.now, change: 'role-removed', detail: role, byUser: opts.userId });
    }
    await ensureInList(tx, patientId, practitionerId, opts.now, opts.userId);
    await tx.query(`UPDATE care_relation SET ${column} = true, updated_at = $3 WHERE patient_id = $1 AND practitioner_id = $2`, [patientId, practitionerId, opts.now]);
    await recordChange(tx, { patientId, practitionerId, at: opts.now, change: 'role-set', detail: role, byUser: opts.userId });
    return other ? { replaced: other } : {};
  });
}

export async function clearRole(db: Db, patientId: string, practitionerId: string, role: CareRole, a: Actor): Promise<void> {
  const column = CARE_ROLES[role].column;
  await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE care_relation SET ${column} = false, updated_at = $3 WHERE patient_id = $1 AND practitioner_id = $2 AND ${column}`,
      [patientId, practitionerId, a.now],
    );
    if (!rowCount) throw notFound(`This professional is not ${role}`).withCode('care.no-such-role');
    await recordChange(tx, { patientId, practitionerId, at: a.now, change: 'role-removed', detail: role, byUser: a.userId });
  });
}

export async function setAdministrator(db: Db, patientId: string, practitionerId: string, on: boolean, a: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await professionsOf(tx, practitionerId);
    if (on) await ensureInList(tx, patientId, practitionerId, a.now, a.userId);
    const { rowCount } = await tx.query(
      'UPDATE care_relation SET administrator = $3, updated_at = $4 WHERE patient_id = $1 AND practitioner_id = $2 AND administrator <> $3',
      [patientId, practitionerId, on, a.now],
    );
    if (!rowCount) return; // already so
    await recordChange(tx, { patientId, practitionerId, at: a.now, change: on ? 'administrator-set' : 'administrator-removed', byUser: a.userId });
  });
}

/** Blocks (or unblocks) a professional, whether or not in the list: a blocked professional is refused everything. */
export async function setBlocked(db: Db, patientId: string, practitionerId: string, blocked: boolean, a: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await professionsOf(tx, practitionerId);
    await tx.query(
      `INSERT INTO care_relation (patient_id, practitioner_id, added_at, added_by, in_list, updated_at) VALUES ($1, $2, $3, 'patient', false, $3)
       ON CONFLICT (patient_id, practitioner_id) DO NOTHING`,
      [patientId, practitionerId, a.now],
    );
    const { rowCount } = await tx.query(
      `UPDATE care_relation SET blocked_at = CASE WHEN $3 THEN $4::timestamptz END, updated_at = $4
        WHERE patient_id = $1 AND practitioner_id = $2 AND (blocked_at IS NOT NULL) <> $3`,
      [patientId, practitionerId, blocked, a.now],
    );
    if (!rowCount) return; // already so
    await recordChange(tx, { patientId, practitionerId, at: a.now, change: blocked ? 'blocked' : 'unblocked', byUser: a.userId });
  });
}
