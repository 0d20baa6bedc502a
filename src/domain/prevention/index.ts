/** The prevention engine and its helpers (docs/prevention.md). Pure: no I/O. */
export { CHILD_EXAMS_UNTIL_YEARS, DEFAULT_HORIZON_MONTHS, childExamCalendarFor, computePrevention, dentalCalendarFor, scheduleApplies, scheduleLevel } from './engine.js';
export { addDays, addOffset, civilString, dayNumber, isCivilDate, offsetText } from './dates.js';
export { foldDisease, vaccinationMatches } from './diseases.js';
export type * from './types.js';
