import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../api';
import { useActing } from '../../../acting';
import type { AccessTrace, DirectoryOptions, DirectoryPage, ProfessionalEntry } from '../../../types';

/** Queries of "Mes professionnels de santé", keyed on the acting profile like the other patient queries. */

export const PROFESSIONALS_KEY = 'professionals';

export function useProfessionals() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PROFESSIONALS_KEY, actingId],
    queryFn: ({ signal }) => apiGet<{ professionals: ProfessionalEntry[] }>('/api/professionals', signal),
    select: (data) => data.professionals ?? [],
  });
}

/** One professional's last accesses to the record, loaded when asked for. */
export function useAccesses(practitionerId: string, enabled: boolean) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PROFESSIONALS_KEY, actingId, 'accesses', practitionerId],
    queryFn: ({ signal }) =>
      apiGet<{ accesses: AccessTrace[] }>(`/api/professionals/${encodeURIComponent(practitionerId)}/accesses`, signal),
    select: (data) => data.accesses ?? [],
    enabled,
  });
}

/** The values of the directory filters (professions, specialties). */
export function useDirectoryOptions() {
  return useQuery({
    queryKey: ['directory', 'options'],
    queryFn: async ({ signal }) => normaliseOptions(await apiGet<unknown>('/api/directory/options', signal)),
    staleTime: 60 * 60_000,
    retry: false,
  });
}

export interface DirectoryCriteria {
  name: string;
  profession: string;
  specialty: string;
  city: string;
}

export const DIRECTORY_PAGE_SIZE = 10;

/** A page of the directory search; the previous page stays on screen while the next one loads. */
export function useDirectorySearch(criteria: DirectoryCriteria | null, page: number) {
  return useQuery({
    queryKey: ['directory', 'search', criteria, page],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ page: String(page), pageSize: String(DIRECTORY_PAGE_SIZE) });
      for (const [key, value] of Object.entries(criteria ?? {})) if (value) params.set(key, value);
      return apiGet<DirectoryPage>(`/api/directory?${params.toString()}`, signal);
    },
    enabled: criteria !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

type RawOption = { code?: unknown; label?: unknown; professionCode?: unknown; profession?: unknown; professions?: unknown };

/** Accepts the options as lists of { code, label } (a specialty may name its profession). */
function normaliseOptions(raw: unknown): DirectoryOptions {
  const data = (raw ?? {}) as { professions?: unknown; specialties?: unknown; skills?: unknown };
  const list = (value: unknown) =>
    (Array.isArray(value) ? (value as RawOption[]) : [])
      .filter((o) => typeof o?.code === 'string')
      .map((o) => ({
        code: o.code as string,
        label: typeof o.label === 'string' && o.label ? o.label : (o.code as string),
        ...(typeof o.professionCode === 'string'
          ? { professionCode: o.professionCode }
          : typeof o.profession === 'string'
            ? { professionCode: o.profession }
            : {}),
      }));
  return { professions: list(data.professions), specialties: list(data.specialties ?? data.skills) };
}
