import { randomUUID } from 'node:crypto';
import { createRecordReader, parseHeader, validateRow, type ColumnMap, type CsvRecord, type InsuredRow as CsvRow } from '../../domain/population/index.js';
import { AppError } from '../../errors.js';
import type { AccountsDeps } from './context.js';
import { recordEvents } from './lifecycle.js';
import { issueCodes, sendNotices } from './notices.js';
import { formatCode } from '../../domain/accounts/index.js';
import { DAY_MS } from '../clock.js';
import { uuidv7 } from '../ids.js';

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

const BATCH = 5000;
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

  const noticesSent = { emailed: 0, letters: 0 };
  // one batch in the database while the next one is read and validated
  let pending: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch.map((b) => b.row);
    batch = [];
    inBatch.clear();
    await pending;
    pending = upsertBatch(deps, id, rows).then(({ created, updated, emailed, letters }) => {
      progress.created += created;
      progress.updated += updated;
      noticesSent.emailed += emailed;
      noticesSent.letters += letters;
      onProgress?.({ ...progress });
    });
    pending.catch(() => undefined); // observed at the next await
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
    // a multi-byte character may be split between two chunks: decode as a stream
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of source) await take(reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
    await take(reader.push(decoder.decode()));
    await take(reader.end());
    if (!columns) throw new AppError(400, 'invalid', 'The file is empty: a header row is required').withCode('population.empty');
  } catch (err) {
    // a file refused as a whole (empty, bad header) loaded nothing: it leaves no import behind either
    if (!columns) await deps.db.query('DELETE FROM population_import WHERE id = $1', [id]);
    throw err;
  }
  await flush();
  await pending;

  // a large import changes the table's statistics: without fresh ones the notice queries are planned
  // for an empty table (nested loops over the whole population)
  if (progress.created > 10_000) await deps.db.query('ANALYZE insured');
  const leftovers = await sendNotices(deps, { importId: id });
  const notices = { emailed: noticesSent.emailed + leftovers.emailed, letters: noticesSent.letters + leftovers.letters, children: leftovers.children };
  await deps.db.query(
    `UPDATE population_import SET finished_at = $2, rows_total = $3, created = $4, updated = $5, failed = $6, errors = $7 WHERE id = $1`,
    [id, deps.clock.now(), progress.rows, progress.created, progress.updated, progress.failed, JSON.stringify(errors)],
  );
  return { id, fileName: meta.fileName, ...progress, errors, notices, seconds: (Date.now() - started) / 1000 };
}

/**
 * One transaction per batch: known NIRs are updated in place (their state is kept); new people are inserted,
 * and those who get their notice by e-mail (adults with an address) are inserted `notified` at once, with
 * their code, their e-mail and their deadline; adults without an address wait for the letters; children
 * follow their parent after the whole file (`sendNotices`).
 */
async function upsertBatch(deps: AccountsDeps, importId: string, rows: CsvRow[]): Promise<{ created: number; updated: number; emailed: number; letters: number }> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const dueAt = new Date(now.getTime() + deps.config.optOutWindowDays * DAY_MS);
    const { rows: result } = await tx.query<{ id: string; nir: string; inserted: boolean; state: string }>(
      `INSERT INTO insured (id, nir, ins_oid, birth_name, first_given_name, given_names, used_name, birth_date, sex,
                            birth_place, vitale_serial, email, phone, address, covered_by_nir, state, state_since,
                            import_id, updated_at, due_at, notice_channel, notified_at)
       SELECT r.*,
              CASE WHEN r.email IS NOT NULL AND r.covered_by_nir IS NULL THEN 'notified' ELSE 'imported' END,
              $16::timestamptz, $17::uuid, $16::timestamptz,
              CASE WHEN r.email IS NOT NULL AND r.covered_by_nir IS NULL THEN $18::timestamptz END,
              CASE WHEN r.covered_by_nir IS NOT NULL THEN NULL WHEN r.email IS NOT NULL THEN 'email' ELSE 'letter' END,
              CASE WHEN r.email IS NOT NULL AND r.covered_by_nir IS NULL THEN $16::timestamptz END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[])
              AS r(id, nir, ins_oid, birth_name, first_given_name, given_names, used_name, birth_date, sex, birth_place,
                   vitale_serial, email, phone, address, covered_by_nir)
       ON CONFLICT (nir) DO UPDATE SET
         ins_oid = EXCLUDED.ins_oid, birth_name = EXCLUDED.birth_name, first_given_name = EXCLUDED.first_given_name,
         given_names = EXCLUDED.given_names, used_name = EXCLUDED.used_name, birth_date = EXCLUDED.birth_date,
         sex = EXCLUDED.sex, birth_place = EXCLUDED.birth_place, vitale_serial = EXCLUDED.vitale_serial,
         email = EXCLUDED.email, phone = EXCLUDED.phone, address = EXCLUDED.address,
         covered_by_nir = EXCLUDED.covered_by_nir, updated_at = EXCLUDED.updated_at
       WHERE (insured.ins_oid, insured.birth_name, insured.first_given_name, insured.given_names, insured.used_name,
              insured.birth_date, insured.sex, insured.birth_place, insured.vitale_serial, insured.email, insured.phone,
              insured.address, insured.covered_by_nir)
             IS DISTINCT FROM
             (EXCLUDED.ins_oid, EXCLUDED.birth_name, EXCLUDED.first_given_name, EXCLUDED.given_names, EXCLUDED.used_name,
              EXCLUDED.birth_date, EXCLUDED.sex, EXCLUDED.birth_place, EXCLUDED.vitale_serial, EXCLUDED.email, EXCLUDED.phone,
              EXCLUDED.address, EXCLUDED.covered_by_nir)
       RETURNING id, nir, (xmax = 0) AS inserted, state`,
      [
        rows.map(() => uuidv7()),
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
        dueAt,
      ],
    );
    const byNir = new Map(rows.map((row) => [row.nir, row]));
    const inserted = result.filter((r) => r.inserted);
    const notified = inserted.filter((r) => r.state === 'notified');
    await recordEvents(
      tx,
      inserted.map((r) =>
        r.state === 'notified'
          ? { insuredId: r.id, from: null, to: 'notified', actor: `import:${importId}`, reason: 'imported, notice sent by e-mail' }
          : { insuredId: r.id, from: null, to: 'imported', actor: `import:${importId}`, reason: null },
      ),
      now,
    );
    if (notified.length) {
      const codes = await issueCodes(tx, deps, notified.map((r) => r.id), now);
      await deps.mailer.enqueue(
        tx,
        notified.map((r) => {
          const row = byNir.get(r.nir)!;
          return {
            to: row.email!,
            template: 'optout-notice' as const,
            params: { insuredId: r.id, givenName: row.traits.firstGivenName, familyName: row.traits.birthName, code: formatCode(codes.get(r.id)!), opensOn: dueAt.toISOString() },
          };
        }),
      );
    }
    const letters = inserted.filter((r) => r.state === 'imported' && !byNir.get(r.nir)?.coveredByNir && !byNir.get(r.nir)?.email).length;
    // a known NIR counts as updated, whether its row changed or was already the same (then left untouched)
    return { created: inserted.length, updated: rows.length - inserted.length, emailed: notified.length, letters };
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
