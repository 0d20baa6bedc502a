import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../api';
import { useActing } from '../../../acting';
import type { ListSection, ProfileOverview, SectionList, SectionViews, AdvanceDirective } from '../../../profile-types';
import type { DocumentList } from '../documents/types';
import { DOCUMENTS_KEY } from '../documents/useDocuments';

/**
 * Queries of the medical profile pages (src/contract/profile.ts is the contract), keyed on the acting profile
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
