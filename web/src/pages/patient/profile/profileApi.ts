import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, apiGet } from '../../../api';
import { useActing } from '../../../acting';
import type { ListSection, ProfileOverview, SectionList, SectionViews, VaccineRef, Drug, AdvanceDirective } from '../../../profile-types';
import { getAccessToken, getActingFor } from '../../../session';
import type { DocumentList } from '../documents/types';
import { DOCUMENTS_KEY } from '../documents/useDocuments';

/**
 * Queries of the medical profile pages (web/src/profile-types.ts is the contract), keyed on the acting profile
 * like the other patient queries: acting for a child, every list is the child's.
 */

export const PROFILE_KEY = 'profile';

export const sectionPath = (section: ListSection): string => `/api/profile/sections/${encodeURIComponent(section)}`;
export const entryPath = (section: ListSection, id: string): string => `${sectionPath(section)}/${encodeURIComponent(id)}`;

export function useOverview() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PROFILE_KEY, actingId, 'overview'],
    queryFn: ({ signal }) => apiGet<ProfileOverview>('/api/profile', signal),
  });
}

export function useSection<S extends ListSection>(section: S, enabled = true) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PROFILE_KEY, actingId, 'section', section],
    queryFn: ({ signal }) => apiGet<SectionList<S>>(sectionPath(section), signal),
    enabled,
  });
}

/** The entries another section's form links to (treatments ↔ diseases, treatments ↔ allergies). */
export function useLinkable(section: 'diseases' | 'allergies' | 'treatments', enabled: boolean) {
  const list = useSection(section, enabled);
  const entries = (list.data?.entries ?? []) as SectionViews[typeof section][];
  return { entries, isPending: enabled && list.isPending, isError: list.isError };
}

/** The documents of the record, for the links of a disease or a hospitalisation. */
export function useDocumentChoices(enabled: boolean) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [DOCUMENTS_KEY, actingId, {}],
    queryFn: ({ signal }) => apiGet<DocumentList>('/api/documents', signal),
    enabled,
  });
}

export function useDirectives() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PROFILE_KEY, actingId, 'advance-directives'],
    queryFn: ({ signal }) =>
      apiGet<{ allowed: boolean; reason?: 'minor'; current: AdvanceDirective | null; previous: AdvanceDirective[] }>('/api/profile/advance-directives', signal),
  });
}

/** A value that follows `value` after `delay` ms without change (the search fields). */
export function useDebounced<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

export function useVaccineSearch(q: string) {
  const query = useDebounced(q.trim());
  return useQuery({
    queryKey: ['reference', 'vaccines', query],
    queryFn: ({ signal }) => apiGet<{ vaccines: VaccineRef[] }>(`/api/reference/vaccines?q=${encodeURIComponent(query)}`, signal),
    staleTime: 5 * 60_000,
  });
}

export function useDrugSearch(q: string) {
  const query = useDebounced(q.trim());
  return useQuery({
    queryKey: ['reference', 'drugs', query],
    queryFn: ({ signal }) => apiGet<{ drugs: Drug[] }>(`/api/reference/drugs?q=${encodeURIComponent(query)}`, signal),
    enabled: query.length >= 2,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** A problem+json answer as an ApiError (as api.ts does for JSON requests). */
async function problemOf(response: Response): Promise<ApiError> {
  let title: string | undefined;
  let code: string | undefined;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      const problem = (await response.json()) as { title?: unknown; code?: unknown };
      if (typeof problem.title === 'string') title = problem.title;
      if (typeof problem.code === 'string') code = problem.code;
    } catch {
      // not JSON after all: keep the status
    }
  }
  return new ApiError(response.status, title, code);
}

/**
 * POSTs JSON and returns the answer as a file (the summary PDF): api.ts reads answers as text, which would
 * spoil a PDF, so this request is made here with the same token and acting profile headers.
 */
export async function postForBlob(path: string, body: unknown): Promise<{ blob: Blob; fileName?: string }> {
  const headers: Record<string, string> = { Accept: 'application/pdf, application/problem+json', 'Content-Type': 'application/json' };
  const token = getAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const acting = getActingFor();
  if (token && acting) headers['X-Acting-For'] = acting;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  if (!response.ok) throw await problemOf(response);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const raw = match?.[1] ?? match?.[2];
  let fileName: string | undefined;
  if (raw) {
    try {
      fileName = decodeURIComponent(raw);
    } catch {
      fileName = raw;
    }
  }
  return { blob: await response.blob(), fileName };
}

/** Today in Paris as YYYY-MM-DD. */
export function todayInParis(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
