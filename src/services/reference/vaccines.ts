import type { Queryable } from '../../db/index.js';
import { queryWords } from '../../domain/reference/search-name.js';
import type { VaccineRef } from '../../domain/reference/types.js';

interface VaccineRow {
  id: string;
  label: string;
  cis: string | null;
  cip13: string[];
  atc_code: string;
  atc_label: string;
  diseases: string[];
}

function view(r: VaccineRow): VaccineRef {
  return {
    id: r.id,
    label: r.label,
    ...(r.cis ? { cis: r.cis } : {}),
    cip13: r.cip13,
    atcCode: r.atc_code,
    atcLabel: r.atc_label,
    diseases: r.diseases,
  };
}

const COLUMNS = 'id, label, cis, cip13, atc_code, atc_label, diseases';

/** The vaccine of the reference list with this id, or undefined. */
export async function vaccineById(db: Queryable, id: string): Promise<VaccineRef | undefined> {
  const { rows } = await db.query<VaccineRow>(`SELECT ${COLUMNS} FROM vaccine_ref WHERE id = $1`, [id]);
  return rows[0] ? view(rows[0]) : undefined;
}

/** The vaccines of the reference list with these ids (unknown ids are left out). */
export async function vaccinesByIds(db: Queryable, ids: readonly string[]): Promise<Map<string, VaccineRef>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<VaccineRow>(`SELECT ${COLUMNS} FROM vaccine_ref WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, view(r)]));
}

/**
 * The reference list, ordered by label; with q, only the vaccines whose label, id, ATC code, CIP13 or one of
 * whose diseases has each word of q as the prefix of one of its words (case and accents ignored).
 */
export async function searchVaccines(db: Queryable, q = ''): Promise<VaccineRef[]> {
  const { rows } = await db.query<VaccineRow>(`SELECT ${COLUMNS} FROM vaccine_ref ORDER BY lower(label), id`);
  const words = queryWords(q);
  const all = rows.map(view);
  if (words.length === 0) return all;
  return all.filter((v) => {
    const haystack = ` ${queryWords([v.label, v.id, v.atcCode, v.atcLabel, ...v.diseases, ...v.cip13].join(' ')).join(' ')}`;
    return words.every((w) => haystack.includes(` ${w}`));
  });
}
