import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../api';
import { useActing } from '../../../acting';
import type { ContactSuggestions, ConversationView, InboxPage, PharmacySearch } from '../../../messaging-types';
import { PATIENT_MESSAGES_KEY } from '../../messages-common/messagingApi';

/** Queries of the patient's inbox, keyed on the acting profile like the other patient queries. */

export const PAGE_SIZE = 50;

export interface InboxFilter {
  folder: 'inbox' | 'trash';
  unread: boolean;
  page: number;
}

export function useInbox(filter: InboxFilter) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PATIENT_MESSAGES_KEY, actingId, 'list', filter],
    queryFn: ({ signal }) => {
      const q = new URLSearchParams({ folder: filter.folder, page: String(filter.page), pageSize: String(PAGE_SIZE) });
      if (filter.unread) q.set('unread', 'true');
      return apiGet<InboxPage>(`/api/messages?${q.toString()}`, signal);
    },
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === actingId ? keepPreviousData(previous) : undefined),
  });
}

export function useConversation(conversationId: string | undefined) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PATIENT_MESSAGES_KEY, actingId, 'conversation', conversationId],
    queryFn: ({ signal }) => apiGet<ConversationView>(`/api/messages/${encodeURIComponent(conversationId!)}`, signal),
    enabled: Boolean(conversationId),
    retry: (count, error) => count < 2 && !(error instanceof Error && 'status' in error && (error as { status: number }).status < 500),
  });
}

export function useContacts(enabled: boolean) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PATIENT_MESSAGES_KEY, actingId, 'contacts'],
    queryFn: ({ signal }) => apiGet<ContactSuggestions>('/api/messages/contacts', signal),
    enabled,
  });
}

export const searchPharmacies = (q: string, city: string): Promise<PharmacySearch> =>
  apiGet<PharmacySearch>(`/api/messages/contacts/search?${new URLSearchParams({ q, city }).toString()}`);

export const conversationPath = (id: string) => `/api/messages/${encodeURIComponent(id)}`;

export const attachmentPath = (conversationId: string, messageId: string, index: number) =>
  `${conversationPath(conversationId)}/messages/${encodeURIComponent(messageId)}/attachments/${index}`;

