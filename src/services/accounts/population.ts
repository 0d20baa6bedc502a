import { randomUUID } from 'node:crypto';
import { createRecordReader, parseHeader, validateRow, type ColumnMap, type CsvRecord, type InsuredRow as CsvRow } from '../../domain/population/index.js';
import { AppError } from '../../errors.js';
import type { AccountsDeps } from './context.js';
import { recordEvents } from './lifecycle.js';
import { sendNotices } from './notices.js';

/**
 * Loading the insured population from a CSV file (docs/population-file.md). Rows are upserted by NIR (a
 * re-import updates the person, never duplicates them, and keeps their state); bad rows are reported with
 * their line and reason while the good ones load. New people then get their notices (`sendNotices`).
 */
export interface ImportProgress {
  rows: number;
  created: number;
  updated: number;
  failed: number;
}

export interface PopulationImportReport extends ImportProgress {
  id: string;
  fileName: string;
  errors: { line: number; reason: string }[];
  notices: { emailed: number; letters: number; children: number };
  seconds: number;
}

const BATCH = 2000;
/** Failures kept in the report (all are counted). */
const MAX_ERRORS = 1000;

export async function importPopulation(
  deps: AccountsDeps,
  source: AsyncIterable<string | Buffer> | Iterable<string>,
  meta: { fileName: string; actor: string },
  onProgress?: (p: ImportProgress) => void,
): Promise<PopulationImportReport> {
  const started = Date.now();
  const id = randomUUID();
  await deps.db.query(
    'INSERT INTO population_import (id, file_name, actor, started_at) VALUES ($1, $2, $3, $4)',
    [id, meta.fileName, meta.actor, deps.clock.now()],
  );
  const progress: ImportProgress = { rows: 0, created: 0, updated: 0, failed: 0 };
  const errors: { line: number; reason: string }[] = [];
  const fail = (line: number, reason: string) => {
    progress.failed++;
    if (errors.length < MAX_ERRORS) errors.push({ line, reason });
  };
  let columns: ColumnMap | undefined;
  let batch: { line: number; row: CsvRow }[] = [];
  const inBatch = new Set<string>();
  const today = deps.clock.now();

  const flush = async () => {
    if (batch.length === 0) return;
    const { created, updated } = await upsertBatch(deps, id, batch.map((b) => b.row));
    progress.created += created;
    progress.updated += updated;
    batch = [];
    inBatch.clear();
    onProgress?.({ ...progress });
  };

  const take = async (records: CsvRecord[]) => {
    for (const r of records) {
      if (!columns) {
        const header = parseHeader(r.fields);
        if (!header.ok) throw new AppError(400, 'invalid', `Line ${r.line}: ${header.error}`).withCode('population.bad-header');
        columns = header.columns;
        continue;
      }
      if (r.fields.length === 1 && r.fields[0]!.trim() === '' && !r.error) continue; // blank line
      progress.rows++;
      // a malformed record (text after a closing quote, an unclosed quote) is refused, never loaded as read
      if (r.error) {
        fail(r.line, r.error);
        continue;
      }
      const v = validateRow(r.fields, columns, today);
      if (!v.ok) {
        fail(r.line, v.reason);
        continue;
      }
      // the same NIR twice in a batch: the later row wins, as it would across batches
      if (inBatch.has(v.row.nir)) await flush();
      inBatch.add(v.row.nir);
      batch.push({ line: r.line, row: v.row });
      if (batch.length >= BATCH) await flush();
    }
  };

  try {
    const reader = createRecordReader();
    for await (const chunk of source) await take(reader.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    await take(reader.end());
    if (!columns) throw new AppError(400, 'invalid', 'The file is empty: a header row is required').withCode('population.empty');
  } catch (err) {
    // a file refused as a whole (empty, bad header) loaded nothing: it leaves no import behind either
    if (!columns) await deps.db.query('DELETE FROM population_import WHERE id = $1', [id]);
    throw err;
  }
  await flush();

  const notices = await sendNotices(deps, { importId: id });
  await deps.db.query(
    `UPDATE population_import SET finished_at = $2, rows_total = $3, created = $4, updated = $5, failed = $6, errors = $7 WHERE id = $1`,
    [id, deps.clock.now(), progress.rows, progress.created, progress.updated, progress.failed, JSON.stringify(errors)],
  );
  return { id, fileName: meta.fileName, ...progress, errors, notices, seconds: (Date.now() - started) / 1000 };
}

/** One statement per batch: new people are inserted in state `imported`, known NIRs are updated in place. */
async function upsertBatch(deps: AccountsDeps, importId: string, rows: CsvRow[]): Promise<{ created: number; updated: number }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const { rows: result } = await tx.query<{ id: string; inserted: boolean }>(
      `INSERT INTO insured (id, nir, ins_oid, birth_name, first_given_name, given_names, used_name, birth_date, sex,
                            birth_place, vitale_serial, email, phone, address, covered_by_nir, state, state_since,
                            import_id, updated_at)
       SELECT r.*, 'imported', $16::timestamptz, $17::uuid, $16::timestamptz
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[]) AS r
       ON CONFLICT (nir) DO UPDATE SET
         ins_oid = EXCLUDED.ins_oid, birth_name = EXCLUDED.birth_name, first_given_name = EXCLUDED.first_given_name,
         given_names = EXCLUDED.given_names, used_name = EXCLUDED.used_name, birth_date = EXCLUDED.birth_date,
         sex = EXCLUDED.sex, birth_place = EXCLUDED.birth_place, vitale_serial = EXCLUDED.vitale_serial,
         email = EXCLUDED.email, phone = EXCLUDED.phone, address = EXCLUDED.address,
         covered_by_nir = EXCLUDED.covered_by_nir, updated_at = EXCLUDED.updated_at
       RETURNING id, (xmax = 0) AS inserted`,
      [
        rows.map(() => randomUUID()),
        rows.map((r) => r.nir),
        rows.map((r) => r.insOid),
        rows.map((r) => r.traits.birthName),
        rows.map((r) => r.traits.firstGivenName),
        rows.map((r) => r.traits.givenNames.join(' ')),
        rows.map((r) => r.usedName ?? null),
        rows.map((r) => r.traits.birthDate),
        rows.map((r) => r.traits.sex),
        rows.map((r) => r.traits.birthPlaceCode),
        rows.map((r) => r.vitaleSerial ?? null),
        rows.map((r) => r.email ?? null),
        rows.map((r) => r.phone ?? null),
        rows.map((r) => JSON.stringify(r.address)),
        rows.map((r) => r.coveredByNir ?? null),
        now,
        importId,
      ],
    );
    const inserted = result.filter((r) => r.inserted);
    await recordEvents(tx, inserted.map((r) => ({ insuredId: r.id, from: null, to: 'imported', actor: `import:${importId}`, reason: null })), now);
    return { created: inserted.length, updated: result.length - inserted.length };
  });
}

/** The imports, newest first; times as ISO 8601 whatever the driver returns. */
export async function listImports(deps: AccountsDeps, limit = 50) {
  const { rows } = await deps.db.query<{ startedAt: Date | string; finishedAt: Date | string | null } & Record<string, unknown>>(
    `SELECT id, file_name AS "fileName", actor, started_at AS "startedAt", finished_at AS "finishedAt", rows_total AS rows,
            created, updated, failed, errors FROM population_import ORDER BY started_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    ...r,
    startedAt: new Date(r.startedAt).toISOString(),
    finishedAt: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
  }));
}

export async function populationStats(deps: AccountsDeps): Promise<{ byState: Record<string, number>; total: number }> {
  const { rows } = await deps.db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM insured GROUP BY state');
  const byState: Record<string, number> = {};
  for (const s of ['imported', 'notified', 'opposed', 'open', 'active', 'suspended', 'closed', 'deleted']) byState[s] = 0;
  for (const r of rows) byState[r.state] = Number(r.n);
  return { byState, total: Object.values(byState).reduce((a, b) => a + b, 0) };
}
