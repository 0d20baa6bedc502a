import type {
  ADMINISTRATION_TYPES,
  BloodGroupCode,
  CONTACT_KINDS,
  CONTACT_RELATIONS,
  DISABILITY_RATES,
  DISABILITY_TYPES,
  DurationUnit,
  FamilyRelationship,
  HABIT_TOPICS,
  HUMAN_HELP,
  ORGAN_DONATION_POSITIONS,
  SummarySection,
} from '../../contract/profile.js';

/**
 * The French labels of the profile's enums on the server (the web app has its own, in its i18n): what the FHIR
 * resources carry as display or text, and what the summary PDF writes. The one place for them on the server.
 * Pure.
 */

type Of<T extends readonly string[]> = T[number];

export const SUMMARY_SECTION_TITLES: Record<SummarySection, string> = {
  VACCINES: 'Vaccinations',
  ALLERGIES: 'Allergies',
  DISEASES: 'Maladies et sujets de santé',
  TREATMENTS: 'Traitements',
  MEASURES: 'Dernières mesures',
  HOSPITALIZATIONS: 'Hospitalisations',
  FAMILY_HISTORY: 'Antécédents familiaux',
  LIFESTYLES: 'Habitudes de vie',
  ENTOURAGE_CONTACT: 'Entourage',
  WISHES: 'Volontés',
  DISABILITIES: 'Handicaps',
  BLOOD_GROUP: 'Groupe sanguin',
};

export const ADMINISTRATION_LABELS: Record<Of<typeof ADMINISTRATION_TYPES>, string> = { INITIMMUNIZ: 'primo-vaccination', BOOSTER: 'rappel', IMMUNIZ: 'vaccination' };

/** Singular and plural. */
export const DURATION_UNIT_LABELS: Record<DurationUnit, readonly [string, string]> = {
  DAY: ['jour', 'jours'],
  WEEK: ['semaine', 'semaines'],
  MONTH: ['mois', 'mois'],
  YEAR: ['an', 'ans'],
};

export const FAMILY_RELATIONSHIP_LABELS: Record<FamilyRelationship, string> = {
  MOTHER: 'mère',
  FATHER: 'père',
  GRANDMOTHER: 'grand-mère',
  GRANDFATHER: 'grand-père',
  SISTER: 'sœur',
  BROTHER: 'frère',
  GREAT_GRANDMOTHER: 'arrière-grand-mère',
  GREAT_GRANDFATHER: 'arrière-grand-père',
  AUNT: 'tante',
  UNCLE: 'oncle',
  OTHER: 'autre membre de la famille',
};

export const DISABILITY_TYPE_LABELS: Record<Of<typeof DISABILITY_TYPES>, string> = {
  SENSORY: 'sensoriel',
  NEURO_DEVELOPMENTAL_DISORDER: 'trouble du neurodéveloppement',
  PSYCHIC: 'psychique',
  ENGINE: 'moteur',
  POLY_DISABILITY: 'polyhandicap',
  DISABLING_DISEASES: 'maladie invalidante',
  OTHERS: 'autre',
};

export const DISABILITY_RATE_LABELS: Record<Of<typeof DISABILITY_RATES>, string> = {
  LESS_THAN_50: 'taux d’incapacité inférieur à 50 %',
  BETWEEN_50_AND_79: 'taux d’incapacité de 50 à 79 %',
  BIGGER_THAN_80_OR_EQUAL: 'taux d’incapacité de 80 % ou plus',
  UNKNOWN: 'taux d’incapacité inconnu',
};

export const HUMAN_HELP_LABELS: Record<Of<typeof HUMAN_HELP>, string> = { YES: 'avec aide humaine', NO: 'sans aide humaine', NONE: 'aide humaine non précisée' };

export const HABIT_TOPIC_LABELS: Record<Of<typeof HABIT_TOPICS>, string> = {
  FOOD: 'Alimentation',
  PHYSICAL_ACTIVITY: 'Activité physique',
  SLEEP: 'Sommeil',
  SCREEN: 'Écrans',
  ALCOHOL: 'Alcool',
  TOBACCO: 'Tabac',
};

export const CONTACT_KIND_LABELS: Record<Of<typeof CONTACT_KINDS>, string> = {
  TRUSTED_CONTACT: 'personne de confiance',
  EMERGENCY_CONTACT: 'contact en cas d’urgence',
  CAREGIVER_CONTACT: 'aidant',
  HELP_CONTACT: 'aide à domicile',
};

export const CONTACT_RELATION_LABELS: Record<Of<typeof CONTACT_RELATIONS>, string> = {
  MOTHER: 'mère',
  FATHER: 'père',
  CHILD: 'enfant',
  SPOUSE: 'conjoint ou conjointe',
  TUTEUR: 'tuteur ou tutrice',
  OTHER: 'autre',
};

export const ORGAN_DONATION_LABELS: Record<Of<typeof ORGAN_DONATION_POSITIONS>, string> = {
  DONOR: 'favorable au don d’organes et de tissus',
  REFUSES: 'opposé(e) au don d’organes et de tissus',
  UNDECIDED: 'ne s’est pas encore prononcé(e) sur le don d’organes',
};

/** The short label of a blood group (Observation.valueCodeableConcept.text), with the minus sign. */
export const BLOOD_GROUP_LABELS: Record<BloodGroupCode, string> = { APOS: 'A+', ANEG: 'A−', ABPOS: 'AB+', ABNEG: 'AB−', BPOS: 'B+', BNEG: 'B−', OPOS: 'O+', ONEG: 'O−' };

/** The blood group in words, for documents (their fonts have no minus sign: a hyphen). */
export const BLOOD_GROUP_NAMES: Record<BloodGroupCode, string> = {
  APOS: 'A positif (A+)',
  ANEG: 'A négatif (A-)',
  BPOS: 'B positif (B+)',
  BNEG: 'B négatif (B-)',
  ABPOS: 'AB positif (AB+)',
  ABNEG: 'AB négatif (AB-)',
  OPOS: 'O positif (O+)',
  ONEG: 'O négatif (O-)',
};
