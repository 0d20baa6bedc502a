import { uuidv7, isUuid } from '../ids.js';
import type { Queryable } from '../../db/index.js';
import { badRequest, notFound } from '../../errors.js';

/**
 * The patient's own organisation of their documents (domain.md §2.7): personal folders (a name of at most 50
 * characters; deleting a folder keeps its documents) and pins. Not health data: which document sits where.
 */
export interface Folder {
  id: string;
  name: string;
}

function nameOf(v: unknown): string {
  const name = typeof v === 'string' ? v.trim() : '';
  if (!name || name.length > 50) throw badRequest('A folder name has 1 to 50 characters', ['name']).withCode('folders.name');
  return name;
}

export async function listFolders(q: Queryable, patientId: string): Promise<Folder[]> {
  const { rows } = await q.query<Folder>('SELECT id::text AS id, name FROM document_folder WHERE patient_id = $1 ORDER BY name, id', [patientId]);
  return rows;
}

export async function createFolder(q: Queryable, patientId: string, name: unknown, at: Date): Promise<Folder> {
  const folder = { id: uuidv7(), name: nameOf(name) };
  const { rows } = await q.query<{ n: string }>('SELECT count(*) AS n FROM document_folder WHERE patient_id = $1', [patientId]);
  if (Number(rows[0]!.n) >= 100) throw badRequest('At most 100 folders').withCode('folders.limit');
  await q.query('INSERT INTO document_folder (id, patient_id, name, created_at) VALUES ($1, $2, $3, $4)', [folder.id, patientId, folder.name, at]);
  return folder;
}

export async function renameFolder(q: Queryable, patientId: string, id: string, name: unknown): Promise<Folder> {
  const folder = { id, name: nameOf(name) };
  const { rowCount } = isUuid(id) ? await q.query('UPDATE document_folder SET name = $3 WHERE id = $1 AND patient_id = $2', [id, patientId, folder.name]) : { rowCount: 0 };
  if (!rowCount) throw notFound('No such folder').withCode('folders.unknown');
  return folder;
}

export async function deleteFolder(q: Queryable, patientId: string, id: string): Promise<void> {
  const { rowCount } = isUuid(id) ? await q.query('DELETE FROM document_folder WHERE id = $1 AND patient_id = $2', [id, patientId]) : { rowCount: 0 };
  if (!rowCount) throw notFound('No such folder').withCode('folders.unknown');
  // its documents stay, out of any folder
  await q.query('UPDATE document_placement SET folder_id = NULL WHERE patient_id = $1 AND folder_id = $2', [patientId, id]);
}

/** Pins a document, or files it in a folder (null: out of any folder). The document was read by the caller first. */
export async function setPlacement(q: Queryable, patientId: string, documentId: string, change: { pinned?: boolean; folderId?: string | null }): Promise<void> {
  if (change.folderId) {
    const { rows } = isUuid(change.folderId) ? await q.query('SELECT 1 FROM document_folder WHERE id = $1 AND patient_id = $2', [change.folderId, patientId]) : { rows: [] };
    if (rows.length === 0) throw notFound('No such folder').withCode('folders.unknown');
  }
  await q.query(
    `INSERT INTO document_placement (patient_id, document_id, folder_id, pinned) VALUES ($1, $2, $3, COALESCE($4, false))
     ON CONFLICT (patient_id, document_id) DO UPDATE SET
       folder_id = CASE WHEN $5 THEN EXCLUDED.folder_id ELSE document_placement.folder_id END,
       pinned = COALESCE($4, document_placement.pinned)`,
    [patientId, documentId, change.folderId ?? null, change.pinned ?? null, change.folderId !== undefined],
  );
}
