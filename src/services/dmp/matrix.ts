import type { Queryable } from '../../db/index.js';
import { checkMatrix, DEFAULT_MATRIX, mergeMatrix, type Matrix, type MatrixRow } from '../../domain/documents/matrix.js';
import { AppError } from '../../errors.js';

/**
 * The habilitation matrix in force: the defaults of domain/documents/matrix.ts, with the rows the operator
 * set (habilitation_matrix_row) in place of the defaults of the same profession and specialty.
 */
export async function loadMatrix(q: Queryable): Promise<Matrix> {
  return mergeMatrix(DEFAULT_MATRIX, await operatorRows(q));
}

export async function operatorRows(q: Queryable): Promise<MatrixRow[]> {
  const { rows } = await q.query<{ profession: string; specialty: string; other_types: 'allow' | 'deny'; allow_types: string[]; deny_types: string[]; source: string }>(
    'SELECT profession, specialty, other_types, allow_types, deny_types, source FROM habilitation_matrix_row ORDER BY profession, specialty',
  );
  return rows.map((r) => ({
    profession: r.profession,
    ...(r.specialty ? { specialty: r.specialty } : {}),
    otherTypes: r.other_types,
    allow: r.allow_types,
    deny: r.deny_types,
    source: r.source,
  }));
}

/** Sets (or replaces) one operator row, after checking it. */
export async function setMatrixRow(q: Queryable, row: MatrixRow, by: string, at: Date): Promise<void> {
  const problems = checkMatrix([row]);
  if (problems.length) throw new AppError(400, 'invalid', problems.join('; ')).withCode('matrix.invalid');
  await q.query(
    `INSERT INTO habilitation_matrix_row (profession, specialty, other_types, allow_types, deny_types, source, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (profession, specialty) DO UPDATE SET other_types = EXCLUDED.other_types, allow_types = EXCLUDED.allow_types,
       deny_types = EXCLUDED.deny_types, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [row.profession, row.specialty ?? '', row.otherTypes, row.allow, row.deny, row.source, at, by],
  );
}

/** Removes an operator row: the default row (if any) applies again. */
export async function removeMatrixRow(q: Queryable, profession: string, specialty: string | undefined): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM habilitation_matrix_row WHERE profession = $1 AND specialty = $2', [profession, specialty ?? '']);
  return (rowCount ?? 0) > 0;
}
