import { useQuery } from '@tanstack/react-query';
import { api, fhirSearch, isStatus } from '../../api';
import type { AccessAnswer, ActivityItem, FhirDocumentReference, ProMe } from '../../types';

/** Queries of the professional space (/api/pro never acts for a patient profile: no X-Acting-For). */

export const PRO_KEY = 'pro';

export function useProMe() {
  return useQuery({
    queryKey: [PRO_KEY, 'me'],
    queryFn: ({ signal }) => api<ProMe>('/api/pro/me', { signal, acting: false }),
    staleTime: 5 * 60_000,
  });
}

/** The access status on one record (audited as a check in the patient's record). */
export function usePatientAccess(patientId: string) {
  return useQuery({
    queryKey: [PRO_KEY, 'access', patientId],
    queryFn: ({ signal }) =>
      api<AccessAnswer>(`/api/pro/patients/${encodeURIComponent(patientId)}/access`, { signal, acting: false }),
    retry: (count, error) => count < 2 && !isStatus(error, 403) && !isStatus(error, 404),
  });
}

export function useActivity() {
  return useQuery({
    queryKey: [PRO_KEY, 'activity'],
    queryFn: ({ signal }) => api<{ activity: ActivityItem[] }>('/api/pro/activity', { signal, acting: false }),
    select: (data) => data.activity ?? [],
  });
}

/** The patient's documents, newest first (only asked for once access is authorised). */
export function usePatientDocuments(patientId: string, enabled: boolean) {
  return useQuery({
    queryKey: [PRO_KEY, 'documents', patientId],
    queryFn: ({ signal }) =>
      fhirSearch<FhirDocumentReference>('DocumentReference', { patient: patientId, _sort: '-date', _count: '50' }, signal),
    enabled,
    retry: false,
  });
}


