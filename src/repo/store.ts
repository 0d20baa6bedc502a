import type { Queryable } from '../db/index.js';

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

export interface Scope {
  patientIds: readonly string[] | 'all';
  shared: boolean;
}

/**
 * History pages go newest first on (last_updated, id, version_id), which never changes for a version.
 * Search pages go by id: a resource's last_updated changes when it is updated, and paging on it would skip or
 * repeat resources updated between two pages.
 */
const ORDER = { history: 'last_updated DESC, id DESC, version_id DESC', current: 'id' } as const;

/**
 * One page over the patient table and/or the shared table. Each branch is ordered and limited on its own
 * (so that indexes serve it), the page is cut from their union, and only then is the content of the page's
 * rows fetched.
 */
async function pageOf(
  q: Queryable,
  kind: 'current' | 'history',
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
  if (page.after && kind === 'current') {
    params.push(page.after.id);
    pageConds.push(`id > $${params.length}`);
  } else if (page.after) {
    params.push(page.after.lastUpdated, page.after.id, page.after.versionId);
    const n = params.length;
    pageConds.push(`(last_updated, id, version_id) < ($${n - 2}::timestamptz, $${n - 1}, $${n}::bigint)`);
  }
  const order = ORDER[kind];
  const limit = page.count + 1;
  const table = (shared: boolean) => `${shared ? 'shared_resource' : 'resource'}${kind === 'history' ? '_history' : ''}`;
  const union = branches
    .map(
      (b) => `(SELECT ${b.shared ? "'s' AS src, NULL::text AS patient_id" : "'p' AS src, patient_id"}, resource_type, id, version_id, last_updated
                FROM ${table(b.shared)} WHERE ${[...b.where, ...pageConds].join(' AND ')}
                ORDER BY ${order} LIMIT ${limit})`,
    )
    .join(' UNION ALL ');
  const versionJoin = kind === 'history' ? ' AND x.version_id = page.version_id' : '';
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
  return pageOf(q, 'history', [{ shared: false, where }, { shared: true, where }], page, [type, id]);
}

/** Every version of every resource of a type within a scope, newest first. */
export async function typeHistory(q: Queryable, type: string, scope: Scope, page: Page): Promise<StoredVersion[]> {
  const params: unknown[] = [type];
  const where = ['resource_type = $1'];
  const branches = [...patientBranch(scope.patientIds, where, params), ...(scope.shared ? [{ shared: true, where }] : [])];
  return pageOf(q, 'history', branches, page, params);
}

export interface CurrentQuery {
  type: string;
  scope: Scope;
  ids?: string[];
  /** Each inner list is OR-ed, the lists are AND-ed. */
  tokens?: string[][];
  /** Restrict to these patient compartments (a patient= search). */
  patients?: string[];
  page: Page;
}

/** Current, non-deleted resources matching simple criteria within a scope, newest first. */
export async function findCurrentMatching(q: Queryable, query: CurrentQuery): Promise<StoredVersion[]> {
  const params: unknown[] = [query.type];
  const where: string[] = ['resource_type = $1', 'NOT deleted'];
  if (query.ids) {
    params.push(query.ids);
    where.push(`id = ANY($${params.length}::text[])`);
  }
  for (const anyOf of query.tokens ?? []) {
    params.push(anyOf);
    where.push(`tokens && $${params.length}::text[]`);
  }
  const { scope } = query;
  let patients: readonly string[] | 'all' = scope.patientIds;
  if (query.patients) {
    patients = patients === 'all' ? query.patients : patients.filter((p) => query.patients!.includes(p));
  }
  const branches = [...patientBranch(patients, where, params), ...(scope.shared && !query.patients ? [{ shared: true, where }] : [])];
  return pageOf(q, 'current', branches, query.page, params);
}

export interface NewVersion {
  patientId: string | null;
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  /** null for a delete */
  content: string | null;
  tokens: string[];
}

/** Writes a new version: it becomes the current row and joins the history, in one statement. */
export async function writeVersion(q: Queryable, v: NewVersion): Promise<void> {
  const deleted = v.content === null;
  if (v.patientId !== null) {
    await q.query(
      `WITH current AS (
         INSERT INTO resource (patient_id, resource_type, id, version_id, last_updated, deleted, content, tokens)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
         ON CONFLICT (patient_id, resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
           last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, content = EXCLUDED.content, tokens = EXCLUDED.tokens
         RETURNING patient_id, resource_type, id, version_id, last_updated, deleted, content)
       INSERT INTO resource_history (patient_id, resource_type, id, version_id, last_updated, deleted, content)
       SELECT * FROM current`,
      [v.patientId, v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, v.content, deleted ? [] : v.tokens],
    );
  } else {
    await q.query(
      `WITH current AS (
         INSERT INTO shared_resource (resource_type, id, version_id, last_updated, deleted, content, tokens)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
         ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
           last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, content = EXCLUDED.content, tokens = EXCLUDED.tokens
         RETURNING resource_type, id, version_id, last_updated, deleted, content)
       INSERT INTO shared_resource_history (resource_type, id, version_id, last_updated, deleted, content)
       SELECT * FROM current`,
      [v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, v.content, deleted ? [] : v.tokens],
    );
  }
}
