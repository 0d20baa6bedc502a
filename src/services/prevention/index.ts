export type { PreventionDeps } from './deps.js';
export { calendarsOf, computeView, nextItem, NO_HORIZON_MONTHS, preventionView, today } from './items.js';
export { COMMENT_MAX, deleteMark, parseMarkInput, putMark } from './marks.js';
export { marksOf, readPreventionInput, type PreventionInput, type RecordedVaccinationView, type StoredMark } from './profile-input.js';
export { vaccinationCalendarOf, vaccinationCalendarView } from './vaccination-view.js';
