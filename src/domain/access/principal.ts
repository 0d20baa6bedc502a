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
  /** A professional's practice situation for this session (directory_role), when signed in as one. */
  practice?: Practice;
  /**
   * The SMART scopes granted to the client that holds the token (e.g. `user/*.read`), for third-party
   * clients such as practice software; absent for Carnet's own web app and scripts, which are not narrowed.
   */
  scopes?: readonly string[];
  /** The records this user may act on, their own first ('self'). */
  represents: ReadonlyArray<{ patientId: string; relation: Relation }>;
}

/** A professional's practice situation: one line of the national directory (PractitionerRole). */
export interface Practice {
  /** directory_role.id, also the PractitionerRole id. */
  roleId: string;
  /** IdNat_PS ('8' + RPPS, '0' + ADELI), also the Practitioner id. */
  practitionerId: string;
  /** TRE_G15 profession code (10 médecin, 21 pharmacien, 50 sage-femme...). */
  professionCode: string;
  professionLabel?: string;
  /** Savoir-faire (specialty, TRE_R38 SMxx), when the situation has one. */
  skillCode?: string;
  skillLabel?: string;
  /** The structure (directory_organization.id, also the Organization id) and its name. */
  organizationId?: string;
  organizationName?: string;
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
