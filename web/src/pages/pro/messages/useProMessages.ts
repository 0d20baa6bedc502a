import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import type { ConversationView, Credential, ProInboxPage } from '../../../messaging-types';
import { PRO_MESSAGES_KEY } from '../../messages-common/messagingApi';

/** Queries of the professional's inbox (/api/pro never acts for a patient profile: no X-Acting-For). */

export const PRO_PAGE_SIZE = 50;

export const proGet = <T>(path: string, signal?: AbortSignal) => api<T>(path, { signal, acting: false });
export const proPost = <T = unknown>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body, acting: false });

export function useProInbox(page: number) {
  return useQuery({
    queryKey: [PRO_MESSAGES_KEY, 'list', page],
    queryFn: ({ signal }) => proGet<ProInboxPage>(`/api/pro/messages?page=${page}&pageSize=${PRO_PAGE_SIZE}`, signal),
    placeholderData: keepPreviousData,
  });
}

export const proConversationPath = (patientId: string, conversationId: string) =>
  `/api/pro/messages/${encodeURIComponent(patientId)}/${encodeURIComponent(conversationId)}`;

export function useProConversation(patientId: string, conversationId: string) {
  return useQuery({
    queryKey: [PRO_MESSAGES_KEY, 'conversation', patientId, conversationId],
    queryFn: ({ signal }) => proGet<ConversationView>(proConversationPath(patientId, conversationId), signal),
    retry: (count, error) => count < 2 && !(error instanceof Error && 'status' in error && (error as { status: number }).status < 500),
  });
}

/** The SMTP passwords: the API's list, whatever its envelope. */
export function useCredentials() {
  return useQuery({
    queryKey: [PRO_MESSAGES_KEY, 'credentials'],
    queryFn: async ({ signal }) => {
      const answer = await proGet<Credential[] | { items?: Credential[]; credentials?: Credential[] }>('/api/pro/messages/credentials', signal);
      const all = Array.isArray(answer) ? answer : (answer?.items ?? answer?.credentials ?? []);
      // the API lists the revoked ones too (revokedAt): only the passwords still working are shown
      return all.filter((c) => !(c as Credential & { revokedAt?: string | null }).revokedAt);
    },
  });
}
