/**
 * The application API of the medical profile, measures and agenda (issue 8, docs/profile.md): the shapes the
 * web app sends and receives. FHIR stays the store; these are the simple views of it. Every route is the
 * acting profile's (the patient, or the person acting for them), unless under /api/pro or /api/admin.
 * Errors are problem+json with `code` and, for a field at fault, `fields` (the names below).
 */

/** A date the patient may know only in part: the year is required, then month, then day. */
export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

/** The sections of the profile entered as lists of entries. */
export const LIST_SECTIONS = [
  'diseases',
  'treatments',
  'allergies',
  'hospitalisations',
  'family-history',
  'disabilities',
  'vaccinations',
  'habits',
  'contacts',
] as const;
export type ListSection = (typeof LIST_SECTIONS)[number];

/** The sections that may be declared "non concerné" (with the date of the declaration). */
export const UNCONCERNED_SECTIONS = ['diseases', 'treatments', 'allergies', 'hospitalisations', 'family-history', 'disabilities'] as const;
export type UnconcernedSection = (typeof UNCONCERNED_SECTIONS)[number];

/** Who entered an entry: the patient side, a professional, or a connected app. */
export interface EntrySource {
  kind: 'patient' | 'professional' | 'app';
  /** The professional's or the app's name; for the patient side, the name of who typed it. */
  name?: string;
}

interface EntryBase {
  id: string;
  /** When the entry was last written (ISO instant). */
  updatedAt: string;
  source: EntrySource;
}

// --- one input and one view per section -------------------------------------------------------------------
// A view is the input plus EntryBase, plus derived links. Optional strings are absent when empty.

export interface DiseaseInput {
  name: string;
  comment?: string;
  start: PartialDate;
  end?: PartialDate;
  /** Documents of the record (DocumentReference ids) about this disease. */
  documentIds?: string[];
}
export interface Disease extends DiseaseInput, EntryBase {
  /** Treatments linked to this disease (derived from the treatments' diseaseIds). */
  treatmentIds: string[];
}

export interface TreatmentInput {
  name: string;
  /** The presentation's CIP13 (13 digits, EAN-13 key), when found in the drug database or typed. */
  cip13?: string;
  /** The drug's CIS code, when found in the drug database. */
  cis?: string;
  dosage?: string;
  start?: PartialDate;
  end?: PartialDate;
  comment?: string;
  diseaseIds?: string[];
  allergyIds?: string[];
}
export interface Treatment extends TreatmentInput, EntryBase {}

export interface AllergyInput {
  name: string;
  comment?: string;
}
export interface Allergy extends AllergyInput, EntryBase {
  /** Treatments linked to this allergy (derived from the treatments' allergyIds). */
  treatmentIds: string[];
}

export const DURATION_UNITS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export interface HospitalisationInput {
  name: string;
  start: PartialDate;
  duration?: { value: number; unit: DurationUnit };
  comment?: string;
  documentIds?: string[];
}
export interface Hospitalisation extends HospitalisationInput, EntryBase {}

export const FAMILY_RELATIONSHIPS = ['MOTHER', 'FATHER', 'GRANDMOTHER', 'GRANDFATHER', 'SISTER', 'BROTHER', 'GREAT_GRANDMOTHER', 'GREAT_GRANDFATHER', 'AUNT', 'UNCLE', 'OTHER'] as const;
export type FamilyRelationship = (typeof FAMILY_RELATIONSHIPS)[number];
export interface FamilyHistoryInput {
  name: string;
  relationship: FamilyRelationship;
  comment?: string;
}
export interface FamilyHistory extends FamilyHistoryInput, EntryBase {}

export const DISABILITY_TYPES = ['SENSORY', 'NEURO_DEVELOPMENTAL_DISORDER', 'PSYCHIC', 'ENGINE', 'POLY_DISABILITY', 'DISABLING_DISEASES', 'OTHERS'] as const;
export const DISABILITY_RATES = ['LESS_THAN_50', 'BETWEEN_50_AND_79', 'BIGGER_THAN_80_OR_EQUAL', 'UNKNOWN'] as const;
export const HUMAN_HELP = ['YES', 'NO', 'NONE'] as const;
export interface DisabilityInput {
  name: string;
  types: (typeof DISABILITY_TYPES)[number][];
  rate: (typeof DISABILITY_RATES)[number];
  technicalHelp?: string;
  humanHelp: (typeof HUMAN_HELP)[number];
  comment?: string;
}
export interface Disability extends DisabilityInput, EntryBase {}

export const ADMINISTRATION_TYPES = ['INITIMMUNIZ', 'BOOSTER', 'IMMUNIZ'] as const;
export interface VaccinationInput {
  /** The vaccine of the reference list (GET /api/reference/vaccines). */
  vaccineRefId: string;
  /** YYYY-MM-DD, not in the future. */
  date: string;
  administration: (typeof ADMINISTRATION_TYPES)[number];
  lotNumber?: string;
  /** Who vaccinated, as the patient writes it. */
  performer?: string;
  comment?: string;
}
export interface Vaccination extends VaccinationInput, EntryBase {
  /** The vaccine's label and the diseases it covers, from the reference list. */
  label: string;
  diseases: string[];
  /** Entered by the patient side (false: by a professional, who is named in source). */
  authoredByPatient: boolean;
}

export const HABIT_TOPICS = ['FOOD', 'PHYSICAL_ACTIVITY', 'SLEEP', 'SCREEN', 'ALCOHOL', 'TOBACCO'] as const;
export interface HabitInput {
  topic: (typeof HABIT_TOPICS)[number];
  /** The patient's answer, in their words. */
  answer: string;
  /** YYYY-MM-DD, the day it was true; defaults to today. */
  date?: string;
}
export interface Habit extends HabitInput, EntryBase {
  /** Pre-filled from a key-age questionnaire (issue 9: MES origin QUIZ): absent when entered in the section. */
  origin?: 'QUIZ';
  /** For origin QUIZ: the QuestionnaireResponse it comes from (Observation.derivedFrom). */
  questionnaireResponseId?: string;
}

export const CONTACT_KINDS = ['EMERGENCY_CONTACT', 'TRUSTED_CONTACT', 'CAREGIVER_CONTACT', 'HELP_CONTACT'] as const;
export const CONTACT_RELATIONS = ['MOTHER', 'FATHER', 'CHILD', 'SPOUSE', 'TUTEUR', 'OTHER'] as const;
export interface ContactInput {
  /** TRUSTED_CONTACT is the personne de confiance: at most one (409 contacts.trusted-exists). */
  kind: (typeof CONTACT_KINDS)[number];
  relation: (typeof CONTACT_RELATIONS)[number];
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
  address?: string;
}
export interface Contact extends ContactInput, EntryBase {}

export interface SectionInputs {
  diseases: DiseaseInput;
  treatments: TreatmentInput;
  allergies: AllergyInput;
  hospitalisations: HospitalisationInput;
  'family-history': FamilyHistoryInput;
  disabilities: DisabilityInput;
  vaccinations: VaccinationInput;
  habits: HabitInput;
  contacts: ContactInput;
}
export interface SectionViews {
  diseases: Disease;
  treatments: Treatment;
  allergies: Allergy;
  hospitalisations: Hospitalisation;
  'family-history': FamilyHistory;
  disabilities: Disability;
  vaccinations: Vaccination;
  habits: Habit;
  contacts: Contact;
}

/**
 * GET    /api/profile/sections/:section            -> SectionList<S>
 * POST   /api/profile/sections/:section            SectionInputs[S] -> 201 SectionViews[S]
 * PUT    /api/profile/sections/:section/:id        SectionInputs[S] -> SectionViews[S]
 * DELETE /api/profile/sections/:section/:id        -> 204
 * PUT    /api/profile/sections/:section/unconcerned -> { declaredAt }  (409 profile.section-not-empty if entries exist)
 * DELETE /api/profile/sections/:section/unconcerned -> 204   (adding an entry also withdraws the declaration)
 */
export interface SectionList<S extends ListSection = ListSection> {
  section: S;
  entries: SectionViews[S][];
  /** "Non concerné", with the date it was declared; null when not declared (or not declarable). */
  unconcerned: { declaredAt: string } | null;
}

// --- single-valued sections --------------------------------------------------------------------------------

export const BLOOD_GROUPS = ['APOS', 'ANEG', 'ABPOS', 'ABNEG', 'BPOS', 'BNEG', 'OPOS', 'ONEG'] as const;
export type BloodGroupCode = (typeof BLOOD_GROUPS)[number];
/**
 * GET    /api/profile/blood-group -> { bloodGroup: BloodGroup | null }
 * POST   /api/profile/blood-group { group } -> 201 BloodGroup (409 blood-group.exists when one is recorded)
 * PUT    /api/profile/blood-group { group } -> BloodGroup (changes the recorded one)
 * DELETE /api/profile/blood-group -> 204
 */
export interface BloodGroup extends EntryBase {
  group: BloodGroupCode;
}

export const ORGAN_DONATION_POSITIONS = ['DONOR', 'REFUSES', 'UNDECIDED'] as const;
/**
 * GET /api/profile/organ-donation -> { organDonation: OrganDonation | null }
 * PUT /api/profile/organ-donation OrganDonationInput -> OrganDonation
 * DELETE /api/profile/organ-donation -> 204
 */
export interface OrganDonationInput {
  position: (typeof ORGAN_DONATION_POSITIONS)[number];
  /** "J'ai informé mes proches de ma position" (informedAboutOrganDonation). */
  informedRelatives: boolean;
  comment?: string;
}
export interface OrganDonation extends OrganDonationInput, EntryBase {}

// --- advance directives ------------------------------------------------------------------------------------

export const DIRECTIVE_MODELS = ['good-health', 'end-of-life'] as const;
export type DirectiveModel = (typeof DIRECTIVE_MODELS)[number];
/** The online form's answers (free texts; the two models ask the same questions in other words). */
export interface DirectiveAnswers {
  /** Context: my situation, what matters to me. */
  context: string;
  /** Artificial life support (ventilation, dialysis, nutrition and hydration): my wishes. */
  lifeSupport: string;
  /** Deep and continuous sedation: my wishes. */
  sedation: string;
  /** Acts and treatments I want started, stopped, or specific ones. */
  treatmentsStarted?: string;
  treatmentsStopped?: string;
  treatmentsSpecific?: string;
  /** Where I wish to end my life, other wishes. */
  otherWishes?: string;
  /** The place where the form is signed ("Fait à"). */
  place: string;
}
/**
 * GET  /api/profile/advance-directives -> { allowed: boolean; reason?: 'minor'; current: AdvanceDirective | null; previous: AdvanceDirective[] }
 * POST /api/profile/advance-directives/form { model, answers } -> 201 AdvanceDirective (422 directives.minor, field birthDate)
 * POST /api/profile/advance-directives/file?title=  (PDF body)  -> 201 AdvanceDirective
 * A new version supersedes the current one (status 'superseded'); its PDF is in the documents.
 */
export interface AdvanceDirective {
  id: string;
  kind: 'form' | 'file';
  model?: DirectiveModel;
  answers?: DirectiveAnswers;
  /** The DocumentReference of the PDF in the documents (GET /api/documents/:id/content). */
  documentId: string;
  date: string;
  status: 'current' | 'superseded';
}

// --- overview, settings, summary ---------------------------------------------------------------------------

export const CLOSABLE_SECTIONS = ['health-history', 'entourage'] as const;
export type ClosableSection = (typeof CLOSABLE_SECTIONS)[number];

/** GET /api/profile -> ProfileOverview */
export interface ProfileOverview {
  patient: { id: string; name: string; birthDate?: string; sex?: 'male' | 'female' | 'other' | 'unknown'; minor: boolean };
  /** Per list section: how many entries, and the "non concerné" declaration. */
  sections: { section: ListSection; count: number; unconcerned: { declaredAt: string } | null }[];
  bloodGroup: BloodGroupCode | null;
  organDonation: boolean;
  advanceDirective: boolean;
  /** The sections closed to professionals. */
  closed: ClosableSection[];
}

/** GET /api/profile/settings -> ProfileSettings; PUT /api/profile/settings ProfileSettings -> ProfileSettings */
export interface ProfileSettings {
  closed: ClosableSection[];
}

/** The sections a summary PDF may hold (getMedicalSynthesisPDF). */
export const SUMMARY_SECTIONS = [
  'VACCINES',
  'ALLERGIES',
  'DISEASES',
  'TREATMENTS',
  'MEASURES',
  'HOSPITALIZATIONS',
  'FAMILY_HISTORY',
  'LIFESTYLES',
  'ENTOURAGE_CONTACT',
  'WISHES',
  'DISABILITIES',
  'BLOOD_GROUP',
] as const;
export type SummarySection = (typeof SUMMARY_SECTIONS)[number];
/**
 * POST /api/profile/summary { sections, action: 'download' } -> application/pdf (attachment)
 * POST /api/profile/summary { sections, action: 'file' } -> 201 { documentId } (DOCPAT08, in the documents)
 * Messaging attaches one with the attachment { kind: 'medical-profile', sections? } (web/src/messaging-types.ts;
 * every section when none are given).
 */
export interface SummaryRequest {
  sections: SummarySection[];
  action: 'download' | 'file';
}

// --- measures ----------------------------------------------------------------------------------------------

export const MEASURE_CODES = [
  'WEIGHT',
  'HEIGHT',
  'BODY_MASS_INDEX',
  'WAIST_CIRCUMFERENCE',
  'HEAD_CIRCUMFERENCE',
  'BODY_TEMPERATURE',
  'BLOOD_PRESSURE',
  'HEART_RATE',
  'GLUCOSE',
  'PAIN_SEVERITY',
  'STEPS_BY_DAY',
] as const;
export type MeasureCode = (typeof MEASURE_CODES)[number];

/** GET /api/profile/measures/catalogue -> { measures: MeasureDefinition[] } */
export interface MeasureDefinition {
  code: MeasureCode;
  /** The LOINC code of the Observation (mes-mesures profile). */
  loinc: string;
  label: string;
  /** The unit shown and the units accepted (UCUM), the first being the default. */
  units: string[];
  /** Plausible values, in the default unit (a blood pressure: systolic and diastolic ranges). */
  min: number;
  max: number;
  decimals: number;
  /** Computed by Carnet (BMI): never entered. */
  computed: boolean;
  /** Two values (blood pressure: systolic, diastolic). */
  components?: { key: 'systolic' | 'diastolic'; label: string; loinc: string; min: number; max: number }[];
}

/**
 * GET    /api/profile/measures?code=WEIGHT[&from=YYYY-MM-DD&to=YYYY-MM-DD] -> MeasureSeries
 * POST   /api/profile/measures MeasureInput -> 201 Measure (422 measures.implausible / measures.unit / measures.future,
 *        field value / unit / date). Recording a weight or a height also records the BMI when both are known.
 * DELETE /api/profile/measures/:id -> 204
 * PUT    /api/profile/measures/targets/:code { low?, high? } -> MeasureTarget; DELETE -> 204
 * GET    /api/profile/measures/dashboard -> Dashboard; PUT { codes } -> Dashboard
 */
export interface MeasureInput {
  code: MeasureCode;
  /** One value, or for BLOOD_PRESSURE the two components. */
  value?: number;
  systolic?: number;
  diastolic?: number;
  unit: string;
  /** ISO instant or YYYY-MM-DD; not in the future. */
  date: string;
}
export interface Measure {
  id: string;
  code: MeasureCode;
  value?: number;
  systolic?: number;
  diastolic?: number;
  unit: string;
  date: string;
  source: EntrySource;
}
export interface MeasureTarget {
  code: MeasureCode;
  low?: number;
  high?: number;
}
export interface MeasureSeries {
  code: MeasureCode;
  measures: Measure[];
  target: MeasureTarget | null;
}
export interface Dashboard {
  /** The tiles, in order, each with the last measure and the target. */
  tiles: { code: MeasureCode; last: Measure | null; target: MeasureTarget | null }[];
}

/** GET /api/profile/growth?measure=weight|height|head-circumference|bmi[&source=who|iotf] -> GrowthChart */
export type GrowthMeasure = 'weight' | 'height' | 'head-circumference' | 'bmi';
export interface GrowthChart {
  measure: GrowthMeasure;
  sex: 'male' | 'female';
  birthDate: string;
  unit: string;
  /** The reference the curves come from, named on the chart. */
  reference: { id: string; name: string; citation: string };
  /** The other references available for this measure (e.g. IOTF for the BMI). */
  references: { id: string; name: string }[];
  /** The child's measures. */
  points: { ageMonths: number; value: number; date: string }[];
  /** The reference curves: percentiles, SD lines or IOTF cut-offs, each a line. */
  curves: { key: string; label: string; emphasis: boolean; points: { ageMonths: number; value: number }[] }[];
}

// --- agenda ------------------------------------------------------------------------------------------------

export const APPOINTMENT_STATUSES = ['booked', 'proposed', 'pending', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/**
 * GET    /api/agenda?when=future|past  or  ?from=YYYY-MM-DD&to=YYYY-MM-DD -> { entries: AgendaEntry[] }
 * POST   /api/agenda AgendaInput -> 201 AgendaEntry
 * PUT    /api/agenda/:id AgendaInput -> AgendaEntry   (entries written by a connected app are read-only: 403 agenda.app-entry)
 * DELETE /api/agenda/:id -> 204
 * GET    /api/agenda/settings -> { reminderMinutes }; PUT { reminderMinutes } (0..20160)
 * GET    /api/agenda/feeds -> { feeds: AgendaFeed[] }
 * POST   /api/agenda/feeds { label? } -> 201 AgendaFeed & { url }   (the URL is shown once)
 * DELETE /api/agenda/feeds/:id -> 204 (revoked: the URL answers 410 agenda.feed-revoked)
 * GET    /agenda/:token.ics -> text/calendar (no session: the token is the key)
 */
export interface AgendaInput {
  kind: 'appointment' | 'reminder';
  title: string;
  /** ISO instant (with time) of the start; an appointment may also give an end. */
  start: string;
  end?: string;
  /** Appointments only: with a professional or an establishment. */
  with?: { type: 'PRACTITIONER' | 'HEALTHCARE_SERVICE'; name: string; id?: string; specialty?: string };
  address?: string;
  comment?: string;
  status?: AppointmentStatus;
}
export interface AgendaEntry extends AgendaInput {
  id: string;
  status: AppointmentStatus;
  source: EntrySource;
  /** Whether the patient may change it (not an app's). */
  editable: boolean;
}
export interface AgendaFeed {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

// --- reference data ----------------------------------------------------------------------------------------

/** GET /api/reference/vaccines?q= -> { vaccines: VaccineRef[] } */
export interface VaccineRef {
  id: string;
  label: string;
  cis?: string;
  cip13: string[];
  atcCode: string;
  atcLabel: string;
  diseases: string[];
}
/** GET /api/reference/drugs?q=<name or CIP13/CIP7> -> { drugs: Drug[] } (422 treatments.cip-invalid for a bad CIP13) */
export interface Drug {
  cis: string;
  name: string;
  form: string;
  marketed: boolean;
  presentations: { cip13: string; label: string; marketed: boolean }[];
}
/**
 * GET  /api/admin/reference -> { datasets: ReferenceDataset[] }
 * PUT  /api/admin/reference/vaccines (JSON file as body) -> ReferenceDataset
 * POST /api/admin/reference/bdpm?file=CIS_bdpm.txt|CIS_CIP_bdpm.txt (the file as body, Windows-1252) -> ReferenceDataset
 */
export interface ReferenceDataset {
  id: 'bdpm' | 'vaccines';
  source: string;
  version: string;
  loadedAt: string;
  loadedBy: string;
  rowCount: number;
}

// --- the professional's view -------------------------------------------------------------------------------

/**
 * GET  /api/pro/patients/:id/profile -> ProProfile (what the access policy lets this professional read; a
 *      closed section comes back with closed: true and no content)
 * POST /api/pro/patients/:id/vaccinations VaccinationInput -> 201 Vaccination (source.kind 'professional')
 */
export interface ProProfile {
  vaccinations: Vaccination[];
  entourage: { closed: boolean; contacts: Contact[]; organDonation: OrganDonation | null; advanceDirective: AdvanceDirective | null };
}
