import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, apiGet } from '../../../api';
import { useActing } from '../../../acting';
import type { DmpSettings, DocumentFilters, DocumentList, DocumentView, HistoryPage } from './types';
import { UPLOAD_TYPES } from './types';

/** Queries of "Mes documents" and "Historique des accès", keyed on the acting profile like the other patient queries. */

export const DOCUMENTS_KEY = 'dmp-documents';
export const DMP_SETTINGS_KEY = 'dmp-settings';
export const HISTORY_KEY = 'dmp-history';

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function useDocuments(filters: DocumentFilters) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [DOCUMENTS_KEY, actingId, filters],
    queryFn: ({ signal }) => apiGet<DocumentList>(`/api/documents${query({ ...filters })}`, signal),
    // while other filters load, the list stays on screen; never another profile's list
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === actingId ? keepPreviousData(previous) : undefined),
  });
}

export function useDmpSettings() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [DMP_SETTINGS_KEY, actingId],
    queryFn: ({ signal }) => apiGet<DmpSettings>('/api/dmp/settings', signal),
  });
}

export interface HistoryFilters {
  from?: string;
  to?: string;
  professional?: string;
}

/** The access history, newest first, one page of 50 at a time ("Voir plus"). */
export function useAccessHistory(filters: HistoryFilters) {
  const { actingId } = useActing();
  return useInfiniteQuery({
    queryKey: [HISTORY_KEY, actingId, filters],
    queryFn: ({ signal, pageParam }) => apiGet<HistoryPage>(`/api/dmp/history${query({ ...filters, page: pageParam })}`, signal),
    initialPageParam: 0,
    getNextPageParam: (last, all) => (last.more ? all.length : undefined),
  });
}

export const patchDocument = (id: string, change: Record<string, unknown>): Promise<DocumentView> =>
  api<DocumentView>(`/api/documents/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });

/** The extension of a file name ('.pdf'), lower case, or '' when it has none. */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? `.${m[1]!.toLowerCase()}` : '';
}

export interface UploadMeta {
  title: string;
  category: string;
  date?: string;
}

/**
 * Adds a document: the body is the file itself with its Content-Type, the metadata in the query string
 * (POST /api/documents).
 */
export function uploadDocument(file: File, meta: UploadMeta): Promise<DocumentView> {
  const params = query({ title: meta.title, category: meta.category, date: meta.date, fileName: file.name });
  return api<DocumentView>(`/api/documents${params}`, {
    method: 'POST',
    body: file,
    contentType: UPLOAD_TYPES[extensionOf(file.name)] ?? (file.type || 'application/octet-stream'),
  });
}

const EXTENSION_OF_TYPE: Record<string, string> = {
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'application/rtf': '.rtf',
  'text/rtf': '.rtf',
  'image/jpeg': '.jpg',
  'image/tiff': '.tif',
};

/** A file name for saving a document: its title, made safe, with the extension of its type. */
export function fileNameOf(doc: Pick<DocumentView, 'title' | 'contentType'>): string {
  const base = doc.title.replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ').trim().slice(0, 100) || 'document';
  const ext = EXTENSION_OF_TYPE[doc.contentType.split(';')[0]!.trim().toLowerCase()] ?? '';
  return base.toLowerCase().endsWith(ext) ? base : `${base}${ext}`;
}

export const contentPath = (id: string): string => `/api/documents/${encodeURIComponent(id)}/content`;
