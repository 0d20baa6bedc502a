import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api';
import type { ChatHistoryPage, ChatMessage, ChatRoom } from './types';

/** The professional's chat through /api/chat (never acting for a patient profile: no X-Acting-For). */

export const CHAT_KEY = 'chat';

/** How often the rooms and the open room are fetched again without any notification (several processes). */
export const REFETCH_MS = 30_000;

export function useRooms() {
  return useQuery({
    queryKey: [CHAT_KEY, 'rooms'],
    queryFn: ({ signal }) => api<{ rooms: ChatRoom[] }>('/api/chat/rooms', { signal, acting: false }),
    select: (data) => data.rooms ?? [],
    refetchInterval: REFETCH_MS,
  });
}

const roomPath = (roomId: string) => `/api/chat/rooms/${encodeURIComponent(roomId)}`;

export function fetchHistory(roomId: string, query: { after?: number; before?: number; limit?: number }, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return api<ChatHistoryPage>(`${roomPath(roomId)}/messages${qs ? `?${qs}` : ''}`, { signal, acting: false });
}

export const postMessage = (roomId: string, body: string) =>
  api<ChatMessage>(`${roomPath(roomId)}/messages`, { method: 'POST', body: { body }, acting: false });

export const markRead = (roomId: string, seq: number) =>
  api<{ lastReadSeq: number; unread: number }>(`${roomPath(roomId)}/read`, { method: 'POST', body: { seq }, acting: false });

export const addMembers = (roomId: string, members: string[]) =>
  api<ChatRoom>(`${roomPath(roomId)}/members`, { method: 'POST', body: { members }, acting: false });

export const createRoom = (body: { title: string; members: string[]; patient?: { ins: { value: string } } }) =>
  api<ChatRoom>('/api/chat/rooms', { method: 'POST', body, acting: false });

export const chatTicket = () => api<{ ticket: string }>('/api/chat/ticket', { method: 'POST', body: {}, acting: false });

/** Merges pages of messages: by number, without duplicates, oldest first. */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const bySeq = new Map<number, ChatMessage>();
  for (const m of current) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
