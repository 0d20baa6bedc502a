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

/* ---- Professionals: the patient's list (docs/care-access.md), the directory, the professional space ---- */

/** The roles a patient gives a professional, each open to one profession (TRE_G15). */
export type CareRole = 'medecin-traitant' | 'sage-femme-referente' | 'pharmacien-correspondant';

export const CARE_ROLES: ReadonlyArray<{ role: CareRole; profession: string }> = [
  { role: 'medecin-traitant', profession: '10' },
  { role: 'sage-femme-referente', profession: '50' },
  { role: 'pharmacien-correspondant', profession: '21' },
];

/** A professional's access status on a record. */
export type CareAccessStatus = 'authorised' | 'consent-needed' | 'blocked' | 'closed' | 'no-profile';

/** Why an authorised professional may access the record. */
export type CareBasis = 'medecin-traitant' | 'care-team' | 'consent' | 'patient' | 'emergency';

export type CareChange =
  | 'added'
  | 'removed'
  | 'role-set'
  | 'role-removed'
  | 'administrator-set'
  | 'administrator-removed'
  | 'blocked'
  | 'unblocked'
  | 'consent'
  | 'care-team';

/** One professional of the patient's list, or one who had access (GET /api/professionals). */
export interface ProfessionalEntry {
  practitionerId: string;
  family: string;
  given: string;
  civility: string | null;
  professions: Array<{ code: string; label: string | null }>;
  situations: Array<{
    roleId: string;
    professionLabel: string | null;
    skillLabel: string | null;
    organizationName: string | null;
    city: string | null;
  }>;
  inList: boolean;
  addedAt: string;
  addedBy: 'patient' | 'consent' | 'care-team' | (string & {});
  roles: CareRole[];
  administrator: boolean;
  blockedAt: string | null;
  consentAt: string | null;
  careTeamSince: string | null;
  access: CareAccessStatus;
  basis?: CareBasis;
  changes: Array<{ at: string; change: CareChange | (string & {}); detail: string | null }>;
}

/** One access to a record (an AuditEvent as the API summarises it). */
export interface AccessTrace {
  at: string;
  /** The FHIR interaction: read, search-type, create… */
  interaction: string;
  /** What was touched: Type/id, or Type?query. */
  what: string;
  outcome: 'success' | 'refused';
  detail?: string;
  patientId?: string;
  basis?: string;
  agent: string;
}

/** One practice situation found in the directory (GET /api/directory). */
export interface DirectoryItem {
  roleId: string;
  practitionerId: string;
  idType?: string;
  identifier?: string;
  civility?: string | null;
  family: string;
  given: string;
  professionCode: string;
  professionLabel?: string | null;
  skillCode?: string | null;
  skillLabel?: string | null;
  modeLabel?: string | null;
  organizationId?: string | null;
  organizationName?: string | null;
  addressLines?: string[] | null;
  postalCode?: string | null;
  city?: string | null;
  phone?: string | null;
  mailboxes?: string[] | null;
}

export interface DirectoryPage {
  items: DirectoryItem[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

/** A value of a directory filter (profession or specialty). */
export interface DirectoryOption {
  code: string;
  label: string;
  /** For a specialty: the profession it belongs to, when the API says. */
  professionCode?: string;
}

export interface DirectoryOptions {
  professions: DirectoryOption[];
  specialties: DirectoryOption[];
}

/** A professional's practice situation for the session. */
export interface Practice {
  roleId: string;
  practitionerId: string;
  professionCode: string;
  professionLabel?: string;
  skillCode?: string;
  skillLabel?: string;
  organizationId?: string;
  organizationName?: string;
}

/** GET /api/pro/me. */
export interface ProMe {
  displayName: string;
  practitionerId: string;
  practice: Practice | null;
}

/** The identity a professional checks before accessing a record (identitovigilance). */
export interface ProPatientIdentity {
  id: string;
  family: string;
  given: string;
  birthDate: string;
  sex: string;
  ins: { system: string; value: string };
}

/** "May I access this patient's record?" (POST /api/pro/patients/search, GET /api/pro/patients/:id/access). */
export interface AccessAnswer {
  status: CareAccessStatus;
  basis?: CareBasis;
  since?: string;
  /** The patient named this professional administrator of their record: they read its history too. */
  administrator?: boolean;
  patient?: ProPatientIdentity;
}

export interface ActivityItem extends AccessTrace {
  patientName?: string;
}

/** The few FHIR shapes the professional's patient page shows. */
export interface FhirCodeableConcept {
  text?: string;
  coding?: Array<{ system?: string; code?: string; display?: string }>;
}

export interface FhirReference {
  reference?: string;
  display?: string;
}

export interface FhirDocumentReference {
  resourceType: 'DocumentReference';
  id: string;
  status?: string;
  type?: FhirCodeableConcept;
  category?: FhirCodeableConcept[];
  date?: string;
  author?: FhirReference[];
  description?: string;
  content?: Array<{ attachment?: { title?: string; contentType?: string; creation?: string } }>;
}
