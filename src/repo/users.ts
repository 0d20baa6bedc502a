import type { Queryable } from '../db/index.js';
import { textAsUuid } from '../db/sql.js';
import type { Practice, Principal, Relation, Role } from '../domain/access/index.js';

/** The people who use Carnet (application table, not FHIR): loading them as principals, creating them. */

export interface NewUser {
  id: string;
  login: string;
  role: Exclude<Role, 'system'>;
  displayName: string;
  patientId?: string;
  practitionerId?: string;
  represents?: { patientId: string; relation: Relation }[];
}

interface UserRow {
  id: string;
  login: string;
  role: Exclude<Role, 'system'>;
  display_name: string;
  patient_id: string | null;
  practitioner_id: string | null;
}

/**
 * Principals loaded in the last second, per database: a client's requests come in bursts, and loading the
 * caller is one round trip per request otherwise. Any change to a user in this process drops the whole
 * cache; another process (several nodes) sees a change within PRINCIPAL_TTL_MS. An entry also only serves
 * requests whose `at` is within PRINCIPAL_TTL_MS of the one it was loaded for: links end at a date
 * (valid_until), and Carnet's clock may jump (the demo clock, tests).
 */
const PRINCIPAL_TTL_MS = 1000;
const principals = new WeakMap<Queryable, Map<string, { principal: Principal; until: number; generation: number; at: number }>>();
let generation = 0;

/** Drops every cached principal of this process: call after changing a user's links or state. */
export function bumpPrincipalGeneration(): void {
  generation++;
}

/** loadPrincipal, through the one-second cache. */
export async function loadPrincipalCached(db: Queryable, userId: string, at: Date = new Date()): Promise<Principal | undefined> {
  let cache = principals.get(db);
  if (!cache) principals.set(db, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(userId);
  if (hit && hit.until > now && hit.generation === generation && Math.abs(at.getTime() - hit.at) < PRINCIPAL_TTL_MS) return hit.principal;
  const seen = generation;
  const principal = await loadPrincipal(db, userId, at);
  if (cache.size > 10_000) cache.clear();
  if (principal && seen === generation) cache.set(userId, { principal, until: now + PRINCIPAL_TTL_MS, generation: seen, at: at.getTime() });
  return principal;
}

/**
 * The user and the records they may act on, in one query. A link counts until its `valid_until` (a child's
 * 18th birthday, the end of a delegation), and only while the record's profile is open or active (records
 * with no insured person behind them, such as test data, always count). A disabled user (closed profile)
 * is no principal at all. A professional's practice situation is their first one in the directory until a
 * session says which one they chose (the authenticator sets it).
 */
export async function loadPrincipal(q: Queryable, userId: string, at: Date = new Date()): Promise<Principal | undefined> {
  const { rows } = await q.query<UserRow & { links: { patient_id: string; relation: Relation }[]; practice: Practice | null }>(
    `SELECT u.id, u.login, u.role, u.display_name, u.patient_id, u.practitioner_id,
            (SELECT json_build_object('roleId', r.id, 'practitionerId', r.practitioner_id, 'professionCode', r.profession_code,
                                      'professionLabel', r.profession_label, 'skillCode', r.skill_code, 'skillLabel', r.skill_label,
                                      'organizationId', r.organization_id, 'organizationName', o.name)
               FROM directory_role r LEFT JOIN directory_organization o ON o.id = r.organization_id
              WHERE u.role = 'professional' AND r.practitioner_id = u.practitioner_id AND r.active
              ORDER BY r.id LIMIT 1) AS practice,
            COALESCE((SELECT json_agg(json_build_object('patient_id', l.patient_id, 'relation', l.relation)
                                      ORDER BY l.relation = 'self' DESC, l.patient_id)
                        FROM app_user_patient l
                        LEFT JOIN insured i ON i.id = ${textAsUuid('l.patient_id')}
                       WHERE l.user_id = u.id AND (l.valid_until IS NULL OR l.valid_until > $2)
                         AND (i.id IS NULL OR i.state IN ('open', 'active'))), '[]') AS links
       FROM app_user u WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [userId, at],
  );
  const u = rows[0];
  if (!u) return undefined;
  return {
    userId: u.id,
    login: u.login,
    role: u.role,
    displayName: u.display_name,
    ...(u.patient_id ? { patientId: u.patient_id } : {}),
    ...(u.practitioner_id ? { practitionerId: u.practitioner_id } : {}),
    ...(u.practice ? { practice: withoutNulls(u.practice) } : {}),
    represents: u.links.map((l) => ({ patientId: l.patient_id, relation: l.relation })),
  };
}

function withoutNulls(p: Practice): Practice {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null)) as unknown as Practice;
}

export async function findUserIdByLogin(q: Queryable, login: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM app_user WHERE login = $1', [login]);
  return rows[0]?.id;
}

/** Creates a user (or updates the one with this id), with their links to the records they may act on. */
export async function upsertUser(q: Queryable, u: NewUser): Promise<void> {
  generation++;
  await q.query(
    `INSERT INTO app_user (id, login, role, display_name, patient_id, practitioner_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET login = EXCLUDED.login, role = EXCLUDED.role, display_name = EXCLUDED.display_name,
       patient_id = EXCLUDED.patient_id, practitioner_id = EXCLUDED.practitioner_id`,
    [u.id, u.login, u.role, u.displayName, u.patientId ?? null, u.practitionerId ?? null],
  );
  await q.query('DELETE FROM app_user_patient WHERE user_id = $1', [u.id]);
  const links = [...(u.patientId ? [{ patientId: u.patientId, relation: 'self' as const }] : []), ...(u.represents ?? [])];
  for (const l of links) {
    await q.query(
      'INSERT INTO app_user_patient (user_id, patient_id, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [u.id, l.patientId, l.relation],
    );
  }
  generation++; // and after: a load that raced with the change is not kept
}
