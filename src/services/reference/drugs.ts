import type { Db, Queryable } from '../../db/index.js';
import { cip13Problem } from '../../domain/reference/cip.js';
import { queryWords } from '../../domain/reference/search-name.js';
import { refusal } from '../../errors.js';
import type { Drug } from '../../domain/reference/types.js';

const MAX_RESULTS = 30;

interface ProductRow {
  cis: string;
  name: string;
  form: string;
  marketed: boolean;
}
interface PresentationRow {
  cis: string;
  cip13: string;
  label: string;
  marketed: boolean;
}

/**
 * Looks drugs up in the BDPM tables: by CIP13 (13 digits, checked on its EAN-13 key: 422 treatments.cip-invalid
 * naming q), by CIP7 (7 digits, never checked on a key), otherwise by name (every word of q is the prefix of a
 * word of the name, without regard to case or accents). Marketed products come first, then by name.
 */
export async function searchDrugs(db: Queryable | Db, q: string): Promise<Drug[]> {
  const query = q.trim();
  if (/^\d{13}$/.test(query)) {
    const problem = cip13Problem(query);
    if (problem) throw cipInvalid(problem);
    return drugsOf(db, `WHERE cis IN (SELECT cis FROM drug_presentation WHERE cip13 = $1)`, [query]);
  }
  if (/^\d{7}$/.test(query)) {
    const byCip7 = await drugsOf(db, `WHERE cis IN (SELECT cis FROM drug_presentation WHERE cip7 = $1)`, [query]);
    if (byCip7.length > 0) return byCip7;
  }
  const words = queryWords(query).slice(0, 8);
  if (words.length === 0) return [];
  const params: unknown[] = [];
  const conditions = words.map((w) => {
    params.push(`${escapeLike(w)}%`, `% ${escapeLike(w)}%`);
    return `(search_name LIKE $${params.length - 1} OR search_name LIKE $${params.length})`;
  });
  return drugsOf(
    db,
    `WHERE ${conditions.join(' AND ')}`,
    params,
  );
}

function cipInvalid(problem: string) {
  const err = refusal(
    422,
    'treatments.cip-invalid',
    problem === 'check-digit' ? 'q: the CIP13 check digit is wrong' : 'q: a CIP13 is 13 digits starting with 34009',
  );
  err.issues[0]!.expression = ['q'];
  return err;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The drugs (with their presentations) that the WHERE clause selects: marketed first, then by name. */
async function drugsOf(db: Queryable, where: string, params: unknown[]): Promise<Drug[]> {
  const products = await db.query<ProductRow>(
    `SELECT cis, name, form, marketed FROM drug_product ${where}
      ORDER BY marketed DESC, search_name, cis LIMIT ${MAX_RESULTS}`,
    params,
  );
  if (products.rows.length === 0) return [];
  const cisList = products.rows.map((r) => r.cis);
  const presentations = await db.query<PresentationRow>(
    `SELECT cis, cip13, label, marketed FROM drug_presentation WHERE cis = ANY($1::text[])
      ORDER BY marketed DESC, label, cip13`,
    [cisList],
  );
  const byCis = new Map<string, Drug['presentations']>();
  for (const p of presentations.rows) {
    const list = byCis.get(p.cis) ?? [];
    list.push({ cip13: p.cip13, label: p.label, marketed: p.marketed });
    byCis.set(p.cis, list);
  }
  return products.rows.map((r) => ({ cis: r.cis, name: r.name, form: r.form, marketed: r.marketed, presentations: byCis.get(r.cis) ?? [] }));
}
