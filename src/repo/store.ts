import type { Queryable, Statement } from '../db/index.js';
import type { SearchIndex } from '../fhir/search/extract.js';
import type { Filter, SortKey } from '../fhir/search/parse.js';
import { afterCursor, rowCondition, SqlParams, searchBranches, sortExpression, type Scope } from './search-sql.js';

export type { Scope } from './search-sql.js';

/**
 * The SQL of the resource tables. Only the repository calls it: it never checks access by itself.
 * Patient data goes to `resource`/`resource_history`, the rest to `shared_resource`/`shared_resource_history`.
 */

export interface StoredVersion {
  patientId: string | null;
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  /** The resource as JSON text, null for a deleted version. */
  content: string | null;
  /** Search results: the values of the sort keys, for the cursor of the next page. */
  keys?: string[];
}

interface Row {
  patient_id: string | null;
  resource_type: string;
  id: string;
  version_id: string;
  last_updated: string;
  deleted: boolean;
  content: string | null;
}

const COLUMNS = `resource_type, id, version_id, to_json(last_updated) #>> '{}' AS last_updated, deleted, content::text AS content`;

function toVersion(r: Row): StoredVersion {
  return {
    patientId: r.patient_id,
    resourceType: r.resource_type,
    id: r.id,
    versionId: Number(r.version_id),
    lastUpdated: r.last_updated,
    deleted: r.deleted,
    content: r.content,
  };
}

/** Serialises writers of one resource (and conditional creates of one query) until the transaction ends. */
export async function lockKey(q: Queryable, key: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

/** Takes the locks of several keys at once, in a fixed order (no deadlock between two bulk writers). */
export async function lockKeys(q: Queryable, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query('SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS s', [keys]);
}

/** The current versions of several resources (without content). */
export async function findCurrentMany(q: Queryable, refs: { type: string; id: string }[]): Promise<StoredVersion[]> {
  if (refs.length === 0) return [];
  const cols = `resource_type, id, version_id, to_json(last_updated) #>> '{}' AS last_updated, deleted, NULL AS content`;
  const { rows } = await q.query<Row>(
    `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) AS w(resource_type, id))
     SELECT patient_id, ${cols} FROM resource WHERE (resource_type, id) IN (SELECT resource_type, id FROM wanted)
     UNION ALL
     SELECT NULL AS patient_id, ${cols} FROM shared_resource WHERE (resource_type, id) IN (SELECT resource_type, id FROM wanted)`,
    [refs.map((r) => r.type), refs.map((r) => r.id)],
  );
  return rows.map(toVersion);
}

export async function findCurrent(q: Queryable, type: string, id: string): Promise<StoredVersion | undefined> {
  const { rows } = await q.query<Row>(
    `SELECT patient_id, ${COLUMNS} FROM resource WHERE resource_type = $1 AND id = $2
     UNION ALL
     SELECT NULL AS patient_id, ${COLUMNS} FROM shared_resource WHERE resource_type = $1 AND id = $2`,
    [type, id],
  );
  return rows[0] ? toVersion(rows[0]) : undefined;
}

export async function findVersion(
  q: Queryable,
  type: string,
  id: string,
  versionId: number,
): Promise<StoredVersion | undefined> {
  const { rows } = await q.query<Row>(
    `SELECT patient_id, ${COLUMNS} FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3
     UNION ALL
     SELECT NULL AS patient_id, ${COLUMNS} FROM shared_resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3`,
    [type, id, versionId],
  );
  return rows[0] ? toVersion(rows[0]) : undefined;
}

export interface Page {
  count: number;
  since?: string;
  /** Continue after this entry (ordering is newest first). */
  after?: { lastUpdated: string; id: string; versionId: number };
}

/** History pages go newest first on (last_updated, id, version_id), which never changes for a version. */
const ORDER = 'last_updated DESC, id DESC, version_id DESC';

/**
 * One page over the patient table and/or the shared table. Each branch is ordered and limited on its own
 * (so that indexes serve it), the page is cut from their union, and only then is the content of the page's
 * rows fetched.
 */
async function pageOf(
  q: Queryable,
  branches: { shared: boolean; where: string[] }[],
  page: Page,
  params: unknown[],
): Promise<StoredVersion[]> {
  if (branches.length === 0) return [];
  const pageConds: string[] = [];
  if (page.since) {
    params.push(page.since);
    pageConds.push(`last_updated >= $${params.length}::timestamptz`);
  }
  if (page.after) {
    params.push(page.after.lastUpdated, page.after.id, page.after.versionId);
    const n = params.length;
    pageConds.push(`(last_updated, id, version_id) < ($${n - 2}::timestamptz, $${n - 1}, $${n}::bigint)`);
  }
  const order = ORDER;
  const limit = page.count + 1;
  const table = (shared: boolean) => `${shared ? 'shared_resource' : 'resource'}_history`;
  const union = branches
    .map(
      (b) => `(SELECT ${b.shared ? "'s' AS src, NULL::text AS patient_id" : "'p' AS src, patient_id"}, resource_type, id, version_id, last_updated
                FROM ${table(b.shared)} WHERE ${[...b.where, ...pageConds].join(' AND ')}
                ORDER BY ${order} LIMIT ${limit})`,
    )
    .join(' UNION ALL ');
  const versionJoin = ' AND x.version_id = page.version_id';
  const { rows } = await q.query<Row>(
    `WITH page AS (SELECT * FROM (${union}) u ORDER BY ${order} LIMIT ${limit})
     SELECT page.patient_id, page.resource_type, page.id, page.version_id,
            to_json(page.last_updated) #>> '{}' AS last_updated,
            COALESCE(p.deleted, s.deleted) AS deleted, COALESCE(p.content, s.content)::text AS content
       FROM page
       LEFT JOIN ${table(false)} p ON page.src = 'p' AND p.patient_id = page.patient_id
            AND p.resource_type = page.resource_type AND p.id = page.id${versionJoin.replaceAll('x.', 'p.')}
       LEFT JOIN ${table(true)} s ON page.src = 's'
            AND s.resource_type = page.resource_type AND s.id = page.id${versionJoin.replaceAll('x.', 's.')}
      ORDER BY ${order.replace(/(\w+)( DESC)?/g, 'page.$1$2')}`,
    params,
  );
  return rows.map(toVersion);
}

/** The patient-table branch of a scope, or none when the scope has no patient. */
function patientBranch(patients: readonly string[] | 'all', where: string[], params: unknown[]): { shared: boolean; where: string[] }[] {
  if (patients === 'all') return [{ shared: false, where }];
  if (patients.length === 0) return [];
  params.push(patients);
  return [{ shared: false, where: [...where, `patient_id = ANY($${params.length}::text[])`] }];
}

/** Every version of one resource, newest first. */
export async function instanceHistory(q: Queryable, type: string, id: string, page: Page): Promise<StoredVersion[]> {
  const where = ['resource_type = $1', 'id = $2'];
  return pageOf(q, [{ shared: false, where }, { shared: true, where }], page, [type, id]);
}

/** Every version of every resource of a type within a scope, newest first. */
export async function typeHistory(q: Queryable, type: string, scope: Scope, page: Page): Promise<StoredVersion[]> {
  const params: unknown[] = [type];
  const where = ['resource_type = $1'];
  const branches = [...patientBranch(scope.patientIds, where, params), ...(scope.shared ? [{ shared: true, where }] : [])];
  return pageOf(q, branches, page, params);
}

export interface SearchQuery {
  type: string;
  scope: Scope;
  /** The scope of the caller on other types (chained criteria). */
  scopeFor: (type: string) => Scope;
  filters: Filter[];
  sort: SortKey[];
  count: number;
  /** Sort values and id of the last entry of the previous page. */
  after?: string[];
  since?: string;
}

/**
 * One page of current, non-deleted resources matching a search, in the order of its sort keys (the last is
 * always the id). Each table's branch is ordered and limited on its own, the page is cut from their union,
 * and only then is the content of the page's rows fetched. Paging is by keyset: rows after the last one
 * returned, so that writes between two pages neither shift nor repeat entries.
 */
export async function searchCurrent(q: Queryable, query: SearchQuery): Promise<StoredVersion[]> {
  const p = new SqlParams();
  const branches = searchBranches(query.type, query.filters, query.scope, query.scopeFor, p, query.since);
  if (branches.length === 0) return [];
  const keys = query.sort.map((k) => ({ ...sortExpression(k, p), desc: k.desc }));
  const after = query.after ? [afterCursor(keys, query.after, p)] : [];
  const limit = query.count + 1;
  const order = (prefix: string) => keys.map((k, i) => `${prefix}k${i}${k.desc ? ' DESC' : ''}`).join(', ');
  const keyColumns = keys.map((k, i) => `${k.expr} AS k${i}`).join(', ');
  const union = branches
    .map(
      (b) => `(SELECT ${b.shared ? "'s' AS src, NULL::text AS patient_id" : "'p' AS src, patient_id"}, resource_type, id, version_id, last_updated, ${keyColumns}
                FROM ${b.shared ? 'shared_resource' : 'resource'} WHERE ${[...b.where, ...after].join(' AND ')}
                ORDER BY ${order('')} LIMIT ${limit})`,
    )
    .join(' UNION ALL ');
  const { rows } = await q.query<Row & Record<string, string>>(
    `WITH page AS (SELECT * FROM (${union}) u ORDER BY ${order('')} LIMIT ${limit})
     SELECT page.patient_id, page.resource_type, page.id, page.version_id,
            to_json(page.last_updated) #>> '{}' AS last_updated, false AS deleted,
            COALESCE(p.content, s.content)::text AS content, ${keys.map((_, i) => `to_json(page.k${i}) #>> '{}' AS k${i}`).join(', ')}
       FROM page
       -- last_updated too: whichever of the two indexes the planner picks, the row is found directly (on the
       -- (patient_id, resource_type, last_updated) index alone it once scanned a record's whole type per row)
       LEFT JOIN resource p ON page.src = 'p' AND p.patient_id = page.patient_id AND p.resource_type = page.resource_type AND p.id = page.id
                            AND p.last_updated = page.last_updated
       LEFT JOIN shared_resource s ON page.src = 's' AND s.resource_type = page.resource_type AND s.id = page.id
      ORDER BY ${order('page.')}`,
    p.values,
  );
  return rows.map((r) => ({ ...toVersion(r), keys: keys.map((_, i) => r[`k${i}`]!) }));
}

/** How many current resources match a search (for _total and _summary=count). */
export async function countCurrent(q: Queryable, query: SearchQuery): Promise<number> {
  const p = new SqlParams();
  const branches = searchBranches(query.type, query.filters, query.scope, query.scopeFor, p, query.since);
  if (branches.length === 0) return 0;
  const counts = branches.map((b) => `(SELECT count(*) FROM ${b.shared ? 'shared_resource' : 'resource'} WHERE ${b.where.join(' AND ')})`);
  const { rows } = await q.query<{ n: string }>(`SELECT ${counts.join(' + ')} AS n`, p.values);
  return Number(rows[0]!.n);
}

/**
 * Whether the current row of one resource of a record meets the scope's row rules (a document the reader may
 * see): the same SQL as searches use, so that a read and a search never disagree.
 */
export async function rowVisible(q: Queryable, type: string, id: string, patientId: string, scope: Scope): Promise<boolean> {
  const p = new SqlParams();
  const cond = rowCondition(type, scope, p);
  // no rule given is no rule met: the caller decides the rule (Carnet itself does not come here)
  if (!cond) return false;
  const { rows } = await q.query(
    `SELECT 1 FROM resource WHERE patient_id = ${p.add(patientId)} AND resource_type = ${p.add(type)} AND id = ${p.add(id)} AND NOT deleted AND ${cond}`,
    p.values,
  );
  return rows.length > 0;
}

/** The content of the last version of a resource that was not its deletion. */
export async function lastContent(q: Queryable, type: string, id: string, patientId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ content: string }>(
    'SELECT content::text AS content FROM resource_history WHERE patient_id = $1 AND resource_type = $2 AND id = $3 AND NOT deleted ORDER BY version_id DESC LIMIT 1',
    [patientId, type, id],
  );
  return rows[0]?.content;
}

/** Whether the current row of a resource carries any of these tokens (who deposited a document). */
export async function hasAnyToken(q: Queryable, type: string, id: string, patientId: string, tokens: string[]): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM resource WHERE patient_id = $1 AND resource_type = $2 AND id = $3 AND tokens && $4::text[]', [patientId, type, id, tokens]);
  return rows.length > 0;
}

/** Current, non-deleted resources of a type by id, within a scope (_include). */
export async function findByIds(q: Queryable, type: string, ids: string[], scope: Scope): Promise<StoredVersion[]> {
  return findWhere(q, type, scope, (p) => `id = ANY(${p.add(ids, '::text[]')})`, ids.length);
}

/** Current, non-deleted resources of a type holding any of these reference tokens, within a scope (_revinclude). */
export async function findReferencing(q: Queryable, type: string, tokens: string[], scope: Scope, limit: number): Promise<StoredVersion[]> {
  return findWhere(q, type, scope, (p) => `tokens && ${p.add(tokens, '::text[]')}`, limit);
}

async function findWhere(q: Queryable, type: string, scope: Scope, cond: (p: SqlParams) => string, limit: number): Promise<StoredVersion[]> {
  const p = new SqlParams();
  const where = [`resource_type = ${p.add(type)}`, 'NOT deleted', cond(p)];
  const documentRule = rowCondition(type, scope, p);
  const own = documentRule ? [...where, documentRule] : where;
  const branches: string[] = [];
  if (scope.patientIds === 'all') branches.push(`SELECT patient_id, ${COLUMNS} FROM resource WHERE ${own.join(' AND ')}`);
  else if (scope.patientIds.length) {
    branches.push(`SELECT patient_id, ${COLUMNS} FROM resource WHERE ${own.join(' AND ')} AND patient_id = ANY(${p.add(scope.patientIds, '::text[]')})`);
  }
  if (scope.shared) branches.push(`SELECT NULL AS patient_id, ${COLUMNS} FROM shared_resource WHERE ${where.join(' AND ')}`);
  if (branches.length === 0) return [];
  const { rows } = await q.query<Row>(`SELECT * FROM (${branches.map((b) => `(${b} LIMIT ${limit})`).join(' UNION ALL ')}) AS u LIMIT ${limit}`, p.values);
  return rows.map(toVersion);
}

export interface NewVersion {
  patientId: string | null;
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  /** null for a delete */
  content: string | null;
  index: SearchIndex;
}

const CURRENT_COLUMNS = 'resource_type, id, version_id, last_updated, deleted, content, tokens, strings, date_params, date_lo, date_hi';
const UPSERT = `version_id = EXCLUDED.version_id, last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted,
  content = EXCLUDED.content, tokens = EXCLUDED.tokens, strings = EXCLUDED.strings, date_params = EXCLUDED.date_params,
  date_lo = EXCLUDED.date_lo, date_hi = EXCLUDED.date_hi`;

/**
 * Writes new versions of several resources (at most one version per resource) with one statement per
 * table: each becomes the current row and joins the history.
 */
export async function writeVersions(q: Queryable, versions: NewVersion[]): Promise<void> {
  for (const st of upsertStatements(versions)) await q.query(st.text, st.params);
}

/** The statements that write these versions: one per table (and per 2,000 rows). */
export function upsertStatements(versions: NewVersion[]): Statement[] {
  const patient = versions.filter((v) => v.patientId !== null);
  const shared = versions.filter((v) => v.patientId === null);
  const out: Statement[] = [];
  // 12 parameters a row: stay well under PostgreSQL's 65,535 parameters a statement
  for (let i = 0; i < patient.length; i += 2000) out.push(upsert(patient.slice(i, i + 2000), true));
  for (let i = 0; i < shared.length; i += 2000) out.push(upsert(shared.slice(i, i + 2000), false));
  return out;
}

function upsert(versions: NewVersion[], patient: boolean): Statement {
  const p = new SqlParams();
  const rows = versions.map((v) => {
    const deleted = v.content === null;
    const i = deleted ? { tokens: [], strings: [], dateParams: [], dateLo: [], dateHi: [] } : v.index;
    const cells = [
      p.add(v.resourceType),
      p.add(v.id),
      p.add(v.versionId, '::bigint'),
      p.add(v.lastUpdated, '::timestamptz'),
      p.add(deleted, '::boolean'),
      p.add(v.content, '::jsonb'),
      p.add(i.tokens, '::text[]'),
      p.add(i.strings, '::text[]'),
      p.add(i.dateParams, '::text[]'),
      p.add(i.dateLo, '::timestamptz[]'),
      p.add(i.dateHi, '::timestamptz[]'),
    ];
    return `(${patient ? `${p.add(v.patientId)}, ` : ''}${cells.join(', ')})`;
  });
  const table = patient ? 'resource' : 'shared_resource';
  const key = patient ? 'patient_id, resource_type, id' : 'resource_type, id';
  const history = `${patient ? 'patient_id, ' : ''}resource_type, id, version_id, last_updated, deleted, content`;
  return {
    text: `WITH current AS (
       INSERT INTO ${table} (${patient ? 'patient_id, ' : ''}${CURRENT_COLUMNS}) VALUES ${rows.join(', ')}
       ON CONFLICT (${key}) DO UPDATE SET ${UPSERT}
       RETURNING ${history})
     INSERT INTO ${table}_history (${history}) SELECT * FROM current`,
    params: p.values,
  };
}
