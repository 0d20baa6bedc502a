import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../../api';
import { handleUnauthorized } from '../../../auth';
import { getAccessToken } from '../../../session';
import { PRO_KEY } from '../usePro';
import type { DocumentTypes, EmergencyGrant, History, ProDocuments, Visibility } from './types';

/** Queries and requests of the professional's side of a patient's shared medical record (no X-Acting-For). */

const base = (patientId: string) => `/api/pro/patients/${encodeURIComponent(patientId)}`;

export const documentsKey = (patientId: string) => [PRO_KEY, 'dmp-documents', patientId] as const;

/** The documents the professional may see (the server applies the habilitation matrix and hidden documents). */
export function useProDocuments(patientId: string, enabled: boolean, all = false) {
  return useQuery({
    queryKey: [...documentsKey(patientId), { all }],
    queryFn: ({ signal }) => api<ProDocuments>(`${base(patientId)}/documents${all ? '?all=true' : ''}`, { signal, acting: false }),
    enabled,
    // the list stays on screen while the archived and replaced documents are asked for
    placeholderData: (previous) => previous,
    retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
  });
}

export function useDocumentTypes(enabled: boolean) {
  return useQuery({
    queryKey: ['document-types'],
    queryFn: ({ signal }) => api<DocumentTypes>('/api/document-types', { signal, acting: false }),
    enabled,
    staleTime: 60 * 60_000,
  });
}

/** The record's access history: offered to the médecin traitant (others get 403, kept quiet). */
export function useRecordHistory(patientId: string, page: number, enabled: boolean) {
  return useQuery({
    queryKey: [PRO_KEY, 'dmp-history', patientId, page],
    queryFn: ({ signal }) => api<History>(`${base(patientId)}/history?page=${page}`, { signal, acting: false }),
    enabled,
    retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
  });
}

export interface DepositInput {
  file: File;
  typeCode: string;
  title: string;
  /** YYYY-MM-DD */
  date: string;
  visibility: Visibility[];
}

/**
 * Deposits a PDF (or replaces the document `replaces`): the file itself as the body, its metadata in the query
 * string. Not through api(), which sends JSON or text bodies only.
 */
export async function depositDocument(patientId: string, input: DepositInput, replaces?: string): Promise<{ id: string }> {
  const params = new URLSearchParams({ typeCode: input.typeCode, title: input.title });
  if (input.date) params.set('date', input.date);
  if (input.visibility.length) params.set('visibility', input.visibility.join(','));
  const path = `${base(patientId)}/documents${replaces ? `/${encodeURIComponent(replaces)}/replacement` : ''}?${params.toString()}`;
  const token = getAccessToken();
  const response = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/pdf', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: input.file,
    credentials: 'same-origin',
  });
  if (!response.ok) {
    let title: string | undefined;
    let code: string | undefined;
    try {
      const problem = (await response.json()) as { title?: unknown; code?: unknown };
      if (typeof problem.title === 'string') title = problem.title;
      if (typeof problem.code === 'string') code = problem.code;
    } catch {
      // not JSON: the status says enough
    }
    if (response.status === 401 && token) handleUnauthorized();
    throw new ApiError(response.status, title, code);
  }
  return (await response.json()) as { id: string };
}

export const updateDocument = (patientId: string, docId: string, body: { hiddenFromPatient?: boolean; archived?: boolean }) =>
  api<{ id: string }>(`${base(patientId)}/documents/${encodeURIComponent(docId)}`, { method: 'PATCH', body, acting: false });

export const deleteDocument = (patientId: string, docId: string) =>
  api<void>(`${base(patientId)}/documents/${encodeURIComponent(docId)}`, { method: 'DELETE', acting: false });

export const breakTheGlass = (patientId: string, body: { purpose: 'BTG' | 'ETREAT'; reason: string }) =>
  api<EmergencyGrant>(`${base(patientId)}/emergency`, { method: 'POST', body, acting: false });

export const contentPath = (patientId: string, docId: string) => `${base(patientId)}/documents/${encodeURIComponent(docId)}/content`;
