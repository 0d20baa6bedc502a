/** Shapes of the application API (docs/accounts.md). Fields the contract leaves open are optional. */

export type Role = 'patient' | 'operator' | 'professional' | (string & {});

export type ProfileState =
  | 'imported'
  | 'notified'
  | 'opposed'
  | 'open'
  | 'active'
  | 'suspended'
  | 'closed'
  | 'deleted';

export const PROFILE_STATES: ProfileState[] = [
  'imported',
  'notified',
  'opposed',
  'open',
  'active',
  'suspended',
  'closed',
  'deleted',
];

export interface Profile {
  patientId: string;
  relation: string; // 'self', 'child', 'carer', …
  givenName: string;
  familyName: string;
  birthDate?: string;
  state?: string;
}

export interface Me {
  id: string;
  login: string;
  role: Role;
  displayName: string;
  email?: string | null;
  profiles: Profile[];
}

export const NOTIFICATION_CATEGORIES = ['documents', 'messages', 'appointments', 'prevention', 'services'] as const;
export type PreferenceCategory = (typeof NOTIFICATION_CATEGORIES)[number];
export type NotificationPreferences = Record<PreferenceCategory, boolean>;

export interface Notification {
  id: string;
  category: string;
  type: string;
  params?: Record<string, unknown> | null;
  createdAt: string;
  readAt?: string | null;
}

export interface NotificationList {
  items: Notification[];
  unread: number;
}

/** A person as the API may describe one in family and delegation lists. */
export interface PersonLike {
  patientId?: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  name?: string;
  birthDate?: string;
  state?: string;
  status?: string;
  relation?: string;
  kind?: string;
}

export interface Child extends PersonLike {
  patientId: string;
  /** Only the representative the child is attached to may invite the second one. */
  canInviteSecondParent?: boolean;
  representatives?: Array<PersonLike | string>;
  pendingInvitations?: Array<{ id: string; name: string; expiresAt?: string }>;
}

export interface Delegation extends PersonLike {
  id: string;
  createdAt?: string;
  expiresAt?: string;
  startDate?: string;
  endDate?: string;
  decidedAt?: string;
  carer?: PersonLike;
  helped?: PersonLike;
  inviter?: PersonLike;
  invitee?: PersonLike;
  person?: PersonLike;
  patient?: PersonLike;
}

export interface Delegations {
  carers: Delegation[];
  helped: Delegation[];
  invitationsReceived: Delegation[];
  invitationsSent: Delegation[];
}

export interface ImportReport {
  id: string;
  rows: number;
  created: number;
  updated: number;
  failed: number;
  errors: Array<{ line: number; reason: string }>;
}

export interface ImportSummary extends Partial<ImportReport> {
  fileName?: string;
  file?: string;
  startedAt?: string;
  finishedAt?: string;
  rowsTotal?: number;
}

export interface PopulationStats {
  byState: Partial<Record<string, number>>;
  total: number;
}

export interface InsuredEvent {
  at?: string;
  from?: string | null;
  to?: string;
  fromState?: string | null;
  toState?: string;
  actor?: string;
  reason?: string | null;
}

export interface Insured {
  id: string;
  nir: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  state: string;
  stateSince?: string;
  dueAt?: string | null;
  noticeChannel?: string | null;
  email?: string | null;
  objectionReference?: string | null;
  account?: { login: string; emailVerified?: boolean; disabled?: boolean } | null;
  events: InsuredEvent[];
}

export interface OutboxMail {
  id?: string;
  to?: string;
  toAddress?: string;
  subject: string;
  text?: string;
  bodyText?: string;
  body?: string;
  createdAt?: string;
  sentAt?: string | null;
}
