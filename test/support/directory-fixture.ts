import { randomInt } from 'node:crypto';
import type { Queryable } from '../../src/db/index.js';
import { makeRpps } from '../../src/domain/directory/luhn.js';
import { ORGANIZATIONS, PRACTITIONERS } from '../../src/services/demo/world.js';

/**
 * Rows of the national directory (migration 0005) for tests, written with SQL rather than through the
 * directory import: professionals, their practice situations and the structures. Inserting a row that exists
 * already does nothing, so a fixture may be applied to a database the demo seeding filled.
 */
export interface FixtureOrganization {
  id: string;
  name: string;
  city?: string;
  postalCode?: string;
  finess?: string;
  sectorCode?: string;
}

export interface FixtureRole {
  id?: string;
  professionCode: string;
  professionLabel?: string;
  skillCode?: string;
  skillLabel?: string;
  modeCode?: string;
  sectorCode?: string;
  organization?: FixtureOrganization;
  active?: boolean;
}

export interface FixturePractitioner {
  /** IdNat_PS ('8' + RPPS). */
  idNat: string;
  family: string;
  given: string;
  civilityCode?: string;
  practiceCivilityCode?: string;
  active?: boolean;
  roles: FixtureRole[];
}

/** A valid IdNat_PS ('8' + an RPPS with its Luhn key) no other test uses. */
export function uniqueIdNat(): string {
  return `8${makeRpps(String(randomInt(1_000_000_000, 9_999_999_999)))}`;
}

const key = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export async function insertDirectory(q: Queryable, practitioners: readonly FixturePractitioner[], now = new Date()): Promise<void> {
  for (const p of practitioners) {
    await q.query(
      `INSERT INTO directory_practitioner (id, id_type, identifier, civility_code, practice_civility_code, family, given, active, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [p.idNat, p.idNat[0], p.idNat.slice(1), p.civilityCode ?? null, p.practiceCivilityCode ?? null, p.family, p.given, p.active ?? true, now],
    );
    for (const [i, r] of p.roles.entries()) {
      const o = r.organization;
      if (o) {
        await q.query(
          `INSERT INTO directory_organization (id, name, finess_site, postal_code, city, sector_code, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [o.id, o.name, o.finess ?? null, o.postalCode ?? null, o.city ?? null, o.sectorCode ?? null, now],
        );
      }
      await q.query(
        `INSERT INTO directory_role (id, practitioner_id, organization_id, profession_code, profession_label, skill_code, skill_label,
                                     skill_type_code, mode_code, sector_code, family_key, given_key, city_key, postal_code, active, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING`,
        [
          r.id ?? `${p.idNat}-${i + 1}`,
          p.idNat,
          o?.id ?? null,
          r.professionCode,
          r.professionLabel ?? null,
          r.skillCode ?? null,
          r.skillLabel ?? null,
          r.skillCode ? 'S' : null,
          r.modeCode ?? 'L',
          r.sectorCode ?? o?.sectorCode ?? null,
          key(p.family),
          key(p.given),
          key(o?.city ?? ''),
          o?.postalCode ?? null,
          r.active ?? true,
          now,
        ],
      );
    }
  }
}

/** The demo structures as directory organizations (technical ids `demo-<key>`). */
export function demoOrganization(k: string): FixtureOrganization {
  const o = ORGANIZATIONS.find((x) => x.key === k)!;
  return { id: `demo-${o.key}`, name: o.name, city: o.city, postalCode: o.postalCode, finess: o.finess, sectorCode: o.key === 'ch-paris-est' ? 'SA01' : 'SA07' };
}

/**
 * The demo professionals of world.ts as the directory lists them (IdNat_PS '8' + RPPS): one situation each,
 * and a second one for dr.durand (salaried at the hospital's imaging department).
 */
export function demoDirectory(): FixturePractitioner[] {
  return PRACTITIONERS.map((p) => ({
    idNat: `8${p.rpps}`,
    family: p.family.toUpperCase(),
    given: p.given,
    civilityCode: p.gender === 'female' ? 'MME' : 'M',
    ...(p.prefix === 'Dr' ? { practiceCivilityCode: 'DR' } : {}),
    roles: [
      {
        id: `demo-role-${p.login}-1`,
        professionCode: p.profession.code,
        professionLabel: p.profession.display,
        ...(p.specialty?.code ? { skillCode: p.specialty.code } : {}),
        ...(p.specialty ? { skillLabel: p.specialty.display } : {}),
        modeCode: 'L',
        organization: demoOrganization(p.organization),
      },
      ...(p.login === 'dr.durand'
        ? [{ id: `demo-role-${p.login}-2`, professionCode: '10', professionLabel: 'Médecin', skillCode: 'SM26', skillLabel: 'Qualifié en médecine générale', modeCode: 'S', organization: demoOrganization('ch-paris-est') }]
        : []),
    ],
  }));
}

/** The IdNat_PS of a demo login. */
export function demoIdNat(login: string): string {
  return `8${PRACTITIONERS.find((p) => p.login === login)!.rpps}`;
}
