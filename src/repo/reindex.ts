import type { Db } from '../db/index.js';
import { extractIndex, INDEX_VERSION } from '../fhir/search/extract.js';

/**
 * Brings the search columns of every current resource up to the extraction rules of this version of Carnet,
 * when they were written by older rules (a new search parameter, a new value form). Runs at start, in
 * batches by primary key, each batch in its own transaction; a restart resumes from the state it left.
 * Returns the number of resources re-indexed.
 */
export async function reindexIfNeeded(db: Db, fhirBase: string, batch = 500): Promise<number> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM search_index_state');
  if ((rows[0]?.version ?? 0) >= INDEX_VERSION) return 0;
  let done = 0;
  for (const table of ['resource', 'shared_resource'] as const) {
    const key = table === 'resource' ? ['patient_id', 'resource_type', 'id'] : ['resource_type', 'id'];
    let after: string[] | undefined;
    for (;;) {
      const params: unknown[] = [];
      let cond = 'NOT deleted';
      if (after) {
        params.push(...after);
        cond += ` AND (${key.join(', ')}) > (${key.map((_, i) => `$${i + 1}`).join(', ')})`;
      }
      const page = await db.query<Record<string, string>>(
        `SELECT ${key.join(', ')}, content::text AS content FROM ${table} WHERE ${cond} ORDER BY ${key.join(', ')} LIMIT ${batch}`,
        params,
      );
      if (page.rows.length === 0) break;
      await db.transaction(async (tx) => {
        for (const row of page.rows) {
          const index = extractIndex(JSON.parse(row.content!) as Record<string, unknown>, fhirBase);
          const n = key.length;
          await tx.query(
            `UPDATE ${table} SET tokens = $${n + 1}, strings = $${n + 2}, date_params = $${n + 3}, date_lo = $${n + 4}::timestamptz[], date_hi = $${n + 5}::timestamptz[]
              WHERE (${key.join(', ')}) = (${key.map((_, i) => `$${i + 1}`).join(', ')})`,
            [...key.map((k) => row[k]), index.tokens, index.strings, index.dateParams, index.dateLo, index.dateHi],
          );
        }
      });
      done += page.rows.length;
      const last = page.rows[page.rows.length - 1]!;
      after = key.map((k) => last[k]!);
    }
  }
  await db.query('UPDATE search_index_state SET version = $1', [INDEX_VERSION]);
  return done;
}
