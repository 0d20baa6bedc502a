import type { Db, Queryable } from '../../db/index.js';
import type { BdpmPresentation, BdpmProduct } from '../../domain/reference/bdpm.js';
import { searchName } from '../../domain/reference/search-name.js';
import type { ReferenceDataset, ReferenceDatasetId } from '../../domain/reference/types.js';
import type { VaccineList } from '../../domain/reference/vaccines.js';

export const BDPM_SOURCE = 'Base de données publique des médicaments (ANSM, HAS, UNCAM), base-donnees-publique.medicaments.gouv.fr, Licence Ouverte 2.0';

export interface DatasetMeta {
  source: string;
  /** The date of the data as its publisher gives it (YYYY-MM-DD). */
  version: string;
  /** 'carnet' for the shipped files, the operator's login, or 'cli'. */
  loadedBy: string;
  loadedAt: Date;
}

export interface BdpmReplacement {
  /** CIS_bdpm.txt: replaces every product (and drops the presentations of products no longer listed). */
  products?: BdpmProduct[];
  /** CIS_CIP_bdpm.txt: replaces every presentation. */
  presentations?: BdpmPresentation[];
}

export interface BdpmImportReport {
  dataset: ReferenceDataset;
  products: number;
  presentations: number;
  /** Presentations left out because their product (CIS) is not in the products. */
  orphans: number;
}

interface DatasetRow {
  id: ReferenceDatasetId;
  source: string;
  version: string;
  loaded_at: Date;
  loaded_by: string;
  row_count: number;
}

function view(r: DatasetRow): ReferenceDataset {
  return { id: r.id, source: r.source, version: r.version, loadedAt: new Date(r.loaded_at).toISOString(), loadedBy: r.loaded_by, rowCount: r.row_count };
}

export async function listDatasets(db: Queryable): Promise<ReferenceDataset[]> {
  const { rows } = await db.query<DatasetRow>(`SELECT id, source, version, loaded_at, loaded_by, row_count FROM reference_dataset ORDER BY id`);
  return rows.map(view);
}

async function recordDataset(q: Queryable, id: ReferenceDatasetId, meta: DatasetMeta, rowCount: number): Promise<ReferenceDataset> {
  const { rows } = await q.query<DatasetRow>(
    `INSERT INTO reference_dataset (id, source, version, loaded_at, loaded_by, row_count) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET source = EXCLUDED.source, version = EXCLUDED.version, loaded_at = EXCLUDED.loaded_at,
       loaded_by = EXCLUDED.loaded_by, row_count = EXCLUDED.row_count
     RETURNING id, source, version, loaded_at, loaded_by, row_count`,
    [id, meta.source, meta.version, meta.loadedAt, meta.loadedBy, rowCount],
  );
  return view(rows[0]!);
}

async function insertProducts(q: Queryable, products: readonly BdpmProduct[]): Promise<void> {
  await q.query(`DELETE FROM drug_product`);
  if (products.length === 0) return;
  await q.query(
    `INSERT INTO drug_product (cis, name, search_name, form, routes, marketed, holder)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[])`,
    [
      products.map((p) => p.cis),
      products.map((p) => p.name),
      products.map((p) => searchName(p.name)),
      products.map((p) => p.form),
      products.map((p) => p.routes.join(';')),
      products.map((p) => p.marketed),
      products.map((p) => p.holders.join(';')),
    ],
  );
}

async function insertPresentations(q: Queryable, presentations: readonly BdpmPresentation[]): Promise<void> {
  await q.query(`DELETE FROM drug_presentation`);
  if (presentations.length === 0) return;
  await q.query(
    `INSERT INTO drug_presentation (cip13, cip7, cis, label, marketed)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[])`,
    [presentations.map((p) => p.cip13), presentations.map((p) => p.cip7), presentations.map((p) => p.cis), presentations.map((p) => p.label), presentations.map((p) => p.marketed)],
  );
}

/**
 * Replaces the drug database (products, presentations or both) in one transaction: either everything is
 * replaced and the dataset's provenance recorded, or nothing changes.
 */
export async function replaceBdpm(db: Db, data: BdpmReplacement, meta: DatasetMeta): Promise<BdpmImportReport> {
  return db.transaction(async (tx) => {
    if (data.products) await insertProducts(tx, data.products);
    let orphans = 0;
    if (data.presentations) {
      const known = data.products
        ? new Set(data.products.map((p) => p.cis))
        : new Set((await tx.query<{ cis: string }>(`SELECT cis FROM drug_product`)).rows.map((r) => r.cis));
      const kept = data.presentations.filter((p) => known.has(p.cis));
      orphans = data.presentations.length - kept.length;
      await insertPresentations(tx, kept);
    } else if (data.products) {
      await tx.query(`DELETE FROM drug_presentation p WHERE NOT EXISTS (SELECT 1 FROM drug_product d WHERE d.cis = p.cis)`);
    }
    const counts = (
      await tx.query<{ products: number; presentations: number }>(
        `SELECT (SELECT count(*)::int FROM drug_product) AS products, (SELECT count(*)::int FROM drug_presentation) AS presentations`,
      )
    ).rows[0]!;
    const dataset = await recordDataset(tx, 'bdpm', meta, counts.products);
    return { dataset, products: counts.products, presentations: counts.presentations, orphans };
  });
}

async function insertVaccines(q: Queryable, list: VaccineList): Promise<void> {
  await q.query(`DELETE FROM vaccine_ref`);
  const v = list.vaccines;
  // arrays of arrays do not travel through unnest: the CIP13 and diseases lists go as JSON
  await q.query(
    `INSERT INTO vaccine_ref (id, label, cis, cip13, atc_code, atc_label, diseases, marketed_from, marketed_to)
     SELECT t.id, t.label, t.cis,
            ARRAY(SELECT jsonb_array_elements_text(t.cip13)), t.atc_code, t.atc_label,
            ARRAY(SELECT jsonb_array_elements_text(t.diseases)), t.marketed_from, t.marketed_to
       FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::jsonb[], $8::date[], $9::date[])
         AS t(id, label, cis, cip13, atc_code, atc_label, diseases, marketed_from, marketed_to)`,
    [
      v.map((x) => x.id),
      v.map((x) => x.label),
      v.map((x) => x.cis ?? null),
      v.map((x) => JSON.stringify(x.cip13)),
      v.map((x) => x.atcCode),
      v.map((x) => x.atcLabel),
      v.map((x) => JSON.stringify(x.diseases)),
      v.map((x) => x.marketedFrom ?? null),
      v.map((x) => x.marketedTo ?? null),
    ],
  );
}

/** Replaces the vaccine reference list in one transaction, recording its provenance. */
export async function replaceVaccines(db: Db, list: VaccineList, meta: Omit<DatasetMeta, 'source' | 'version'>): Promise<ReferenceDataset> {
  return db.transaction(async (tx) => {
    await insertVaccines(tx, list);
    return recordDataset(tx, 'vaccines', { ...meta, source: list.source, version: list.version }, list.vaccines.length);
  });
}

/** For the first start: loads a dataset unless one is already recorded (a concurrent start waits, then skips). */
export async function loadDatasetOnce(
  db: Db,
  id: ReferenceDatasetId,
  meta: DatasetMeta,
  fill: (q: Queryable) => Promise<number>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO reference_dataset (id, source, version, loaded_at, loaded_by, row_count) VALUES ($1, $2, $3, $4, $5, 0)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, meta.source, meta.version, meta.loadedAt, meta.loadedBy],
    );
    if (claimed.rows.length === 0) return false;
    const count = await fill(tx);
    await tx.query(`UPDATE reference_dataset SET row_count = $2 WHERE id = $1`, [id, count]);
    return true;
  });
}

export { insertProducts, insertPresentations, insertVaccines };
