/** Who is asking: a person signed in to Carnet, or Carnet itself (seeding, jobs). */
export type Role = 'patient' | 'professional' | 'operator' | 'system';

/** How a user is linked to a patient whose record they may act on. */
export type Relation = 'self' | 'parent' | 'legal-representative' | 'carer';

export interface Principal {
  userId: string;
  login: string;
  role: Role;
  displayName: string;
  /** Patient/<id> when the user is a patient. */
  patientId?: string;
  /** Practitioner/<id> when the user is a professional. */
  practitionerId?: string;
  /** The records this user may act on, their own first ('self'). */
  represents: ReadonlyArray<{ patientId: string; relation: Relation }>;
}

/** Why the data is accessed; emergency is the break-the-glass purpose of the DMP issue. */
export type Purpose = 'normal' | 'emergency';

/** Carnet acting on its own behalf: demo seeding, migrations of data, background jobs. Never from HTTP. */
export const SYSTEM: Principal = {
  userId: '00000000-0000-0000-0000-000000000000',
  login: 'carnet',
  role: 'system',
  displayName: 'Carnet',
  represents: [],
};
