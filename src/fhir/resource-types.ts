/** The resource types Carnet stores and serves at /fhir. */
export const SUPPORTED_TYPES = [
  'AllergyIntolerance',
  'Appointment',
  'AuditEvent',
  'Binary',
  'Bundle',
  'Communication',
  'Composition',
  'Condition',
  'Consent',
  'Device',
  'DocumentReference',
  'Encounter',
  'FamilyMemberHistory',
  'Goal',
  'Immunization',
  'List',
  'MedicationStatement',
  'Observation',
  'Organization',
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Procedure',
  'Questionnaire',
  'QuestionnaireResponse',
  'RelatedPerson',
] as const;

export type SupportedType = (typeof SUPPORTED_TYPES)[number];

const supported = new Set<string>(SUPPORTED_TYPES);

export function isSupportedType(type: string): type is SupportedType {
  return supported.has(type);
}

/** Types that are append-only: once written, never updated or deleted through the API. */
export const APPEND_ONLY_TYPES: ReadonlySet<string> = new Set(['AuditEvent']);

/** FHIR's id rule: 1 to 64 of letters, digits, '-' and '.'. */
export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
