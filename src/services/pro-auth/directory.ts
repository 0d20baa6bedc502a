import type { Queryable } from '../../db/index.js';
import type { DirectoryPractitioner, DirectoryRole } from '../../domain/professionals/psc-claims.js';

/**
 * What the professional sign-in reads of the national directory (migration 0005: directory_practitioner,
 * directory_role, directory_organization, filled by the directory import): who a professional is, and their
 * active practice situations with their structures.
 */

interface PractitionerRow {
  id: string;
  civility_code: string | null;
  practice_civility_code: string | null;
  family: string;
  given: string;
}

interface RoleRow {
  id: string;
  practitioner_id: string;
  profession_code: string;
  profession_label: string | null;
  category_code: string | null;
  skill_type_code: string | null;
  skill_code: string | null;
  skill_label: string | null;
  mode_code: string | null;
  sector_code: string | null;
  role_code: string | null;
  genre_code: string | null;
  organization_id: string | null;
  organization_name: string | null;
  finess_site: string | null;
  siret: string | null;
  postal_code: string | null;
  city: string | null;
  address_lines: string[] | null;
}

const opt = <T>(v: T | null | undefined): T | undefined => (v === null || v === undefined || v === '' ? undefined : v);

function practitionerOf(r: PractitionerRow): DirectoryPractitioner {
  const p: DirectoryPractitioner = { id: r.id, family: r.family, given: r.given };
  if (opt(r.civility_code)) p.civilityCode = r.civility_code!;
  if (opt(r.practice_civility_code)) p.practiceCivilityCode = r.practice_civility_code!;
  return p;
}

function roleOf(r: RoleRow): DirectoryRole {
  const fields: Partial<DirectoryRole> = {
    professionLabel: opt(r.profession_label),
    categoryCode: opt(r.category_code),
    skillTypeCode: opt(r.skill_type_code),
    skillCode: opt(r.skill_code),
    skillLabel: opt(r.skill_label),
    modeCode: opt(r.mode_code),
    sectorCode: opt(r.sector_code),
    roleCode: opt(r.role_code),
    genreCode: opt(r.genre_code),
    organizationId: opt(r.organization_id),
    organizationName: opt(r.organization_name),
    finessSite: opt(r.finess_site),
    siret: opt(r.siret),
    postalCode: opt(r.postal_code),
    city: opt(r.city),
    addressLines: r.address_lines?.length ? r.address_lines : undefined,
  };
  return { id: r.id, professionCode: r.profession_code, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

const ROLE_COLUMNS = `r.id, r.practitioner_id, r.profession_code, r.profession_label, r.category_code, r.skill_type_code, r.skill_code,
  r.skill_label, r.mode_code, COALESCE(r.sector_code, o.sector_code) AS sector_code, r.role_code, r.genre_code, r.organization_id,
  o.name AS organization_name, o.finess_site, o.siret, COALESCE(o.postal_code, r.postal_code) AS postal_code, o.city, o.address_lines`;

/** The professional with this IdNat_PS, when the directory lists them as active. */
export async function activePractitioner(q: Queryable, idNat: string): Promise<DirectoryPractitioner | undefined> {
  const { rows } = await q.query<PractitionerRow>(
    'SELECT id, civility_code, practice_civility_code, family, given FROM directory_practitioner WHERE id = $1 AND active',
    [idNat],
  );
  return rows[0] ? practitionerOf(rows[0]) : undefined;
}

/** The active practice situations of these professionals, with their structures, by IdNat_PS. */
export async function activeRoles(q: Queryable, idNats: readonly string[]): Promise<Map<string, DirectoryRole[]>> {
  const { rows } = await q.query<RoleRow>(
    `SELECT ${ROLE_COLUMNS}
       FROM directory_role r LEFT JOIN directory_organization o ON o.id = r.organization_id
      WHERE r.practitioner_id = ANY($1) AND r.active
      ORDER BY r.practitioner_id, r.id`,
    [idNats],
  );
  const out = new Map<string, DirectoryRole[]>();
  for (const r of rows) {
    const list = out.get(r.practitioner_id) ?? [];
    list.push(roleOf(r));
    out.set(r.practitioner_id, list);
  }
  return out;
}

/** Several active professionals with their active situations (those without any are left out), in the given order. */
export async function practitionersWithRoles(
  q: Queryable,
  idNats: readonly string[],
): Promise<{ practitioner: DirectoryPractitioner; roles: DirectoryRole[] }[]> {
  const { rows } = await q.query<PractitionerRow>(
    'SELECT id, civility_code, practice_civility_code, family, given FROM directory_practitioner WHERE id = ANY($1) AND active',
    [idNats],
  );
  const roles = await activeRoles(q, idNats);
  const byId = new Map(rows.map((r) => [r.id, practitionerOf(r)]));
  return idNats.flatMap((id) => {
    const practitioner = byId.get(id);
    const theirs = roles.get(id);
    return practitioner && theirs?.length ? [{ practitioner, roles: theirs }] : [];
  });
}
