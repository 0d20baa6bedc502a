import { randomUUID } from 'node:crypto';
import { SYSTEM } from '../../src/domain/access/index.js';
import { makeRpps } from '../../src/domain/directory/luhn.js';
import { insSystem } from '../../src/domain/ins/index.js';
import { makeContext } from '../../src/repo/index.js';
import { person, type PersonOptions } from './accounts.js';
import type { TestCarnet } from './carnet.js';

/**
 * Builders for the professionals' tests: professionals in the directory (with a user who signs in as them),
 * and insured people with an open profile (insured row, Patient resource, patient user).
 */

let n = 0;

export interface ProOptions {
  family?: string;
  given?: string;
  /** TRE_G15 code: 10 médecin, 21 pharmacien, 50 sage-femme, 60 infirmier. */
  profession?: string;
  professionLabel?: string;
  skill?: { code: string; label: string };
  organization?: { id: string; name: string; city: string };
}

export interface TestPro {
  practitionerId: string;
  rpps: string;
  roleId: string;
  token: string;
  display: string;
}

const LABELS: Record<string, string> = { '10': 'Médecin', '21': 'Pharmacien', '50': 'Sage-Femme', '60': 'Infirmier' };

/** A professional in the directory and a user signed in as them (their first practice situation). */
export async function professional(tc: TestCarnet, o: ProOptions = {}): Promise<TestPro> {
  n++;
  const rpps = makeRpps(String(2_000_000_000 + ((process.pid * 1000 + n) % 999_999_999)).padStart(10, '0'));
  const practitionerId = `8${rpps}`;
  const family = o.family ?? `Praticien${n}`;
  const given = o.given ?? 'Hélène';
  const profession = o.profession ?? '10';
  const org = o.organization ?? { id: `C${rpps}`, name: `Cabinet ${family}`, city: 'Paris' };
  const now = new Date();
  await tc.db.query(
    `INSERT INTO directory_practitioner (id, id_type, identifier, practice_civility_code, family, given, updated_at)
     VALUES ($1, '8', $2, $3, $4, $5, $6)`,
    [practitionerId, rpps, profession === '10' ? 'DR' : null, family, given, now],
  );
  await tc.db.query(
    `INSERT INTO directory_organization (id, name, city, postal_code, updated_at) VALUES ($1, $2, $3, '75011', $4) ON CONFLICT (id) DO NOTHING`,
    [org.id, org.name, org.city, now],
  );
  const roleId = `r-${rpps}`;
  await tc.db.query(
    `INSERT INTO directory_role (id, practitioner_id, organization_id, profession_code, profession_label, skill_code, skill_label,
                                 family_key, given_key, city_key, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, lower($8), lower($9), lower($10), $11)`,
    [roleId, practitionerId, org.id, profession, o.professionLabel ?? LABELS[profession] ?? 'Professionnel', o.skill?.code ?? null, o.skill?.label ?? null, family, given, org.city, now],
  );
  const display = `${profession === '10' ? 'Dr ' : ''}${given} ${family}`;
  const token = await tc.user({ login: `pro-${rpps}`, role: 'professional', practitionerId });
  return { practitionerId, rpps, roleId, token, display };
}

export interface TestPatient {
  patientId: string;
  nir: string;
  insSystem: string;
  token: string;
  family: string;
  given: string;
  birthDate: string;
}

/** An insured person with a profile in this state (open by default), their Patient resource and their user. */
export async function insuredPatient(tc: TestCarnet, o: PersonOptions & { state?: string } = {}): Promise<TestPatient> {
  const p = person(o);
  const patientId = randomUUID();
  const now = new Date();
  await tc.db.query(
    `INSERT INTO insured (id, nir, ins_oid, birth_name, first_given_name, given_names, birth_date, sex, birth_place, state, state_since, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [patientId, p.nir, p.insOid, p.traits.birthName, p.traits.firstGivenName, p.traits.givenNames.join(' '), p.traits.birthDate, p.traits.sex, p.traits.birthPlaceCode, o.state ?? 'open', now],
  );
  const system = insSystem(p.insOid as Parameters<typeof insSystem>[0]);
  await tc.carnet.repo.update(makeContext(SYSTEM), {
    resourceType: 'Patient',
    id: patientId,
    identifier: [{ system, value: p.nir }],
    name: [{ family: p.traits.birthName, given: p.traits.givenNames }],
    birthDate: p.traits.birthDate,
    gender: p.traits.sex === 'F' ? 'female' : 'male',
  });
  const token = await tc.user({ role: 'patient', patientId });
  return { patientId, nir: p.nir, insSystem: system, token, family: p.traits.birthName, given: p.traits.firstGivenName, birthDate: p.traits.birthDate };
}
