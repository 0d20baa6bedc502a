import type { Queryable } from '../../db/index.js';
import { typeByCode, type Category } from '../../domain/documents/codes.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations } from '../../repo/index.js';
import { attachmentOf, categoryOfDoc, classCodeOfDoc, depositorsOf, hasVisibility, isArchived, typeCodeOfDoc } from './document-resource.js';

type Json = Record<string, unknown>;

/** A document as the web app shows it (patient space and professional space alike). */
export interface DocumentView {
  id: string;
  title: string;
  category: Category;
  typeCode?: string;
  typeLabel?: string;
  classCode?: string;
  /** When the act took place (context.period.start), else when the document was written. */
  date?: string;
  /** When it was deposited in the record. */
  depositedAt: string;
  author: string;
  /** Who deposited it: a professional (or their software), or the patient. */
  depositor: 'professional' | 'patient' | 'carnet';
  depositorIds: string[];
  contentType: string;
  size?: number;
  status: string;
  archived: boolean;
  hiddenFromProfessionals: boolean;
  hiddenFromPatient: boolean;
  hiddenFromRepresentatives: boolean;
  replaces?: string;
  pinned?: boolean;
  folderId?: string | null;
}

function authorName(doc: Json): string {
  const contained = Array.isArray(doc.contained) ? (doc.contained as Json[]) : [];
  const refs = (Array.isArray(doc.author) ? (doc.author as Json[]) : []).map((a) => a.reference as string | undefined);
  for (const ref of refs) {
    const r = ref?.startsWith('#') ? contained.find((c) => c.id === ref.slice(1)) : undefined;
    const name = r && Array.isArray(r.name) ? (r.name as Json[])[0] : undefined;
    if (name && typeof name.text === 'string') return name.text;
    if (name) return [...((name.prefix as string[] | undefined) ?? []), ...((name.given as string[] | undefined) ?? []), name.family].filter(Boolean).join(' ');
    if (r && typeof r.name === 'string') return r.name;
    const display = (Array.isArray(doc.author) ? (doc.author as Json[]) : []).find((a) => typeof a.display === 'string')?.display;
    if (typeof display === 'string') return display;
  }
  return '';
}

export function documentView(doc: Json, lastUpdated: string): DocumentView {
  const att = attachmentOf(doc) ?? {};
  const typeCode = typeCodeOfDoc(doc);
  const depositors = depositorsOf(doc);
  const period = (doc.context as Json | undefined)?.period as Json | undefined;
  const relates = Array.isArray(doc.relatesTo) ? (doc.relatesTo as Json[]).find((r) => r.code === 'replaces') : undefined;
  const meta = doc.meta as Json | undefined;
  const firstVersion = meta?.versionId === '1' ? (meta.lastUpdated as string | undefined) : undefined;
  const classCode = classCodeOfDoc(doc);
  const typeLabel = typeCode ? typeByCode(typeCode)?.display : undefined;
  return {
    id: doc.id as string,
    title: (typeof att.title === 'string' && att.title) || typeLabel || 'Document',
    category: categoryOfDoc(doc),
    ...(typeCode ? { typeCode } : {}),
    ...(typeLabel ? { typeLabel } : {}),
    ...(classCode ? { classCode } : {}),
    ...(typeof period?.start === 'string' ? { date: period.start } : typeof doc.date === 'string' ? { date: doc.date } : {}),
    depositedAt: typeof doc.date === 'string' ? doc.date : (firstVersion ?? lastUpdated),
    author: authorName(doc),
    depositor: depositors.some((d) => d.startsWith('Patient/')) ? 'patient' : depositors.length ? 'professional' : 'carnet',
    depositorIds: depositors,
    contentType: typeof att.contentType === 'string' ? att.contentType : 'application/octet-stream',
    ...(typeof att.size === 'number' ? { size: att.size } : {}),
    status: typeof doc.status === 'string' ? doc.status : 'current',
    archived: isArchived(doc),
    hiddenFromProfessionals: hasVisibility(doc, 'MASQUE_PS'),
    hiddenFromPatient: hasVisibility(doc, 'INVISIBLE_PATIENT'),
    hiddenFromRepresentatives: hasVisibility(doc, 'INVISIBLE_REPRESENTANTS_LEGAUX'),
    ...(relates ? { replaces: ((relates.target as Json).reference as string).replace(/^DocumentReference\//, '') } : {}),
  };
}

export interface DocumentFilters {
  category?: Category;
  /** Part of the author's name, accent- and case-insensitive. */
  author?: string;
  from?: string;
  to?: string;
  /** Superseded and archived documents too. */
  all?: boolean;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The documents of a record the reader may see, through the repository (document rules and audit), newest
 * first, filtered. A record holds hundreds of documents, not millions: one search of up to 1,000, then filters.
 */
export async function listDocuments(ops: FhirOperations, fhirBase: string, patientId: string, f: DocumentFilters = {}): Promise<DocumentView[]> {
  const params = new URLSearchParams({ patient: patientId, _count: '1000', _sort: '-_lastUpdated' });
  const search = parseSearch('DocumentReference', params, { defaultCount: 1000, maxCount: 1000, strict: true, fhirBase });
  const result = await ops.search('DocumentReference', search);
  return filterDocuments(
    result.versions.map((v) => documentView(JSON.parse(v.content!) as Json, v.lastUpdated)),
    f,
  );
}

/** The documents that meet the filters, newest first (the act's date, else the deposit's). */
export function filterDocuments(views: DocumentView[], f: DocumentFilters): DocumentView[] {
  return views
    .filter((d) => f.all || (d.status === 'current' && !d.archived))
    .filter((d) => !f.category || d.category === f.category)
    .filter((d) => !f.author || fold(d.author).includes(fold(f.author)))
    .filter((d) => !f.from || (d.date ?? d.depositedAt).slice(0, 10) >= f.from)
    .filter((d) => !f.to || (d.date ?? d.depositedAt).slice(0, 10) <= f.to)
    .sort((a, b) => (b.date ?? b.depositedAt).localeCompare(a.date ?? a.depositedAt));
}

/** The patient's pins and folders over their documents. */
export async function withPlacements(q: Queryable, patientId: string, views: DocumentView[]): Promise<DocumentView[]> {
  const { rows } = await q.query<{ document_id: string; folder_id: string | null; pinned: boolean }>(
    'SELECT document_id, folder_id::text AS folder_id, pinned FROM document_placement WHERE patient_id = $1',
    [patientId],
  );
  const byId = new Map(rows.map((r) => [r.document_id, r]));
  return views.map((v) => ({ ...v, pinned: byId.get(v.id)?.pinned ?? false, folderId: byId.get(v.id)?.folder_id ?? null }));
}
