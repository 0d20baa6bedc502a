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

/** Every version of one resource, newest first. */
export async function instanceHistory(
  q: Queryable,
  type: string,
  id: string,
  page: Page,
): Promise<StoredVersion[]> {
  const params: unknown[] = [type, id];
  const where = pageConditions(page, params);
  const { rows } = await q.query<Row>(
    `SELECT * FROM (
       SELECT patient_id, ${COLUMNS}, last_updated AS ts FROM resource_history WHERE resource_type = $1 AND id = $2
       UNION ALL
       SELECT NULL AS patient_id, ${COLUMNS}, last_updated AS ts FROM shared_resource_history WHERE resource_type = $1 AND id = $2
     ) h ${where}
     ORDER BY ts DESC, id DESC, version_id DESC LIMIT ${page.count + 1}`,
    params,
  );
  return rows.map(toVersion);
}

export interface Scope {
  patientIds: readonly string[] | 'all';
  shared: boolean;
}

/** Every version of every resource of a type within a scope, newest first. */
export async function typeHistory(q: Queryable, type: string, scope: Scope, page: Page): Promise<StoredVersion[]> {
  const params: unknown[] = [type];
  const parts: string[] = [];
  if (scope.patientIds === 'all' || scope.patientIds.length > 0) {
    let filter = '';
    if (scope.patientIds !== 'all') {
      params.push(scope.patientIds);
      filter = ` AND patient_id = ANY($${params.length}::text[])`;
    }
    parts.push(`SELECT patient_id, ${COLUMNS}, last_updated AS ts FROM resource_history WHERE resource_type = $1${filter}`);
  }
  if (scope.shared) {
    parts.push(`SELECT NULL AS patient_id, ${COLUMNS}, last_updated AS ts FROM shared_resource_history WHERE resource_type = $1`);
  }
  if (parts.length === 0) return [];
  const where = pageConditions(page, params);
  const { rows } = await q.query<Row>(
    `SELECT * FROM (${parts.join(' UNION ALL ')}) h ${where}
     ORDER BY ts DESC, id DESC, version_id DESC LIMIT ${page.count + 1}`,
    params,
  );
  return rows.map(toVersion);
}

function pageConditions(page: Page, params: unknown[]): string {
  const conds: string[] = [];
  if (page.since) {
    params.push(page.since);
    conds.push(`ts >= $${params.length}::timestamptz`);
  }
  if (page.after) {
    params.push(page.after.lastUpdated, page.after.id, page.after.versionId);
    const n = params.length;
    conds.push(`(ts, id, version_id) < ($${n - 2}::timestamptz, $${n - 1}, $${n}::bigint)`);
  }
  return conds.length ? `WHERE ${conds.join(' AND ')}` : '';
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
  const conds: string[] = ['resource_type = $1', 'NOT deleted'];
  if (query.ids) {
    params.push(query.ids);
    conds.push(`id = ANY($${params.length}::text[])`);
  }
  for (const anyOf of query.tokens ?? []) {
    params.push(anyOf);
    conds.push(`tokens && $${params.length}::text[]`);
  }
  const common = conds.join(' AND ');
  const parts: string[] = [];
  const { scope } = query;
  let patients: readonly string[] | 'all' = scope.patientIds;
  if (query.patients) {
    patients = patients === 'all' ? query.patients : patients.filter((p) => query.patients!.includes(p));
  }
  if (patients === 'all' || patients.length > 0) {
    let filter = '';
    if (patients !== 'all') {
      params.push(patients);
      filter = ` AND patient_id = ANY($${params.length}::text[])`;
    }
    parts.push(`SELECT patient_id, ${COLUMNS}, last_updated AS ts FROM resource WHERE ${common}${filter}`);
  }
  if (scope.shared && !query.patients) {
    parts.push(`SELECT NULL AS patient_id, ${COLUMNS}, last_updated AS ts FROM shared_resource WHERE ${common}`);
  }
  if (parts.length === 0) return [];
  const where = pageConditions(query.page, params);
  const { rows } = await q.query<Row>(
    `SELECT * FROM (${parts.join(' UNION ALL ')}) h ${where}
     ORDER BY ts DESC, id DESC, version_id DESC LIMIT ${query.page.count + 1}`,
    params,
  );
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
  tokens: string[];
}

/** Writes a new version: it becomes the current row and joins the history. */
export async function writeVersion(q: Queryable, v: NewVersion): Promise<void> {
  const deleted = v.content === null;
  if (v.patientId !== null) {
    await q.query(
      `INSERT INTO resource (patient_id, resource_type, id, version_id, last_updated, deleted, content, tokens)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
       ON CONFLICT (patient_id, resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
         last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, content = EXCLUDED.content, tokens = EXCLUDED.tokens`,
      [v.patientId, v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, v.content, deleted ? [] : v.tokens],
    );
    await q.query(
      `INSERT INTO resource_history (patient_id, resource_type, id, version_id, last_updated, deleted, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [v.patientId, v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, v.content],
    );
  } else {
    await q.query(
      `INSERT INTO shared_resource (resource_type, id, version_id, last_updated, deleted, content, tokens)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
         last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, content = EXCLUDED.content, tokens = EXCLUDED.tokens`,
      [v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, v.content, deleted ? [] : v.tokens],
    );
    await q.query(
      `INSERT INTO shared_resource_history (resource_type, id, version_id, last_updated, deleted, content)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [v.resourceType, v.id, v.versionId, v.lastUpdated, deleted, v.content],
    );
  }
}
