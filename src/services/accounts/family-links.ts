import type { Queryable } from '../../db/index.js';
import { majorityDate } from '../../domain/ins/index.js';
import { bumpPrincipalGeneration } from '../../repo/index.js';

/**
 * The links that let a representative reach their children's profiles: every child covered by the person's
 * insurance (covered_by_nir) whose profile is open or active, until the child's 18th birthday
 * (app_user_patient.valid_until; loadPrincipal ignores a link past it). Recomputed at activation and at each
 * sign-in, so a child added by a later import appears.
 */
export async function refreshFamilyLinks(q: Queryable, userId: string, nir: string): Promise<void> {
  const { rows } = await q.query<{ id: string; birth_date: string }>(
    `SELECT id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM insured
      WHERE covered_by_nir = $1 AND state IN ('open', 'active')`,
    [nir],
  );
  await q.query(`DELETE FROM app_user_patient WHERE user_id = $1 AND relation = 'parent'`, [userId]);
  if (rows.length > 0) {
    await q.query(
      `INSERT INTO app_user_patient (user_id, patient_id, relation, valid_until)
       SELECT $1, unnest($2::text[]), 'parent', unnest($3::timestamptz[])
       ON CONFLICT (user_id, patient_id) DO UPDATE SET relation = 'parent', valid_until = EXCLUDED.valid_until`,
      [userId, rows.map((r) => r.id), rows.map((r) => `${majorityDate(r.birth_date)}T00:00:00+01:00`)],
    );
  }
  bumpPrincipalGeneration();
}
