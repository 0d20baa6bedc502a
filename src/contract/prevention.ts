/**
 * The application API of prevention (issue 9, docs/prevention.md): the items the engine computes for a profile
 * (child examinations, vaccinations, organised screenings, M'T dents, key-age check-ups), the marks the person
 * sets on them, the vaccination calendar view and the key-age questionnaires. Every route is the acting
 * profile's (the patient, or the person acting for them: X-Acting-For), unless under /api/admin.
 * Errors are problem+json with `code` and, for a field at fault, `fields`.
 */

/** What kind of prevention an item is (MES's types in brackets). */
export const PREVENTION_TYPES = [
  'child-exam', // EXAMEN_CARNET_SANTE
  'vaccination', // CAR_VAC
  'screening', // EXAMEN_DEPISTAGE
  'dental', // MT_DENTS
  'key-age-checkup', // BILAN_AQ
] as const;
export type PreventionType = (typeof PREVENTION_TYPES)[number];

/** mandatory: a legal obligation (OBLIGATOIRE); recommended: in the official calendar (RECOMMANDE). */
export const PREVENTION_LEVELS = ['mandatory', 'recommended'] as const;
export type PreventionLevel = (typeof PREVENTION_LEVELS)[number];

/**
 * The status the engine computes at a date:
 * - to-plan: the window has not opened yet;
 * - due: the window is open;
 * - overdue: the window has closed and it was not done (a missed mandatory item stays overdue; a recommended
 *   one stays overdue while it can still be caught up, then is left out);
 * - done: marked done, or proven by the record (a recorded vaccination);
 * - not-done: the person said it will not be done.
 */
export const PREVENTION_STATUSES = ['to-plan', 'due', 'overdue', 'done', 'not-done'] as const;
export type PreventionStatus = (typeof PREVENTION_STATUSES)[number];

/** What the person may mark an item: planned (optionally on a date), done on a date, or not done. */
export const PREVENTION_MARKS = ['planned', 'done', 'not-done'] as const;
export type PreventionMark = (typeof PREVENTION_MARKS)[number];

/** Why an item is in the list: a reason code (translated by the web app) and its parameters. */
export interface PreventionReason {
  code: string;
  params?: Record<string, string | number>;
}

export interface PreventionItem {
  /** Stable for the profile: the same item keeps its code from one computation to the next (marks use it). */
  code: string;
  type: PreventionType;
  /** The calendar entry it comes from (e.g. 'exam-09', 'menb-infant', 'breast'); titles are translated from it. */
  ref: string;
  /** The French title, from the calendar data (the web app may translate `ref` instead). */
  title: string;
  level: PreventionLevel;
  /** The window, civil dates (YYYY-MM-DD), both days included. */
  window: { start: string; end: string };
  /** Until when a missed item may still be caught up (YYYY-MM-DD), when the calendar says so. */
  catchUpUntil?: string;
  status: PreventionStatus;
  /** The date it was done (marked, or the recorded vaccination's date). */
  doneOn?: string;
  /** Marked planned, with the planned date when given. */
  planned?: { on?: string };
  /** Done because the record proves it (a recorded vaccination), rather than marked by the person. */
  evidence?: 'vaccination';
  /** For a vaccination: which dose of the schedule (1-based) and how many it has; the diseases it protects against. */
  dose?: { number: number; of: number };
  /** For a vaccination: the dose's label in the calendar (e.g. '1re dose (2 mois)', 'rappel à 75 ans'). */
  doseLabel?: string;
  /** For a vaccination done because the record proves it: the recorded vaccination (Immunization id) that counts. */
  immunizationId?: string;
  diseases?: string[];
  /** For a child examination: the health certificate it gives rise to (CS8, CS9, CS24). */
  certificate?: 'CS8' | 'CS9' | 'CS24';
  /** For a key-age check-up: the questionnaire that prepares it (its canonical URL). */
  questionnaire?: string;
  /** The comment the person wrote with their mark (PreventionMarkInput.comment), when the item is marked with one. */
  comment?: string;
  reasons: PreventionReason[];
}

/** GET /api/prevention: the acting profile's items, in window order, and the calendars they come from. */
export interface PreventionView {
  asOf: string;
  birthDate: string;
  sex: 'M' | 'F' | 'I';
  items: PreventionItem[];
  /**
   * The first item to act on, if any: due or overdue, the earliest window start; on the same start, mandatory
   * before recommended, then child examination, vaccination, screening, key-age check-up, M'T dents.
   */
  next?: string;
  calendars: { id: string; title: string; version: string; source: string }[];
}

/** PUT /api/prevention/items/:code: the person's mark (or DELETE to remove it). */
export interface PreventionMarkInput {
  mark: PreventionMark;
  /** Required for done (not before birth, not in the future); optional for planned. */
  date?: string;
  comment?: string;
}

/** GET /api/prevention/vaccinations: the recorded vaccinations set against the calendar. */
export interface VaccinationCalendarRow {
  ref: string;
  title: string;
  /** mandatory when any of its doses is (for this profile), else recommended. */
  level: PreventionLevel;
  diseases: string[];
  doses: {
    code: string;
    label: string;
    window: { start: string; end: string };
    status: PreventionStatus;
    doneOn?: string;
    /** The recorded vaccination (Immunization id) that counts for this dose. */
    immunizationId?: string;
    /**
     * The dose's level when it differs from the row's (a MenB dose whose window ended before the obligation
     * of 2025-01-01 is recommended, the later ones mandatory).
     */
    level?: PreventionLevel;
  }[];
}
export interface VaccinationCalendarView {
  asOf: string;
  calendar: { id: string; title: string; version: string; source: string };
  rows: VaccinationCalendarRow[];
  /** Recorded vaccinations that count for no dose of the calendar (travel vaccines, extra doses). */
  unmatched: { immunizationId: string; label: string; date: string }[];
}

// ---- key-age questionnaires ----

export const QUESTION_KINDS = ['radio', 'checkbox', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The most characters a text answer holds (trimmed); a longer one is refused (422 questionnaire.answer-too-long). */
export const ANSWER_TEXT_MAX = 2000;

/** One question of a questionnaire version, as the player shows it. */
export interface QuestionView {
  linkId: string;
  text: string;
  kind: QuestionKind;
  required: boolean;
  options?: { code: string; label: string }[];
  /**
   * Shown only when another question (itself shown) has this answer, or has it among its checked codes (FHIR
   * enableWhen, operator '='); with several conditions, when ANY of them holds (enableBehavior any).
   */
  enableWhen?: { question: string; answer: string }[];
  /** The habit topic the answer pre-fills in "habitudes de vie" (FOOD, SLEEP...). */
  habitTopic?: string;
}
export interface QuestionnaireGroupView {
  linkId: string;
  title: string;
  questions: QuestionView[];
}
export interface QuestionnaireView {
  /** Canonical URL and version (the Questionnaire resource). */
  url: string;
  version: string;
  id: string;
  title: string;
  /** The age band, in years, both included. */
  ageBand: { min: number; max: number };
  groups: QuestionnaireGroupView[];
}

/** An answer: radio and text hold one value, checkbox any number. */
export type AnswerValue = string | string[];

export const RESPONSE_STATUSES = ['draft', 'final'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** A QuestionnaireResponse of the acting profile. */
export interface QuestionnaireResponseView {
  id: string;
  questionnaire: { url: string; version: string; title: string };
  status: ResponseStatus;
  /** The FHIR version of the response: every save is a new one. */
  versionId: string;
  answers: Record<string, AnswerValue>;
  updatedAt: string;
  finalisedAt?: string;
  /** The filed PDF (a document of the acting profile), once filed. */
  documentId?: string;
}

/** POST /api/prevention/questionnaires/:band/responses, PUT /api/prevention/questionnaire-responses/:id. */
export interface QuestionnaireAnswersInput {
  answers: Record<string, AnswerValue>;
  /** On PUT: the versionId the client last read (a stale save is refused, 409). */
  versionId?: string;
}

// ---- operator indicators ----

/** GET /api/admin/prevention/indicators: what the reminder job did. */
export interface PreventionIndicators {
  runs: { day: string; startedAt: string; finishedAt?: string; profiles: number; sent: number; byType: Record<string, number> }[];
  sentByType: Record<string, number>;
  sentTotal: number;
}

/** One band in GET /api/prevention/questionnaires (the key-age questionnaires of the acting profile). */
export interface QuestionnaireBandSummary {
  /** '18-25', '45-50', '60-65', '70-75': the :band of the routes. */
  band: string;
  /** The canonical URL, and the current version: the one a new response is started on. */
  url: string;
  version: string;
  title: string;
  ageBand: { min: number; max: number };
  /**
   * Whether a new response may be started: the profile's age is in the band, or in the year before it (17 for
   * 18-25). A band not offered is listed only when the profile has responses to it.
   */
  offered: boolean;
  /** The profile's responses to the band's questionnaire (whatever their version), the latest first. */
  responses: QuestionnaireResponseView[];
}

/** GET /api/prevention/questionnaires */
export interface QuestionnaireList {
  questionnaires: QuestionnaireBandSummary[];
}
