import { INS_OID, majorityDate, makeNir } from '../../domain/ins/index.js';
import { HEADER, formatRow, type InsuredRow as CsvRow } from '../../domain/population/index.js';
import type { AccountsDeps } from '../accounts/context.js';
import { importPopulation } from '../accounts/population.js';
import { hashPassword } from '../accounts/secrets.js';
import { OPERATOR, PATIENTS, patientId, userId } from './world.js';

/** The password of every demo account (patients and operator). Demo only, printed at start. */
export const DEMO_PASSWORD = 'Carnet-Demo-2026!';

/**
 * The demo accounts: the demo patients as insured people with active profiles (their children open,
 * reachable by the parent until 18), passwords and verified e-mails for the demo logins, and a few people
 * who just received their opt-out notice (in the mail catcher) so that a newcomer can try the objection and
 * the activation at once.
 */
export async function seedDemoAccounts(deps: AccountsDeps): Promise<void> {
  const now = deps.clock.now();
  const hash = await hashPassword(DEMO_PASSWORD);
  const parentOf = new Map<string, string>();
  for (const p of PATIENTS) for (const r of p.represents ?? []) parentOf.set(r.key, p.key);
  const nirOf = (key: string) => makeNir(PATIENTS.find((x) => x.key === key)!.nir);
  await deps.db.transaction(async (tx) => {
    for (const p of PATIENTS) {
      const parent = parentOf.get(p.key);
      await tx.query(
        `INSERT INTO insured (id, nir, ins_oid, birth_name, first_given_name, given_names, birth_date, sex, birth_place,
                              vitale_serial, email, phone, address, covered_by_nir, state, state_since, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
         ON CONFLICT (nir) DO NOTHING`,
        [
          patientId(p.key), nirOf(p.key), INS_OID.TEST, p.family.toUpperCase(), p.given[0], p.given.join(' '), p.birthDate,
          p.gender === 'female' ? 'F' : 'M', p.birthPlace.code, p.login ? '1234567890' : null, p.email ?? null, p.phone ?? null,
          JSON.stringify({ line: p.address.line, postalCode: p.address.postalCode, city: p.address.city }),
          parent ? nirOf(parent) : null, p.login ? 'active' : 'open', now,
        ],
      );
      await tx.query(`INSERT INTO insured_event (insured_id, at, from_state, to_state, actor, reason) VALUES ($1, $2, NULL, $3, 'carnet', 'demo world') ON CONFLICT DO NOTHING`, [
        patientId(p.key), now, p.login ? 'active' : 'open',
      ]);
      if (p.login) {
        await tx.query(
          `UPDATE app_user SET insured_id = $2, password_hash = $3, email = $4, email_verified_at = $5 WHERE id = $1`,
          [userId(p.login), patientId(p.key), hash, p.email ?? `${p.login}@example.fr`, now],
        );
        for (const r of p.represents ?? []) {
          const child = PATIENTS.find((x) => x.key === r.key)!;
          await tx.query('UPDATE app_user_patient SET valid_until = $3 WHERE user_id = $1 AND patient_id = $2', [
            userId(p.login), patientId(r.key), `${majorityDate(child.birthDate)}T00:00:00+01:00`,
          ]);
        }
      }
    }
    await tx.query('UPDATE app_user SET password_hash = $2, email = $3, email_verified_at = $4 WHERE id = $1', [
      userId(OPERATOR.login), hash, 'operatrice@example.fr', now,
    ]);
  });
  await importPopulation(deps, [`${HEADER}\n${NEWCOMERS.map(formatRow).join('\n')}\n`], { fileName: 'demo.csv', actor: 'carnet' });
}

/** People who just got their notice: try "M'opposer" or "Activer mon profil" with their code from the mail catcher. */
const newcomer = (given: string, family: string, sex: 'M' | 'F', birthDate: string, order: string, vitale: string): CsvRow => ({
  nir: makeNir({ sex: sex === 'M' ? '1' : '2', birthYear: birthDate.slice(2, 4), birthMonth: birthDate.slice(5, 7), department: '75', commune: '056', order }),
  insOid: INS_OID.TEST,
  traits: { birthName: family, firstGivenName: given, givenNames: [given], birthDate, sex, birthPlaceCode: '75056' },
  vitaleSerial: vitale,
  email: `${given.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${family.toLowerCase()}@example.fr`,
  address: { line: '5 rue Oberkampf', postalCode: '75011', city: 'Paris' },
});

export const NEWCOMERS: CsvRow[] = [
  newcomer('Inès', 'DUBOIS', 'F', '1992-05-17', '201', '11223344556'),
  newcomer('Hugo', 'LAMBERT', 'M', '1979-12-03', '202', '22334455667'),
  newcomer('Chloé', 'ROUSSEL', 'F', '2001-08-29', '203', '33445566778'),
];
