import type { ProPatientIdentity } from '../../../types';

/** The shapes of /api/chat (docs/chat.md). */

export interface ChatMember {
  practitionerId: string;
  name: string;
}

export interface ChatRoom {
  id: string;
  title: string;
  patient: { id: string } | null;
  createdBy: string;
  createdAt: string;
  members: ChatMember[];
  lastSeq: number;
  lastAt: string | null;
  lastReadSeq: number;
  unread: number;
  /** With the history of a room about a patient, once the access was allowed. */
  patientIdentity?: ProPatientIdentity;
}

export interface ChatMessage {
  roomId: string;
  seq: number;
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  sentAt: string;
}

export interface ChatHistoryPage {
  room: ChatRoom;
  messages: ChatMessage[];
  hasMore: boolean;
}

/** What the WebSocket says: notifications only, the text is fetched through the API. */
export type ChatEvent =
  | { type: 'ready' }
  | { type: 'pong' }
  | { type: 'message'; roomId: string; seq: number; authorId: string; sentAt: string }
  | { type: 'room'; roomId: string }
  | { type: 'read'; roomId: string; lastReadSeq: number };

/** A practice situation from the directory search (GET /api/directory). */
export interface DirectoryItem {
  roleId: string;
  practitionerId: string;
  civility: string | null;
  family: string;
  given: string;
  professionLabel: string | null;
  skillLabel: string | null;
  organizationName: string | null;
  city: string | null;
}
