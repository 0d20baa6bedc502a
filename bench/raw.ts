/**
 * The physical reference: how fast the database itself takes the very rows Carnet stored, with no FHIR,
 * no validation, no access check and no audit. The rows are read back from `resource` (so they carry
 * whatever search columns the current schema extracts) in the order they were imported, and written into a
 * scratch table created `LIKE resource INCLUDING ALL` (same columns, defaults and indexes), which is dropped
 * afterwards. Multi-row INSERT (1,000 rows a statement, typed with unnest) always; COPY FROM STDIN on
 * PostgreSQL when the `pg-copy-streams` package is installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import pg from 'pg';
import type { Db, Queryable } from '../src/db/index.js';

export interface RawResult {
  rows: number;
  /** Seconds spent in the INSERT (or COPY) statements only. */
  seconds: number;
  /** Per-statement latencies, ms (INSERT only). */
  latencies: number[];
}

export interface RawReport {
  insert: RawResult;
  copy?: RawResult;
  /** Why COPY was not measured. */
  copySkipped?: string;
}

interface Column {
  name: string;
  type: string;
}

const SCRATCH = 'bench_raw';
const SCRATCH_COPY = 'bench_raw_copy';

async function insertableColumns(db: Queryable): Promise<Column[]> {
  const { rows } = await db.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a
      WHERE a.attrelid = 'resource'::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
  );
  return rows;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The resource type and id of each NDJSON line of the files, in order, in batches. */
async function* keysOf(files: string[], batch: number): AsyncGenerator<{ types: string[]; ids: string[] }> {
  let types: string[] = [];
  let ids: string[] = [];
  for (const file of files) {
    const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const r = JSON.parse(line) as { resourceType: string; id: string };
      if (r.resourceType === 'Practitioner') continue; // shared data: not in `resource`
      types.push(r.resourceType);
      ids.push(r.id);
      if (ids.length >= batch) {
        yield { types, ids };
        types = [];
        ids = [];
      }
    }
  }
  if (ids.length > 0) yield { types, ids };
}

/** COPY text format: backslash, tab, newline and carriage return escaped; NULL as \N. */
function copyField(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

type CopyFrom = (sql: string) => NodeJS.WritableStream;

async function loadCopyFrom(): Promise<CopyFrom | undefined> {
  const name = 'pg-copy-streams';
  try {
    const mod = (await import(name)) as { from?: CopyFrom; default?: { from?: CopyFrom } };
    return mod.from ?? mod.default?.from;
  } catch {
    return undefined;
  }
}

/**
 * Writes the stored rows of the resources in the NDJSON files into the scratch table(s), timing only the
 * writes. Fails if a resource of the files is not stored.
 */
export async function rawReference(db: Db, files: string[], workDir: string, batch = 1000): Promise<RawReport> {
  const columns = await insertableColumns(db);
  const names = columns.map((c) => quote(c.name)).join(', ');
  const select = columns.map((c, i) => `r.${quote(c.name)}::text AS c${i}`).join(', ');
  const casts = columns.map((c, i) => `u.c${i}::${c.type}`).join(', ');
  const unnest = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  const insertSql = `INSERT INTO ${SCRATCH} (${names}) SELECT ${casts} FROM unnest(${unnest}) AS u(${aliases})`;
  const fetchSql = `SELECT ${select}
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(t, i, n)
       JOIN resource r ON r.resource_type = k.t AND r.id = k.i
      ORDER BY k.n`;

  const copyFrom = db.kind === 'postgres' ? await loadCopyFrom() : undefined;
  const copySkipped =
    db.kind !== 'postgres'
      ? 'COPY FROM STDIN is not available through the embedded store’s driver'
      : copyFrom
        ? undefined
        : 'pg-copy-streams is not installed: COPY not measured, multi-row INSERT only';
  const copyFile = path.join(workDir, 'raw.copy');
  const copyOut = copyFrom ? fs.createWriteStream(copyFile) : undefined;

  await db.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
  await db.query(`DROP TABLE IF EXISTS ${SCRATCH_COPY}`);
  await db.query(`CREATE TABLE ${SCRATCH} (LIKE resource INCLUDING ALL)`);
  try {
    const insert: RawResult = { rows: 0, seconds: 0, latencies: [] };
    for await (const keys of keysOf(files, batch)) {
      const { rows } = await db.query<Record<string, string | null>>(fetchSql, [keys.types, keys.ids]);
      const stored = rows.map((row) => columns.map((_, i) => row[`c${i}`] ?? null));
      if (stored.length !== keys.ids.length) {
        throw new Error(`raw reference: ${keys.ids.length - stored.length} of ${keys.ids.length} imported resources are not in the store`);
      }
      const params = columns.map((_, i) => stored.map((row) => row[i] ?? null));
      const t0 = performance.now();
      await db.query(insertSql, params);
      const ms = performance.now() - t0;
      insert.latencies.push(ms);
      insert.seconds += ms / 1000;
      insert.rows += stored.length;
      if (copyOut) {
        const text = stored.map((row) => row.map(copyField).join('\t')).join('\n') + '\n';
        if (!copyOut.write(text)) await once(copyOut, 'drain');
      }
    }
    const report: RawReport = { insert, ...(copySkipped ? { copySkipped } : {}) };
    if (copyOut && copyFrom) {
      copyOut.end();
      await once(copyOut, 'finish');
      await db.query(`CREATE TABLE ${SCRATCH_COPY} (LIKE resource INCLUDING ALL)`);
      const t0 = performance.now();
      // COPY needs a pg client of its own (the Db interface runs parameterised statements only)
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        const stream = client.query(copyFrom(`COPY ${SCRATCH_COPY} (${names}) FROM STDIN`) as unknown as pg.QueryConfig) as unknown as NodeJS.WritableStream;
        const done = new Promise<void>((resolve, reject) => {
          stream.on('finish', () => resolve());
          stream.on('error', reject);
        });
        fs.createReadStream(copyFile).on('error', (err) => stream.emit('error', err)).pipe(stream);
        await done;
      } finally {
        await client.end();
      }
      const seconds = (performance.now() - t0) / 1000;
      report.copy = { rows: insert.rows, seconds, latencies: [] };
    }
    return report;
  } finally {
    copyOut?.destroy();
    fs.rmSync(copyFile, { force: true });
    await db.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
    await db.query(`DROP TABLE IF EXISTS ${SCRATCH_COPY}`);
  }
}
